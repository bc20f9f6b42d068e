"""The call's audio as a two-channel WAV file (customer left, agent right), written as it grows."""

import wave
from pathlib import Path

from pipecat.processors.audio.audio_buffer_processor import AudioBufferProcessor

SAMPLE_RATE = 8000
# Hand audio over every 2 s so a long call never holds its whole recording in memory.
CHUNK_BYTES = SAMPLE_RATE * 2 * 2 * 2


class CallRecorder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.processor = AudioBufferProcessor(
            sample_rate=SAMPLE_RATE, num_channels=2, buffer_size=CHUNK_BYTES
        )
        self._wav: wave.Wave_write | None = None
        self.processor.add_event_handler("on_audio_data", self._write)

    async def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Open for the whole call, closed in close(): the one teardown path ends it.
        self._wav = wave.open(str(self.path), "wb")  # noqa: SIM115
        self._wav.setnchannels(2)
        self._wav.setsampwidth(2)
        self._wav.setframerate(SAMPLE_RATE)
        await self.processor.start_recording()

    async def _write(self, _processor: object, audio: bytes, _rate: int, _channels: int) -> None:
        if self._wav is not None and audio:
            self._wav.writeframes(audio)

    async def close(self) -> None:
        """Flush what is buffered and finish the file (its header gets the final length)."""
        if self._wav is None:
            return
        await self.processor.stop_recording()
        self._wav.close()
        self._wav = None
