"""Telling an answering machine from a person: the greeting's words, and the beep heard
in 20 ms frames of phone audio (not in speech, noise or a click)."""

import numpy as np
import pytest

from ringline.simulation import CalleeVoice
from ringline.voice.voicemail import BeepEar, is_machine_greeting, tone_pitch

RATE = 8000
FRAME = 160  # 20 ms


@pytest.mark.parametrize(
    "greeting",
    [
        "Hi, you've reached Sam Carter. I can't take your call right now.",
        "The person you are calling is not available.",
        "Please leave a message after the tone.",
        "You have reached the voicemail of 98123 45678.",
        "The number you have dialled is unavailable, please record your message at the beep.",
        "Sorry, we cannot take your call. Leave us a message.",
    ],
)
def test_a_machines_greeting_reads_as_one(greeting):
    assert is_machine_greeting(greeting)


@pytest.mark.parametrize(
    "opening",
    [
        "Hello?",
        "Yes, speaking.",
        "Hello, who is this?",
        "Hi, this is Sam. Who's calling?",
        "I'm busy right now, can you call later?",
        "Yes, I got your message yesterday.",
    ],
)
def test_a_person_picking_up_does_not(opening):
    assert not is_machine_greeting(opening)


def tone(hz: float, seconds: float, amplitude: float = 8000) -> np.ndarray:
    times = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * times)).astype(np.int16)


def beeps(audio: np.ndarray) -> bool:
    ear = BeepEar()
    frames = [audio[i : i + FRAME] for i in range(0, len(audio) - FRAME + 1, FRAME)]
    return any(ear.hear(frame.tobytes(), RATE) for frame in frames)


@pytest.mark.parametrize("hz", [600.0, 1000.0, 1400.0, 2000.0])
def test_a_beep_is_heard_at_its_pitch(hz):
    assert tone_pitch(tone(hz, 0.02).tobytes(), RATE) == pytest.approx(hz, abs=RATE / FRAME)
    assert beeps(np.concatenate([np.zeros(800, np.int16), tone(hz, 0.4)]))


def test_speech_noise_a_click_and_a_quiet_tone_are_no_beep():
    speech = CalleeVoice().synthesize_now(
        "Hi, you have reached Sam Carter. Please leave a message after the tone."
    )
    noise = np.random.default_rng(7).normal(0, 3000, RATE).astype(np.int16)
    assert not beeps(speech)
    assert not beeps(noise)
    assert not beeps(tone(1000, 0.1))  # too short: a click or a key
    assert not beeps(tone(1000, 1.0, amplitude=100))  # far under the line's speech
    assert not beeps(tone(200, 1.0))  # a hum, below the beep's band
