"""Speech-to-text with the bundled Whisper, sized to the utterance instead of to 30 s.

faster-whisper pads every input to Whisper's 30 s window, so a 2 s phone utterance costs
as much encoder work as half a minute of audio. Here the encoder sees the utterance and
silence after it up to a 6 s window, and the decoder gets a token budget proportional to
the audio. Measured on 80 of the tests' customer lines spoken by piper over the phone
line: 6 s windows cost about a quarter of the 30 s ones at a word error rate of 5.7%
against 4.1%; half a second of silence alone was faster still but made 10.7% (Whisper
drops the last words). Whisper cut short of its window tends to say a sentence twice;
the repeat is trimmed.
"""

import re
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from ringline.voice.codec import resample
from ringline.voice.models import whisper_model

if TYPE_CHECKING:
    from faster_whisper.tokenizer import Tokenizer

__all__ = ["WHISPER_RATE", "WINDOW_SECONDS", "transcribe", "trim_repeats"]

WHISPER_RATE = 16000
_TAIL_SECONDS = 0.5
# Silence put before the speech: a word right at the window's start is misheard more
# often ("Sure." as "Make sure.", "Busy." as "Bezzy"), as it is in a clip cut at its onset.
_LEAD_SECONDS = 0.3
# The shortest window the encoder sees (bench/stt_bench.py compares others).
WINDOW_SECONDS = 6.0
# Fast speech is about 4 tokens a second; the floor leaves room for a short "yes, okay".
_TOKENS_PER_SECOND = 7
_MIN_TOKENS = 12
# Above this, Whisper itself says the audio held no speech (noise, a breath, a click).
_NO_SPEECH = 0.6
# Whisper's encoder takes at most 30 s, the silent tail included.
_LONGEST_SECONDS = 29


def transcribe(
    pcm: np.ndarray, sample_rate: int, cpu_threads: int = 2, window_seconds: float = WINDOW_SECONDS
) -> str:
    """The words in ``pcm`` (mono int16 at ``sample_rate``), or "" for no speech."""
    if len(pcm) == 0:
        return ""
    import ctranslate2

    model = whisper_model(cpu_threads)
    audio = resample(pcm, sample_rate, WHISPER_RATE).astype(np.float32) / 32768.0
    if len(audio) > _LONGEST_SECONDS * WHISPER_RATE:  # past one window: faster-whisper chunks it
        segments, _ = model.transcribe(audio, language="en", beam_size=1)
        return " ".join(segment.text.strip() for segment in segments).strip()
    lead = np.zeros(int(_LEAD_SECONDS * WHISPER_RATE), dtype=np.float32)
    spoken = len(lead) + len(audio)
    window = max(spoken + int(_TAIL_SECONDS * WHISPER_RATE), int(window_seconds * WHISPER_RATE))
    padded = np.concatenate([lead, audio, np.zeros(window - spoken, dtype=np.float32)])
    features = model.feature_extractor(padded, padding=0)
    budget = _MIN_TOKENS + int(_TOKENS_PER_SECOND * len(audio) / WHISPER_RATE)
    tokenizer = _tokenizer()
    [result] = model.model.generate(
        ctranslate2.StorageView.from_array(np.ascontiguousarray(features[np.newaxis])),
        [[*tokenizer.sot_sequence, tokenizer.no_timestamps]],
        beam_size=1,
        max_length=budget,
        return_no_speech_prob=True,
        suppress_blank=True,
    )
    if result.no_speech_prob > _NO_SPEECH:
        return ""
    return trim_repeats(tokenizer.decode(result.sequences_ids[0]).strip())


def trim_repeats(text: str) -> str:
    """``text`` without the loop Whisper falls into when its window is cut short: from
    the first run of words that the rest of the text only repeats, one copy is kept."""
    sentences: list[str] = _SENTENCE.findall(text)
    whole = "".join(sentences) == text
    if whole and len(sentences) > 1 and len({_key(s) for s in sentences}) == 1:
        return sentences[0].strip()  # "Hello? Hello?": one short sentence said over
    words = text.split()
    keys = [_key(word) for word in words]
    count = len(words)
    for start in range(count):
        # A loop repeats at least two words after its first copy ("yes yes yes", not
        # "that is that"), and runs to the end: the token budget cut it off there, maybe
        # inside a word ("I'm" cut to "I").
        for period in range(1, count - start - 1):
            looping = range(start + period, count - 1)
            last = keys[count - 1]
            if all(keys[k] == keys[k - period] for k in looping) and keys[
                count - 1 - period
            ].startswith(last):
                return " ".join(words[: start + period]).rstrip(",;")
    return text


_SENTENCE = re.compile(r"[^.?!]+[.?!]+")


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


@cache
def _tokenizer() -> "Tokenizer":
    from faster_whisper.tokenizer import Tokenizer

    model = whisper_model()
    return Tokenizer(
        model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en"
    )
