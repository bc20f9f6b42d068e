"""The sandbox carrier's simulated callees, reached over Twilio's Media Streams protocol."""

from .callee import RING_SECONDS, Behaviour, RingPlan, SimulatedCallee
from .persona import LLMPersona, Persona, ScriptedPersona
from .report import BargeIn, CalleeReport, Latency, Speech, Turn
from .speech import CalleeEars, CalleeVoice

__all__ = [
    "RING_SECONDS",
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
    "Turn",
]
