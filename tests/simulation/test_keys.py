"""The callee's ear for keypad tones: the tones Pipecat sends decoded back to their keys,
and no key heard in speech or noise."""

import asyncio

import numpy as np
from pipecat.audio.dtmf.types import KeypadEntry
from pipecat.audio.dtmf.utils import load_dtmf_audio

from ringline.simulation import CalleeVoice
from ringline.simulation.keys import KeyTones


def tones(keys: str) -> np.ndarray:
    async def load() -> list[bytes]:
        return [await load_dtmf_audio(KeypadEntry(key), sample_rate=8000) for key in keys]

    return np.frombuffer(b"".join(asyncio.run(load())), np.int16)


def heard(audio: np.ndarray, piece: int = 137) -> str:
    ear = KeyTones()
    for start in range(0, len(audio), piece):  # in pieces that are no 20 ms frames
        ear.hear(audio[start : start + piece])
    return ear.keys


def test_the_agents_key_tones_decode_to_their_keys():
    assert heard(tones("2")) == "2"
    assert heard(tones("1590*#")) == "1590*#"
    assert heard(tones("33")) == "33"  # the silence between two presses parts them


def test_speech_and_noise_press_no_key():
    speech = CalleeVoice().synthesize_now("For sales, press one. For accounts, press two.")
    noise = np.random.default_rng(3).normal(0, 3000, 16000).astype(np.int16)

    assert heard(speech) == ""
    assert heard(noise) == ""
