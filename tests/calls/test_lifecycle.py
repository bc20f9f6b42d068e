from datetime import timedelta

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from ringline.calls.lifecycle import TERMINAL, TRANSITIONS, IllegalTransition, transition
from ringline.db.base import utcnow
from tests.fixtures.rows import call_row, workspace_with_assistant

ALL = list(TRANSITIONS)


@pytest.fixture
async def call(session):
    workspace, assistant = await workspace_with_assistant(session, "lifecycle")
    call = call_row(workspace.id, assistant.id)
    session.add(call)
    await session.flush()
    return call


async def test_a_call_walks_to_completed_and_gets_its_timestamps(session, call):
    answered = utcnow()
    await transition(session, call, "ringing")
    await transition(session, call, "in-progress", at=answered)
    await transition(session, call, "completed", at=answered + timedelta(seconds=41.6))

    await session.refresh(call)
    assert call.status == "completed"
    assert call.answered_at is not None and call.ended_at > call.answered_at
    assert call.duration_seconds == 42


@pytest.mark.parametrize(
    "path",
    [
        ["completed"],
        ["in-progress", "busy"],
        ["busy", "ringing"],
        ["ringing", "ringing"],
        ["ringing", "completed"],
    ],
)
async def test_illegal_transitions_are_refused_and_nothing_is_stored(session, call, path):
    *legal, illegal = path
    for status in legal:
        await transition(session, call, status)

    with pytest.raises(IllegalTransition):
        await transition(session, call, illegal)

    await session.refresh(call)
    assert call.status == (legal[-1] if legal else "initiated")


async def test_a_stale_copy_cannot_overwrite_a_newer_status(session, call):
    await transition(session, call, "in-progress")
    # What a second worker that read the row before the answer would hold in memory.
    set_committed_value(call, "status", "ringing")

    with pytest.raises(IllegalTransition):
        await transition(session, call, "no-answer")

    await session.refresh(call)
    assert call.status == "in-progress"


def test_terminal_statuses_lead_nowhere_and_every_status_is_reachable():
    assert all(not TRANSITIONS[status] for status in TERMINAL)
    reachable = {"initiated"} | {s for targets in TRANSITIONS.values() for s in targets}
    assert reachable == set(ALL)
