"""A Pipecat transport over a SIP call's RTP line: no WebSocket between the phone line and
the voice engine.

The input side pushes the caller's audio (8 kHz PCM, paced by the line's playout buffer)
and DTMF keys as ``InputDTMFFrame``; the line's end (BYE, or no RTP any more) reads as
the client disconnecting, which is how every transport tells the session the callee hung
up. The output side writes the agent's audio into the line, which paces it; an
interruption (the caller talking over the agent) drops what is queued there too.
"""

import asyncio

from pipecat.audio.dtmf.types import KeypadEntry
from pipecat.frames.frames import (
    CancelFrame,
    EndFrame,
    Frame,
    InputAudioRawFrame,
    InputDTMFFrame,
    InterruptionFrame,
    OutputAudioRawFrame,
    StartFrame,
)
from pipecat.processors.frame_processor import FrameDirection
from pipecat.transports.base_input import BaseInputTransport
from pipecat.transports.base_output import BaseOutputTransport
from pipecat.transports.base_transport import BaseTransport, TransportParams

from ringline.telephony.sip.media import SAMPLE_RATE, Digit, LineEnded, RtpLine


class SipInput(BaseInputTransport):
    def __init__(self, owner: "SipTransport", line: RtpLine, params: TransportParams) -> None:
        super().__init__(params)
        self._owner = owner
        self._line = line
        self._reading: asyncio.Task[None] | None = None

    async def start(self, frame: StartFrame) -> None:
        await super().start(frame)
        await self._owner.connected()
        if self._reading is None:
            self._reading = self.create_task(self._read_line())
        await self.set_transport_ready(frame)

    async def stop(self, frame: EndFrame) -> None:
        await super().stop(frame)
        await self._stop_reading()

    async def cancel(self, frame: CancelFrame) -> None:
        await super().cancel(frame)
        await self._stop_reading()

    async def _stop_reading(self) -> None:
        if self._reading is not None:
            await self.cancel_task(self._reading)
            self._reading = None

    async def _read_line(self) -> None:
        while True:
            heard = await self._line.heard.get()
            if isinstance(heard, LineEnded):
                await self._owner.disconnected()
                return
            if isinstance(heard, Digit):
                await self._push_digit(heard.digit)
                continue
            await self.push_audio_frame(
                InputAudioRawFrame(audio=heard, sample_rate=SAMPLE_RATE, num_channels=1)
            )

    async def _push_digit(self, digit: str) -> None:
        try:
            button = KeypadEntry(digit)
        except ValueError:
            return  # A-D and flash events: no key Pipecat knows
        await self.push_frame(InputDTMFFrame(button=button))


class SipOutput(BaseOutputTransport):
    def __init__(self, line: RtpLine, params: TransportParams) -> None:
        super().__init__(params)
        self._line = line

    async def start(self, frame: StartFrame) -> None:
        await super().start(frame)
        await self.set_transport_ready(frame)

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, InterruptionFrame):
            self._line.flush()

    async def write_audio_frame(self, frame: OutputAudioRawFrame) -> bool:
        if self._line.ended is not None:
            return False
        await self._line.write(frame.audio)
        return True


class SipTransport(BaseTransport):
    """Events: ``on_client_connected`` once the pipeline starts, ``on_client_disconnected``
    when the line ends (the callee hung up, or their RTP stopped)."""

    def __init__(self, line: RtpLine) -> None:
        super().__init__()
        params = TransportParams(
            audio_in_enabled=True,
            audio_out_enabled=True,
            audio_in_sample_rate=SAMPLE_RATE,
            audio_out_sample_rate=SAMPLE_RATE,
        )
        self.line = line
        self._input = SipInput(self, line, params)
        self._output = SipOutput(line, params)
        self._register_event_handler("on_client_connected")
        self._register_event_handler("on_client_disconnected")

    def input(self) -> SipInput:
        return self._input

    def output(self) -> SipOutput:
        return self._output

    async def connected(self) -> None:
        await self._call_event_handler("on_client_connected", self.line)

    async def disconnected(self) -> None:
        await self._call_event_handler("on_client_disconnected", self.line)
