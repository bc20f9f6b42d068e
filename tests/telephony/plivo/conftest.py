import pytest


@pytest.fixture
def carrier() -> str:
    return "plivo"
