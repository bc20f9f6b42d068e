"""When to call back a customer who asked for it: their words ("tomorrow at 5 pm", "next
week", "after lunch") read on their own clock, then moved out of the workspace's quiet
hours. A day without an hour keeps the hour of this call, which reached them; words that
name no moment at all read as the same time tomorrow ("next week": a week on)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls.service import SCHEDULE_HORIZON
from ringline.campaigns.windows import CallingWindows, span
from ringline.models import Call, Campaign, Workspace
from ringline.outcomes.when import spoken_time


def callback_moment(asked: str, now: datetime, windows: CallingWindows) -> datetime | None:
    """The moment to call back, in UTC; None when it is further off than calls can be
    scheduled (30 days) or the quiet hours leave no minute for it."""
    local = now.astimezone(windows.timezone)
    spoken = spoken_time(asked, local)
    if spoken is None:
        at = local + timedelta(days=7 if "week" in asked.lower() else 1)
    elif spoken.clock is None:
        assert spoken.day is not None
        at = datetime.combine(spoken.day, local.time(), windows.timezone)
    else:
        at = spoken.moment(local) or local
    opens = windows.next_open(max(at, local))
    if opens is None or opens > now + SCHEDULE_HORIZON:
        return None
    return opens.astimezone(UTC)


async def calling_windows(session: AsyncSession, call: Call, default_zone: str) -> CallingWindows:
    """The customer's clock (the call's campaign's time zone, else the server's) and the
    workspace's quiet hours."""
    workspace = await session.get(Workspace, call.workspace_id)
    campaign = await session.get(Campaign, call.campaign_id) if call.campaign_id else None
    zone = ZoneInfo(campaign.timezone if campaign else default_zone)
    quiet = span(workspace.quiet_hours_start, workspace.quiet_hours_end) if workspace else None
    return CallingWindows(zone, quiet=quiet)
