"""When a campaign may dial: its schedule, its daily window and the workspace's quiet hours.

All three are read in the campaign's time zone. Daily windows and quiet hours are local
``HH:MM`` pairs, start inclusive and end exclusive; a pair whose end is before its start
wraps past midnight (quiet hours 21:00-09:00 cover the night).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LocalSpan = tuple[time, time]


def parse_hhmm(value: str) -> time:
    """``"09:30"`` as a time; ValueError otherwise."""
    hours, sep, minutes = value.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2:
        raise ValueError(f"'{value}' is not a local time like 09:30")
    return time(int(hours), int(minutes))


def span(start: str | None, end: str | None) -> LocalSpan | None:
    if start is None or end is None:
        return None
    return parse_hhmm(start), parse_hhmm(end)


def within(local: time, hours: LocalSpan) -> bool:
    start, end = hours
    if start <= end:
        return start <= local < end
    return local >= start or local < end


@dataclass(frozen=True)
class CallingWindows:
    timezone: ZoneInfo
    schedule_start: datetime | None = None
    schedule_end: datetime | None = None
    daily: LocalSpan | None = None
    quiet: LocalSpan | None = None

    def open_at(self, now: datetime) -> bool:
        """Whether a call may start at ``now`` (an aware datetime)."""
        if self.schedule_start is not None and now < self.schedule_start:
            return False
        if self.schedule_end is not None and now >= self.schedule_end:
            return False
        local = now.astimezone(self.timezone).time()
        if self.daily is not None and not within(local, self.daily):
            return False
        return self.quiet is None or not within(local, self.quiet)

    def over_at(self, now: datetime) -> bool:
        """Whether the schedule has ended: nothing more will be dialed."""
        return self.schedule_end is not None and now >= self.schedule_end

    def next_open(self, now: datetime, horizon: timedelta = timedelta(days=8)) -> datetime | None:
        """The first minute from ``now`` at which dialing may start; None if not within
        ``horizon`` (or never again)."""
        moment = max(now, self.schedule_start or now)
        if self.open_at(moment):
            return moment
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        end = now + horizon
        while moment < end and not self.over_at(moment):
            if self.open_at(moment):
                return moment
            moment += timedelta(minutes=1)
        return None
