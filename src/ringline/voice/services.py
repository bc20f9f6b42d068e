"""Pipecat STT, LLM and TTS services for one call, sharing the process's loaded models."""

import asyncio
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import numpy as np
from pipecat.frames.frames import Frame, TranscriptionFrame
from pipecat.services.openai.llm import OpenAILLMService
from pipecat.services.openai.stt import OpenAISTTService
from pipecat.services.openai.tts import OpenAITTSService
from pipecat.services.piper.tts import PiperTTSService
from pipecat.services.stt_service import STTService
from pipecat.services.tts_service import TTSService
from pipecat.services.whisper.stt import WhisperSTTService
from pipecat.transcriptions.language import Language
from pipecat.utils.time import time_now_iso8601

from ringline.voice.codec import trim_silence
from ringline.voice.models import PIPER_LOCK, PIPER_VOICE, piper_voice, whisper_dir, whisper_model
from ringline.voice.stt import transcribe


@dataclass(frozen=True)
class LLMEndpoint:
    """An OpenAI-compatible chat endpoint: the bundled server or a hosted provider."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    supports_tools: bool = True
    max_tokens: int = 120
    temperature: float = 0.3

    @property
    def is_bundled_dialogue(self) -> bool:
        return self.model == BUNDLED_DIALOGUE_MODEL


# With the bundled models a call's replies come from the dialogue layer (voice/dialogue/),
# grounded in the prompt: the bundled 135M LLM made up facts and lost the thread.
BUNDLED_DIALOGUE_MODEL = "ringline-dialogue"
BUNDLED_DIALOGUE = LLMEndpoint(base_url="", model=BUNDLED_DIALOGUE_MODEL, supports_tools=False)


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
    """Whisper tiny.en from the bundled weights, shared by every call, and run on the
    utterance alone (``voice.stt``) rather than on faster-whisper's 30 s window."""

    def __init__(self, **kwargs: Any) -> None:
        settings = WhisperSTTService.Settings(model=str(whisper_dir()))
        super().__init__(device="cpu", compute_type="int8", settings=settings, **kwargs)

    def _load(self) -> None:
        self._model = whisper_model()

    async def run_stt(self, audio: bytes) -> AsyncGenerator[Frame, None]:
        await self.start_processing_metrics()
        pcm = np.frombuffer(audio, dtype=np.int16)
        text = await asyncio.to_thread(transcribe, pcm, self.sample_rate)
        await self.stop_processing_metrics()
        if text:
            await self._handle_transcription(text, True, Language.EN)
            yield TranscriptionFrame(text, self._user_id, time_now_iso8601(), Language.EN)


class BundledPiperTTS(PiperTTSService):
    """Piper with the bundled voice; the voice is shared, its synthesis serialized."""

    def __init__(self, **kwargs: Any) -> None:
        # Skip PiperTTSService.__init__: it loads a private copy of the voice per call.
        TTSService.__init__(
            self,
            push_start_frame=True,
            push_stop_frames=True,
            stop_frame_timeout_s=15.0,  # a busy CPU delays the first audio past the 3 s default
            settings=PiperTTSService.Settings(model=None, voice=PIPER_VOICE, language=None),
            **kwargs,
        )
        self._voice = piper_voice()

    async def run_tts(self, text: str, context_id: str) -> AsyncGenerator[Frame, None]:
        # The first clause is spoken while the rest is synthesized: Piper takes about
        # 0.15 s per second of audio here, so a whole sentence first would delay the reply.
        await self.start_tts_usage_metrics(text)
        rate = self._voice.config.sample_rate
        parts = spoken_parts(text)
        for part in parts:
            # Each piece starts with its first word, not Piper's lead-in, and keeps the
            # pause Piper would make there: the line is never silent longer than that.
            pcm = trim_silence(await asyncio.to_thread(_synthesize, part), rate, _pause(part))

            async def audio(pcm: np.ndarray = pcm) -> AsyncGenerator[bytes, None]:
                yield pcm.tobytes()

            async for frame in self._stream_audio_frames_from_iterator(
                audio(), in_sample_rate=rate, context_id=context_id
            ):
                await self.stop_ttfb_metrics()
                yield frame


# The pauses left after a piece spoken on its own, as Piper pauses at a stop, at a
# comma, and between the words of a phrase.
_PAUSES = {".": 0.3, "!": 0.3, "?": 0.3, ",": 0.12, ";": 0.12, ":": 0.12}
_PHRASE_PAUSE = 0.04
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _pause(part: str) -> float:
    return _PAUSES.get(part[-1:], _PHRASE_PAUSE)


def spoken_parts(text: str) -> list[str]:
    """``text`` in the pieces it is synthesized in, each while the ones before it play.

    The first clause goes out first (where a comma splits off at least two words after
    it), then pieces that grow: each holds at most twice the words already queued, so its
    synthesis is done before the audio ahead of it runs out. One long sentence after a
    short "Great," would take longer than "Great," to synthesize on a busy CPU and leave
    the line silent, which a caller hears as the end of the agent's turn."""
    clauses: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        pieces = _CLAUSE_END.split(sentence)
        clauses.append(pieces[0])
        for piece in pieces[1:]:
            if len(piece.split()) >= 2:
                clauses.append(piece)
            else:
                clauses[-1] = f"{clauses[-1]} {piece}"
    parts = clauses[:1]
    queued = len(clauses[0].split())
    for clause in clauses[1:]:
        words = clause.split()
        while words:
            take = _phrase_end(words, max(_MIN_PIECE_WORDS, 2 * queued))
            parts.append(" ".join(words[:take]))
            queued += take
            words = words[take:]
    return parts


# Words a speaker may take a breath before: a piece cut short ends just ahead of one.
_BREAKS = frozenset(
    {"and", "but", "or", "so", "after", "before", "with", "which", "because"}
    | {"at", "to", "for", "in", "on", "of", "from", "about", "than"}
)
_MIN_PIECE_WORDS = 4


def _phrase_end(words: list[str], most: int) -> int:
    """How many of ``words`` the next piece takes: all if they fit in ``most``, else up
    to the last joining word within it (or ``most`` where there is none), never leaving
    two words behind."""
    if len(words) <= most + 2:
        return len(words)
    breaks = [i for i in range(2, most + 1) if words[i].lower() in _BREAKS]
    return breaks[-1] if breaks else most


def _synthesize(text: str) -> np.ndarray:
    with PIPER_LOCK:
        chunks = [chunk.audio_int16_array for chunk in piper_voice().synthesize(text)]
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


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
