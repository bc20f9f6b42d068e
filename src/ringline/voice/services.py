"""Pipecat STT, LLM and TTS services for one call, sharing the process's loaded models."""

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from pipecat.frames.frames import Frame
from pipecat.services.openai.llm import OpenAILLMService
from pipecat.services.openai.stt import OpenAISTTService
from pipecat.services.openai.tts import OpenAITTSService
from pipecat.services.piper.tts import PiperTTSService
from pipecat.services.stt_service import STTService
from pipecat.services.tts_service import TTSService
from pipecat.services.whisper.stt import WhisperSTTService
from pipecat.transcriptions.language import Language

from ringline.voice.models import PIPER_LOCK, PIPER_VOICE, piper_voice, whisper_dir, whisper_model


@dataclass(frozen=True)
class LLMEndpoint:
    """An OpenAI-compatible chat endpoint: the bundled server or a hosted provider."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    supports_tools: bool = True
    max_tokens: int = 120
    temperature: float = 0.3


@dataclass(frozen=True)
class HostedService:
    """A workspace's hosted service for one stage, speaking the OpenAI-compatible API."""

    base_url: str
    model: str
    api_key: str
    voice: str | None = None  # text-to-speech only


@dataclass(frozen=True)
class VoiceServices:
    """What one call talks through: the LLM endpoint and, per stage, hosted or bundled."""

    llm: LLMEndpoint
    stt: HostedService | None = None
    tts: HostedService | None = None

    def speech_to_text(self) -> STTService:
        if self.stt is None:
            return BundledWhisperSTT()
        return OpenAISTTService(
            api_key=self.stt.api_key,
            base_url=self.stt.base_url,
            settings=OpenAISTTService.Settings(model=self.stt.model, language=Language.EN),
        )

    def text_to_speech(self) -> TTSService:
        if self.tts is None:
            return BundledPiperTTS()
        # The OpenAI speech API answers 24 kHz PCM; the output transport resamples it.
        return OpenAITTSService(
            api_key=self.tts.api_key,
            base_url=self.tts.base_url,
            sample_rate=24000,
            settings=OpenAITTSService.Settings(model=self.tts.model, voice=self.tts.voice),
        )


class BundledWhisperSTT(WhisperSTTService):
    """Whisper tiny.en from the bundled weights; the model is shared by every call."""

    def __init__(self, **kwargs: object) -> None:
        settings = WhisperSTTService.Settings(model=str(whisper_dir()))
        super().__init__(device="cpu", compute_type="int8", settings=settings, **kwargs)

    def _load(self) -> None:
        self._model = whisper_model()


class BundledPiperTTS(PiperTTSService):
    """Piper with the bundled voice; the voice is shared, its synthesis serialized."""

    def __init__(self, **kwargs: object) -> None:
        # Skip PiperTTSService.__init__: it loads a private copy of the voice per call.
        TTSService.__init__(
            self,
            push_start_frame=True,
            push_stop_frames=True,
            settings=PiperTTSService.Settings(model=None, voice=PIPER_VOICE, language=None),
            **kwargs,
        )
        self._voice = piper_voice()

    async def run_tts(self, text: str, context_id: str) -> AsyncGenerator[Frame, None]:
        # Synthesize the whole sentence under the lock (espeak-ng is not thread-safe);
        # sentences are short and Piper runs ~40x faster than real time.
        chunks = await asyncio.to_thread(_synthesize, text)

        async def audio() -> AsyncGenerator[bytes, None]:
            for chunk in chunks:
                yield chunk

        await self.start_tts_usage_metrics(text)
        async for frame in self._stream_audio_frames_from_iterator(
            audio(), in_sample_rate=self._voice.config.sample_rate, context_id=context_id
        ):
            await self.stop_ttfb_metrics()
            yield frame


def _synthesize(text: str) -> list[bytes]:
    with PIPER_LOCK:
        return [chunk.audio_int16_bytes for chunk in piper_voice().synthesize(text)]


def llm_service(endpoint: LLMEndpoint, system_prompt: str) -> OpenAILLMService:
    return OpenAILLMService(
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        settings=OpenAILLMService.Settings(
            model=endpoint.model,
            system_instruction=system_prompt,
            max_tokens=endpoint.max_tokens,
            temperature=endpoint.temperature,
        ),
    )
