from datetime import datetime

from pydantic import BaseModel


class PlanLimits(BaseModel):
    concurrent_calls: int
    monthly_minutes: int | None


class Usage(BaseModel):
    calls_this_month: int
    minutes_this_month: float
    concurrent_calls: int
    limits: PlanLimits


class WorkspaceRead(BaseModel):
    id: str
    name: str
    plan: str
    usage: Usage
    created_at: datetime
