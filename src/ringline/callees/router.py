from fastapi import APIRouter, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.callees import service
from ringline.callees.schemas import SandboxCalleeCreate, SandboxCalleeList, SandboxCalleeRead
from ringline.errors import BadRequest
from ringline.phone import to_e164

router = APIRouter(prefix="/sandbox/callees", tags=["sandbox"])


@router.get("", response_model=SandboxCalleeList)
async def list_sandbox_callees(
    principal: Principal = Reader, session: AsyncSession = Session
) -> SandboxCalleeList:
    """The simulated callees the sandbox carrier reaches at particular numbers."""
    callees = await service.list_callees(session, principal.workspace_id)
    return SandboxCalleeList(callees=[SandboxCalleeRead.model_validate(c) for c in callees])


@router.post(
    "",
    response_model=SandboxCalleeRead,
    status_code=201,
    responses={200: {"model": SandboxCalleeRead, "description": "Replaced the number's callee"}},
)
async def put_sandbox_callee(
    body: SandboxCalleeCreate,
    response: Response,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> SandboxCalleeRead:
    """Bind a number to a simulated callee's behaviour and persona (replacing any before)."""
    callee, created = await service.put_callee(session, principal.workspace_id, body)
    if not created:
        response.status_code = 200
    return SandboxCalleeRead.model_validate(callee)


@router.delete("/{number}", status_code=204)
async def delete_sandbox_callee(
    number: str, principal: Principal = Writer, session: AsyncSession = Session
) -> Response:
    """Forget a number's callee: the default callee answers it again."""
    try:
        number = to_e164(number)
    except ValueError as exc:
        raise BadRequest(str(exc), {"field": "number"}) from None
    await service.delete_callee(session, principal.workspace_id, number)
    return Response(status_code=204)
