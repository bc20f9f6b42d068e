"""ringline: a self-hosted voice-AI calling platform."""

__version__ = "0.1.0"
