"""Where a call's recording lives: one WAV file per call in the data directory."""

from pathlib import Path

from ringline.config import Settings


def recording_path(settings: Settings, call_id: str) -> Path:
    return settings.data_dir / "recordings" / f"{call_id}.wav"
