"""The simulated callee against a real Twilio Media Streams socket on loopback."""

import asyncio
import time
from collections.abc import Callable

import numpy as np
import pytest

from ringline.simulation import (
    OPENING_WAIT_SECONDS,
    Behaviour,
    CalleeEars,
    CalleeReport,
    LLMPersona,
    ScriptedPersona,
    SimulatedCallee,
)

from .openai_server import ChatServer
from .twilio_agent import CallerSide, TwilioAgent
from .wer import word_error_rate

Speak = Callable[[str], np.ndarray]

START = {
    "accountSid": "ACtest",
    "streamSid": "MZtest",
    "callSid": "CAtest",
    "customParameters": {"call_id": "call_123", "token": "secret-token"},
}
GREETING = "Hello, this is the city library calling. Is this a good time?"
QUESTION = "Your books are overdue. Can you return them this week?"
GOODBYE = "Thank you for your time. Have a nice day."
LECTURE = (
    "I am calling about the three books that you borrowed last month, which are now "
    "two weeks overdue, and about the fine that has been added to your account since then."
)


async def call(agent: TwilioAgent, callee: SimulatedCallee) -> CalleeReport:
    async with agent.serving() as url:
        return await callee.converse(url, START)


def assert_heard(report: CalleeReport, lines: list[str]) -> None:
    heard = [turn.heard.text for turn in report.turns if turn.heard]
    assert len(heard) == len(lines), heard
    for line, text in zip(lines, heard, strict=False):
        assert word_error_rate(line, text) < 0.3, (line, text)


def assert_said(caller: CallerSide, ears: CalleeEars, replies: list[str]) -> None:
    assert len(caller.utterances) == len(replies)
    for reply, audio in zip(replies, caller.utterances, strict=False):
        text = ears.transcribe_now(audio)
        assert word_error_rate(reply, text) < 0.3, (reply, text)


def assert_real_time_frames(caller: CallerSide) -> None:
    duration = caller.frame_times[-1] - caller.frame_times[0]
    assert len(caller.frame_times) == pytest.approx(duration / 0.02 + 1, rel=0.1)
    chunks = [int(frame["chunk"]) for frame in caller.frames]
    assert chunks == list(range(1, len(caller.frames) + 1))
    gaps = np.diff(caller.frame_times)
    assert np.percentile(gaps, 99) < 0.06  # no stalls: a phone line never pauses


def test_ring_plan_follows_the_behaviour() -> None:
    def plan(behaviour: Behaviour) -> tuple[str, float, bool]:
        callee = SimulatedCallee(behaviour, ScriptedPersona([]))
        ring_plan = callee.ring_plan(30.0, ring_seconds=6.0)
        return ring_plan.status, ring_plan.after_seconds, ring_plan.ringing

    assert plan(Behaviour()) == ("in-progress", 6.0, True)
    assert plan(Behaviour(rings=0)) == ("in-progress", 0.0, False)
    assert plan(Behaviour(rings=3)) == ("in-progress", 18.0, True)
    assert plan(Behaviour(rings=6)) == ("no-answer", 30.0, True)
    assert plan(Behaviour(answer="no-answer")) == ("no-answer", 30.0, True)
    assert plan(Behaviour(answer="busy")) == ("busy", 0.0, False)
    assert plan(Behaviour(answer="fail")) == ("failed", 0.0, False)


async def test_scripted_callee_answers_in_order_then_hangs_up(
    speak: Speak, ears: CalleeEars
) -> None:
    replies = ["Yes, now is fine.", "Yes, I can bring them on Friday."]
    agent = TwilioAgent([speak(GREETING), speak(QUESTION), speak(GOODBYE)])
    report = await call(agent, SimulatedCallee(Behaviour(), ScriptedPersona(replies)))

    assert report.hung_up_by == "callee"
    assert agent.caller.events() == ["connected", "start", "mark", "mark", "mark", "stop"]
    assert agent.caller.messages[1]["start"]["customParameters"] == START["customParameters"]
    assert agent.caller.messages[1]["start"]["mediaFormat"] == {
        "encoding": "audio/x-mulaw",
        "sampleRate": 8000,
        "channels": 1,
    }
    assert [turn.said.text if turn.said else None for turn in report.turns] == [*replies, None]
    assert_heard(report, [GREETING, QUESTION, GOODBYE])
    assert_said(agent.caller, ears, replies)
    assert_real_time_frames(agent.caller)
    assert report.frames_sent == len(agent.caller.frames)
    assert len(report.latencies) == 2
    for latency, turn in zip(report.latencies, report.turns[1:], strict=False):
        assert 0.4 < latency.seconds < 2.0  # the fake agent waits 500 ms of silence
        assert latency.agent_started_at == pytest.approx(turn.heard.started_at, abs=0.03)
    assert report.agent_audio_seconds == pytest.approx(
        sum(len(speak(line)) for line in [GREETING, QUESTION, GOODBYE]) / 8000, abs=0.05
    )


async def test_a_callee_with_an_opening_says_it_to_an_agent_that_waits(
    speak: Speak, ears: CalleeEars
) -> None:
    agent = TwilioAgent([speak(GREETING), speak(GOODBYE)], waits_for_caller=True)
    callee = SimulatedCallee(Behaviour(), ScriptedPersona(["Yes, now is fine."]), opening="Hello?")
    report = await call(agent, callee)

    opening, answered, last = report.turns
    assert opening.heard is None and opening.said.text == "Hello?"
    assert opening.said.started_at - report.connected_at >= OPENING_WAIT_SECONDS
    assert answered.said.text == "Yes, now is fine." and last.said is None
    assert_heard(report, [GREETING, GOODBYE])
    assert_said(agent.caller, ears, ["Hello?", "Yes, now is fine."])
    assert report.hung_up_by == "callee"


async def test_a_callee_with_an_opening_lets_an_agent_that_greets_speak_first(
    speak: Speak, ears: CalleeEars
) -> None:
    agent = TwilioAgent([speak(GREETING), speak(GOODBYE)])
    callee = SimulatedCallee(Behaviour(), ScriptedPersona(["Yes, now is fine."]), opening="Hello?")
    report = await call(agent, callee)

    assert [turn.said.text if turn.said else None for turn in report.turns] == [
        "Yes, now is fine.",
        None,
    ]
    assert_said(agent.caller, ears, ["Yes, now is fine."])


async def test_agent_hanging_up_ends_the_call(speak: Speak) -> None:
    agent = TwilioAgent([speak(GREETING)], hang_up_at_end=True)
    report = await call(agent, SimulatedCallee(Behaviour(), ScriptedPersona(["Yes.", "Hello?"])))

    assert report.hung_up_by == "agent"
    assert "stop" not in agent.caller.events()
    assert [turn.said.text for turn in report.turns if turn.said] == ["Yes."]
    assert report.ended_at - agent.caller.closed_at < 0.2


async def test_callee_hangs_up_mid_call(speak: Speak) -> None:
    agent = TwilioAgent([speak(LECTURE)])
    callee = SimulatedCallee(Behaviour(hangup_after_seconds=2.5), ScriptedPersona(["Fine."]))
    began = time.monotonic()
    report = await call(agent, callee)

    assert report.hung_up_by == "callee"
    assert report.ended_at - report.connected_at == pytest.approx(2.5, abs=0.2)
    assert time.monotonic() - began < 3.5
    assert agent.caller.events()[-1] == "stop"
    assert agent.caller.messages[-1]["stop"]["callSid"] == "CAtest"
    assert report.agent_audio_seconds == pytest.approx(2.5, abs=0.3)


async def test_cancelling_the_callee_tears_the_call_down(speak: Speak) -> None:
    agent = TwilioAgent([speak(LECTURE)])
    async with agent.serving() as url:
        callee = SimulatedCallee(Behaviour(), ScriptedPersona(["Fine."]))
        conversation = asyncio.create_task(callee.converse(url, START))
        await asyncio.sleep(1.0)
        conversation.cancel()
        with pytest.raises(asyncio.CancelledError):
            await conversation

    assert not [task for task in asyncio.all_tasks() if task.get_name().startswith("callee-")]
    assert agent.caller.frame_times and "stop" not in agent.caller.events()


async def test_callee_talks_over_the_agent(speak: Speak) -> None:
    objection = "Sorry, I have to stop you there."
    agent = TwilioAgent([speak(LECTURE), speak(GOODBYE)])
    behaviour = Behaviour(interrupt_after_seconds=1.0, interrupt_turn=1)
    report = await call(agent, SimulatedCallee(behaviour, ScriptedPersona([objection])))

    interrupted, last = report.turns
    assert interrupted.interrupted and interrupted.said.text == objection
    assert interrupted.said.started_at - interrupted.heard.started_at >= 1.0
    heard_seconds = interrupted.heard.ended_at - interrupted.heard.started_at
    assert heard_seconds < len(speak(LECTURE)) / 8000 / 2
    assert word_error_rate(LECTURE, interrupted.heard.text) > 0.5  # only the start was heard

    (barge_in,) = report.barge_ins
    (cleared_at,) = report.clears
    assert barge_in.cleared_at == cleared_at
    assert cleared_at == pytest.approx(agent.caller.clears_sent[0], abs=0.05)
    assert 0 <= barge_in.stop_seconds <= barge_in.clear_seconds < 0.5
    assert barge_in.agent_stopped_at <= cleared_at
    assert word_error_rate(GOODBYE, last.heard.text) < 0.3
    assert last.said is None and report.hung_up_by == "callee"


async def test_llm_persona_replies_from_what_it_heard(speak: Speak, ears: CalleeEars) -> None:
    answer = "I would like to pay the fine today."
    chat = ChatServer(answer)
    # Sent as Pipecat sends: twice real time, 100 ms at a time.
    agent = TwilioAgent([speak(GREETING), speak(GOODBYE)], speed=2.0, chunk_samples=800)
    async with chat.serving() as base_url:
        persona = LLMPersona(
            goal="Pay the library fine",
            base_url=base_url,
            model="persona-model",
            api_key="sk-test",
            max_turns=1,
        )
        report = await call(agent, SimulatedCallee(Behaviour(), persona))

    (request,) = chat.requests
    assert chat.authorizations == ["Bearer sk-test"]
    assert request["model"] == "persona-model"
    system, heard = request["messages"]
    assert system["role"] == "system" and "Pay the library fine" in system["content"]
    assert heard["role"] == "user" and word_error_rate(GREETING, heard["content"]) < 0.3
    assert [turn.said.text if turn.said else None for turn in report.turns] == [answer, None]
    assert_said(agent.caller, ears, [answer])
    assert report.hung_up_by == "callee"
    for turn, line in zip(report.turns, [GREETING, GOODBYE], strict=False):
        played = turn.heard.ended_at - turn.heard.started_at
        assert played == pytest.approx(len(speak(line)) / 8000, abs=0.1)  # heard at phone pace
