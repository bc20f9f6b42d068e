"""Simulated callees: people on a phone line who ring, answer, listen and talk."""

from .callee import (
    OPENING_WAIT_SECONDS,
    RING_SECONDS,
    VOICEMAIL_GREETING,
    Behaviour,
    RingPlan,
    SimulatedCallee,
)
from .persona import LLMPersona, Persona, ScriptedPersona
from .report import BargeIn, CalleeReport, Exchange, Latency, Speech
from .speech import CalleeEars, CalleeVoice

__all__ = [
    "OPENING_WAIT_SECONDS",
    "RING_SECONDS",
    "VOICEMAIL_GREETING",
    "BargeIn",
    "Behaviour",
    "CalleeEars",
    "CalleeReport",
    "CalleeVoice",
    "LLMPersona",
    "Latency",
    "Persona",
    "RingPlan",
    "ScriptedPersona",
    "SimulatedCallee",
    "Speech",
    "Exchange",
]
