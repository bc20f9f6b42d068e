"""Call backs: the customer's words read as a moment on their clock, out of quiet hours,
and the call placed for it as the asking call ends."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ringline.calls.lifecycle import transition
from ringline.campaigns.windows import CallingWindows, span
from ringline.models import Call
from ringline.runtime.callbacks import callback_moment
from tests.fixtures.rows import call_row, workspace_with_assistant

IST = ZoneInfo("Asia/Kolkata")
# Friday 4 December 2026, 10:30 in Mumbai.
NOW = datetime(2026, 12, 4, 10, 30, tzinfo=IST).astimezone(UTC)
NIGHTS_QUIET = CallingWindows(IST, quiet=span("21:00", "09:00"))


@pytest.mark.parametrize(
    ("asked", "local"),
    [
        ("tomorrow at 5 pm", datetime(2026, 12, 5, 17, 0)),
        ("on Monday", datetime(2026, 12, 7, 10, 30)),  # the hour this call reached them
        ("in two hours", datetime(2026, 12, 4, 12, 30)),
        ("at 10 pm", datetime(2026, 12, 5, 9, 0)),  # quiet from 21:00: the morning after
        ("next week", datetime(2026, 12, 11, 10, 30)),
        ("", datetime(2026, 12, 5, 10, 30)),  # "call me back later"
    ],
)
def test_the_words_are_read_on_the_customers_clock_and_out_of_quiet_hours(asked, local):
    at = callback_moment(asked, NOW, NIGHTS_QUIET)

    assert at is not None and at.tzinfo is UTC
    assert at.astimezone(IST).replace(tzinfo=None) == local


def test_a_call_back_further_off_than_calls_can_be_scheduled_is_not_placed():
    assert callback_moment("on the 20th of February", NOW, NIGHTS_QUIET) is None


async def test_the_call_back_is_placed_as_the_asking_call_ends(session):
    workspace, assistant = await workspace_with_assistant(session, "callbacks")
    asking = call_row(workspace.id, assistant.id, dynamic_variables={"customer_name": "Rahul"})
    session.add(asking)
    await session.flush()
    at = NOW + timedelta(days=1)
    await transition(session, asking, "in-progress")

    await transition(session, asking, "completed", callback_requested="tomorrow", callback_at=at)

    placed = await session.scalar(select(Call).where(Call.callback_of == asking.id))
    assert placed is not None and asking.callback_call_id == placed.id
    assert placed.status == "initiated" and placed.scheduled_at == at
    assert (placed.to_number, placed.from_number) == (asking.to_number, asking.from_number)
    assert placed.dynamic_variables == {"customer_name": "Rahul"}
    assert placed.callback_at is None  # it asked for nothing itself


async def test_a_call_back_asked_for_but_not_scheduled_places_nothing(session):
    workspace, assistant = await workspace_with_assistant(session, "no-callbacks")
    asking = call_row(workspace.id, assistant.id)
    session.add(asking)
    await session.flush()
    await transition(session, asking, "in-progress")

    await transition(session, asking, "completed", callback_requested="tomorrow")

    assert asking.callback_call_id is None
    assert await session.scalar(select(Call).where(Call.callback_of == asking.id)) is None
