import warnings

import numpy as np
import pytest

from ringline.voice.codec import resample, ulaw_decode, ulaw_encode

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # the reference G.711 implementation until Python 3.13


def test_encode_matches_audioop_for_every_sample() -> None:
    samples = np.arange(-32768, 32768, dtype=np.int16)
    assert ulaw_encode(samples) == audioop.lin2ulaw(samples.tobytes(), 2)


def test_decode_matches_audioop_for_every_code() -> None:
    codes = bytes(range(256))
    assert ulaw_decode(codes).tobytes() == audioop.ulaw2lin(codes, 2)


def test_round_trip_stays_within_a_quantisation_step() -> None:
    samples = np.linspace(-30000, 30000, 1001).astype(np.int16)
    error = np.abs(ulaw_decode(ulaw_encode(samples)).astype(np.int32) - samples)
    assert np.all(error <= np.maximum(8, np.abs(samples.astype(np.int32)) // 16))


@pytest.mark.parametrize(
    ("from_rate", "to_rate"),
    [(22050, 8000), (8000, 16000), (16000, 8000), (8000, 22050), (16000, 22050), (8000, 8000)],
)
def test_resampling_keeps_the_duration(from_rate: int, to_rate: int) -> None:
    second = np.zeros(from_rate, dtype=np.int16)
    resampled = resample(second, from_rate, to_rate)
    assert resampled.dtype == np.int16
    assert abs(len(resampled) - to_rate) <= 1
    assert abs(len(resample(second[: from_rate // 50], from_rate, to_rate)) - to_rate // 50) <= 1


def test_resampling_keeps_a_tone() -> None:
    t = np.arange(22050) / 22050
    tone = (10000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    phone = resample(tone, 22050, 8000)
    peak = np.argmax(np.abs(np.fft.rfft(phone.astype(np.float32))))
    assert abs(peak * 8000 / len(phone) - 440) < 2
