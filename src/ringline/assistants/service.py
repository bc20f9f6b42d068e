"""Assistants of a workspace: every query here is filtered by the workspace."""

from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.schemas import AssistantCreate, AssistantUpdate
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import BadRequest
from ringline.models import Assistant
from ringline.tools.schemas import HttpTool
from ringline.webhooks.safety import UnsafeUrl, refuse_private


async def list_assistants(session: AsyncSession, workspace_id: str) -> list[Assistant]:
    return await list_owned(session, Assistant, workspace_id)


async def get_assistant(session: AsyncSession, workspace_id: str, assistant_id: str) -> Assistant:
    return await get_owned(session, Assistant, workspace_id, assistant_id, "assistant")


def check_active(assistant: Assistant, to: str) -> None:
    """400 unless the assistant is active; ``to`` says what it was asked to do."""
    if assistant.status != "active":
        raise BadRequest(
            f"assistant {assistant.id} is {assistant.status}; activate it to {to}",
            {"field": "assistant_id", "status": assistant.status},
        )


async def get_active_assistant(
    session: AsyncSession, workspace_id: str, assistant_id: str, to: str
) -> Assistant:
    assistant = await get_assistant(session, workspace_id, assistant_id)
    check_active(assistant, to)
    return assistant


async def create_assistant(
    session: AsyncSession, workspace_id: str, data: AssistantCreate, *, allow_private: bool
) -> Assistant:
    await _check_tool_urls(data.tools, allow_private)
    assistant = Assistant(workspace_id=workspace_id, **data.model_dump())
    session.add(assistant)
    await session.flush()
    return assistant


async def update_assistant(
    session: AsyncSession,
    workspace_id: str,
    assistant_id: str,
    data: AssistantUpdate,
    *,
    allow_private: bool,
) -> Assistant:
    await _check_tool_urls(data.tools or [], allow_private)
    assistant = await get_assistant(session, workspace_id, assistant_id)
    for field, value in data.changes().items():
        setattr(assistant, field, value)
    await session.flush()
    return assistant


async def _check_tool_urls(tools: list[HttpTool], allow_private: bool) -> None:
    """400 for a tool aimed at the server's own network, as for a webhook URL (SSRF)."""
    if allow_private:
        return
    for index, tool in enumerate(tools):
        try:
            await refuse_private(tool.url)
        except UnsafeUrl as exc:
            field = f"tools[{index}].url"
            raise BadRequest(str(exc), [{"field": field, "problem": str(exc)}]) from exc
