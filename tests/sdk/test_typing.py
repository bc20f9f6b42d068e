"""The SDK passes ``mypy --strict``, and so does code that uses its lists as lists."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_sdk_and_code_using_its_lists_pass_mypy_strict() -> None:
    usage = Path(__file__).parent / "typed" / "list_usage.py"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "src/ringline/sdk", str(usage)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
