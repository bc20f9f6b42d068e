"""The bundled Whisper run on the utterance alone: what it hears of real synthesized speech."""

import re

import numpy as np
import pytest

from ringline.simulation.speech import CalleeVoice
from ringline.voice.codec import PHONE_RATE
from ringline.voice.stt import transcribe, trim_repeats
from tests.simulation.wer import word_error_rate


@pytest.mark.parametrize(
    ("looped", "kept"),
    [
        ("yes yes yes yes", "yes"),
        ("Hello? Hello?", "Hello?"),
        ("Fine. Fine. Fine.", "Fine."),
        ("speaking, speaking, speaking, speaking", "speaking"),
        ("Yes, this is Rahul speaking. Yes, this is Rahul", "Yes, this is Rahul speaking."),
        ("Okay. Does it cover my parents? Does it cover", "Okay. Does it cover my parents?"),
        (
            "Good morning. I'm calling about it. Good morning. I",
            "Good morning. I'm calling about it.",
        ),
    ],
)
def test_the_loop_of_a_cut_short_window_is_trimmed_to_one_copy(looped, kept):
    assert trim_repeats(looped) == kept


@pytest.mark.parametrize(
    "said",
    [
        "Yes. Yes. I want it.",
        "That is that.",
        "Bye bye.",
        "No no, I'm fine.",
        "I think, I think so.",
    ],
)
def test_words_that_merely_recur_are_kept(said):
    assert trim_repeats(said) == said


@pytest.mark.parametrize(
    "said",
    [
        "Yes.",
        "Speaking.",
        "Yes, this is Rahul speaking.",
        "What does the renewal cost this year?",
        "No, I am not interested, please do not call me again.",
    ],
)
def test_phone_speech_is_transcribed_once_and_whole(said):
    heard = transcribe(CalleeVoice().synthesize_now(said), PHONE_RATE)

    assert word_error_rate(said, heard) <= 0.2, heard


LONE_WORDS = ["Hello?", "Sure.", "Yes.", "Okay.", "Speaking.", "No.", "Goodbye.", "Right."]
LONE_WORDS += ["Yeah.", "Fine.", "Busy.", "Later."]


@pytest.mark.parametrize("lead_seconds", [0.0, 1.0])
def test_most_lone_words_are_heard_right_wherever_they_start(lead_seconds):
    voice = CalleeVoice()
    lead = np.zeros(int(lead_seconds * PHONE_RATE), dtype=np.int16)
    heard = [
        transcribe(np.concatenate([lead, voice.synthesize_now(w)]), PHONE_RATE) for w in LONE_WORDS
    ]

    right = [w for w, h in zip(LONE_WORDS, heard, strict=True) if word_error_rate(w, h) == 0]
    assert len(right) >= 9, list(zip(LONE_WORDS, heard, strict=True))


def test_silence_is_no_words():
    assert transcribe(np.zeros(PHONE_RATE, dtype=np.int16), PHONE_RATE) == ""
    assert transcribe(np.zeros(0, dtype=np.int16), PHONE_RATE) == ""


def test_an_utterance_longer_than_whisper_window_is_transcribed_in_full():
    sentence = CalleeVoice().synthesize_now("The renewal costs twelve thousand rupees a year.")
    gap = np.zeros(PHONE_RATE // 2, dtype=np.int16)
    long = np.concatenate([np.concatenate([sentence, gap])] * 12)
    assert len(long) > 30 * PHONE_RATE

    heard = transcribe(long, PHONE_RATE)

    # Each sentence, none trimmed at the window's edge. Counted by the amount: piper's
    # voice varies from run to run, and whisper tiny may hear "rupees" as "rubies".
    assert len(re.findall(r"12,000|twelve thousand", heard)) >= 10, heard
