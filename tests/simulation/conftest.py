from collections.abc import Callable
from functools import cache

import numpy as np
import pytest

from ringline.simulation import CalleeEars, CalleeVoice


@pytest.fixture(scope="session")
def ears() -> CalleeEars:
    return CalleeEars()


@pytest.fixture(scope="session")
def speak() -> Callable[[str], np.ndarray]:
    """Phone-rate speech of a line, synthesized once per session."""
    return cache(CalleeVoice().synthesize_now)
