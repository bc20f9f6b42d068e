"""What a simulated callee observed on a call, in ``time.monotonic()`` seconds.

Times are the callee's clock; the callee runs on the same machine as the voice
engine, so they compare directly with the engine's own monotonic timestamps.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["BargeIn", "CalleeReport", "Latency", "Speech", "Exchange"]


@dataclass(frozen=True)
class Speech:
    """An utterance and when it was audible on the line."""

    text: str
    started_at: float
    ended_at: float


@dataclass(frozen=True)
class Exchange:
    """One agent turn and the callee's answer to it.

    ``heard`` is None when the agent said nothing audible before the callee spoke
    or hung up; ``said`` is None when the callee hung up instead of answering.
    """

    heard: Speech | None
    said: Speech | None
    interrupted: bool = False


@dataclass(frozen=True)
class Latency:
    """Voice-to-voice delay as the caller experiences it: from the end of the
    callee's speech to the first agent speech that arrived after it."""

    callee_stopped_at: float
    agent_started_at: float

    @property
    def seconds(self) -> float:
        return self.agent_started_at - self.callee_stopped_at


@dataclass(frozen=True)
class BargeIn:
    """The callee talking over the agent, and how quickly the agent gave way."""

    talked_over_at: float
    # When the agent's voice stopped in the callee's ear: the end of the last speech
    # that played out (a ``clear`` cuts it short at its arrival), or ``talked_over_at``
    # when the agent was already pausing then and never spoke on.
    agent_stopped_at: float
    cleared_at: float | None  # the server's first ``clear`` after ``talked_over_at``

    @property
    def stop_seconds(self) -> float:
        """How long the callee had to talk over the agent."""
        return self.agent_stopped_at - self.talked_over_at

    @property
    def clear_seconds(self) -> float | None:
        """How long the server took to send ``clear``."""
        return None if self.cleared_at is None else self.cleared_at - self.talked_over_at


@dataclass
class CalleeReport:
    connected_at: float
    ended_at: float = 0.0
    hung_up_by: Literal["callee", "agent"] = "callee"
    turns: list[Exchange] = field(default_factory=list)
    latencies: list[Latency] = field(default_factory=list)
    barge_ins: list[BargeIn] = field(default_factory=list)
    clears: list[float] = field(default_factory=list)  # arrival of every ``clear``
    agent_audio_seconds: float = 0.0  # all agent media received, silence included
    frames_sent: int = 0  # 20 ms media frames the callee put on the line
    keys_heard: str = ""  # keypad tones in the agent's audio, in order ("2", "12#")

    def summary(self) -> dict[str, Any]:
        """The report as plain JSON data, times in seconds since the call connected."""

        def since(moment: float | None) -> float | None:
            return None if moment is None else round(moment - self.connected_at, 3)

        def speech(part: Speech | None) -> dict[str, Any] | None:
            if part is None:
                return None
            return {"text": part.text, "start": since(part.started_at), "end": since(part.ended_at)}

        return {
            "hung_up_by": self.hung_up_by,
            "duration_seconds": since(self.ended_at),
            "turns": [
                {"heard": speech(t.heard), "said": speech(t.said), "interrupted": t.interrupted}
                for t in self.turns
            ],
            "latency_seconds": [round(latency.seconds, 3) for latency in self.latencies],
            "barge_ins": [
                {
                    "at": since(b.talked_over_at),
                    "stop_seconds": round(b.stop_seconds, 3),
                    "clear_seconds": None if b.clear_seconds is None else round(b.clear_seconds, 3),
                }
                for b in self.barge_ins
            ],
            "agent_audio_seconds": round(self.agent_audio_seconds, 3),
            "frames_sent": self.frames_sent,
            "keys_heard": self.keys_heard,
        }
