"""Calling windows, time zones and quiet hours, driven with explicit instants."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ringline.campaigns.windows import CallingWindows, parse_hhmm, span, within

IST = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
QUIET = span("21:00", "09:00")


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


@pytest.mark.parametrize(
    ("local", "inside"),
    [(time(20, 59), False), (time(21, 0), True), (time(3, 0), True), (time(8, 59), True)]
    + [(time(9, 0), False), (time(12, 0), False)],
)
def test_quiet_hours_wrap_past_midnight(local, inside):
    assert within(local, QUIET) is inside


def test_quiet_hours_are_read_in_the_campaign_time_zone():
    windows = CallingWindows(timezone=IST, quiet=QUIET)
    assert not windows.open_at(at(IST, 2030, 3, 1, 8, 59))
    assert windows.open_at(at(IST, 2030, 3, 1, 9, 0))
    assert windows.open_at(at(IST, 2030, 3, 1, 20, 59))
    assert not windows.open_at(at(IST, 2030, 3, 1, 21, 0))
    # 16:00 UTC is 21:30 in India: quiet there, though mid-afternoon in UTC.
    assert not windows.open_at(datetime(2030, 3, 1, 16, 0, tzinfo=UTC))


def test_daily_window_and_quiet_hours_both_apply():
    windows = CallingWindows(timezone=IST, daily=span("08:00", "22:00"), quiet=QUIET)
    assert not windows.open_at(at(IST, 2030, 3, 1, 8, 30))  # in the window, but quiet
    assert windows.open_at(at(IST, 2030, 3, 1, 9, 30))
    assert not windows.open_at(at(IST, 2030, 3, 1, 21, 30))


def test_daily_window_follows_daylight_saving_time():
    windows = CallingWindows(timezone=NEW_YORK, daily=span("10:00", "12:00"))
    # 14:30 UTC is 09:30 in winter (EST, UTC-5) and 10:30 in summer (EDT, UTC-4).
    assert not windows.open_at(datetime(2030, 1, 15, 14, 30, tzinfo=UTC))
    assert windows.open_at(datetime(2030, 7, 15, 14, 30, tzinfo=UTC))


def test_schedule_bounds_are_instants():
    windows = CallingWindows(
        timezone=IST,
        schedule_start=at(IST, 2030, 2, 7, 9, 0),
        schedule_end=at(IST, 2030, 2, 7, 18, 0),
    )
    assert not windows.open_at(at(IST, 2030, 2, 7, 8, 59))
    assert windows.open_at(at(IST, 2030, 2, 7, 9, 0))
    assert not windows.open_at(at(IST, 2030, 2, 7, 18, 0))
    assert windows.over_at(at(IST, 2030, 2, 7, 18, 0))
    assert not windows.over_at(at(IST, 2030, 2, 7, 17, 59))


def test_next_open_finds_the_morning_after_quiet_hours():
    windows = CallingWindows(timezone=IST, daily=span("10:00", "18:00"), quiet=QUIET)
    assert windows.next_open(at(IST, 2030, 3, 1, 22, 15)) == at(IST, 2030, 3, 2, 10, 0)
    now = at(IST, 2030, 3, 1, 11, 0)
    assert windows.next_open(now) == now
    ended = CallingWindows(timezone=IST, schedule_end=at(IST, 2030, 3, 1, 12, 0), quiet=QUIET)
    assert ended.next_open(at(IST, 2030, 3, 1, 22, 0)) is None


def test_parse_hhmm_refuses_loose_forms():
    assert parse_hhmm("09:05") == time(9, 5)
    for bad in ("9:05", "0905", "09:5"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)
