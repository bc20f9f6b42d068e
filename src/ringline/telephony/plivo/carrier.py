"""The Plivo carrier: each workspace's own Plivo account, found through the number a call
is on.

Plivo takes no stream URL up front: it requests the answer URL once the callee picks up,
and ringline answers with the ``<Stream>`` XML. Its ring, answer and hangup requests all
reach the callback door, naming the call and the event in the URL's query; each is
refused (403) unless its V3 signature verifies under the account's auth token.
"""

import logging

import httpx
from fastapi import Request, Response, WebSocket

from ringline.carrier_accounts.service import CarrierCredentials
from ringline.telephony import plivo
from ringline.telephony.accounts import AccountCarrier, public_url
from ringline.telephony.carrier import (
    CallLine,
    CallReports,
    DialRequest,
    MediaStream,
)
from ringline.telephony.media_tokens import media_token
from ringline.telephony.plivo import answers, rest
from ringline.telephony.plivo.signature import valid_signature
from ringline.telephony.plivo.stream import accept_plivo_stream

logger = logging.getLogger(__name__)
REFUSED = Response(status_code=403)
DONE = Response(status_code=204)
Params = list[tuple[str, str]]
# Plivo's hangup statuses that mean nobody talked, as ringline names them.
UNANSWERED = {
    "busy": ("busy", "the line was busy"),
    "no-answer": ("no-answer", "nobody answered"),
    "timeout": ("no-answer", "nobody answered"),
    "failed": ("failed", "the call failed"),
}


class PlivoCarrier(AccountCarrier):
    name = plivo.NAME

    def reaches(self, number: str) -> bool:
        return plivo.reaches(number)

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        """Ask Plivo to place the call and return: its requests tell the rest."""
        account = await self._account(request.from_number, request.workspace_id)
        if account is None:
            await reports.failed(request.call_id, f"{request.from_number} is on no Plivo account")
            return
        new_call = rest.NewCall(
            to_number=request.to_number,
            from_number=request.from_number,
            answer_url=self._callback_url(call_id=request.call_id, event="answer"),
            ring_url=self._callback_url(call_id=request.call_id, event="ring"),
            hangup_url=self._callback_url(call_id=request.call_id, event="hangup"),
        )
        try:
            await rest.create_call(self.client, account, new_call)
        except (rest.PlivoRefused, httpx.HTTPError) as exc:
            await reports.unanswered(request.call_id, "failed", _reason(exc))

    async def cancel(self, call_id: str) -> None:
        await self.hang_up(call_id)

    async def hang_up(self, call_id: str) -> None:
        found = await self._call_on_account(call_id)
        if found is None:
            return
        line, account = found
        if line.carrier_call_id is None:
            return  # Plivo has not told its CallUUID yet: nothing to end there
        try:
            await rest.hang_up(self.client, account, line.carrier_call_id)
        except (rest.PlivoRefused, httpx.HTTPError) as exc:
            logger.warning("ending %s at Plivo failed: %s", call_id, _reason(exc))

    async def accept_media(self, websocket: WebSocket) -> MediaStream:
        return await accept_plivo_stream(websocket)

    async def callback(self, request: Request, reports: CallReports) -> Response:
        """Ring, answer or hangup of a call: applied once signed by the call's account; a
        repeated or late one changes nothing."""
        params = await _form(request)
        found = await self._call_on_account(request.query_params.get("call_id", ""))
        if found is None or not self._verified(request, params, found[1]):
            return REFUSED
        line = found[0]
        uuid = dict(params).get("CallUUID", "")
        if line.carrier_call_id not in (None, uuid):
            return REFUSED  # signed by the account, but about another of its calls
        if line.carrier_call_id is None and uuid:
            await self.lines.identified(line.call_id, uuid)
        return await self._apply(request.query_params.get("event", ""), line, params, reports)

    async def answer_inbound(self, request: Request) -> Response:
        params = await _form(request)
        fields = dict(params)
        to_number, from_number = _e164(fields.get("To", "")), _e164(fields.get("From", ""))
        account = await self._account(to_number)
        if account is None or not self._verified(request, params, account):
            return REFUSED
        admission = await self.lines.admit(
            self.name, to_number, from_number, fields.get("CallUUID", "")
        )
        if admission.refusal == "busy":
            return answers.busy()
        if admission.call_id is None or admission.media_parameters is None:
            return answers.reject()
        return answers.stream(self._media_url(), admission.media_parameters)

    async def _apply(
        self, event: str, line: CallLine, params: Params, reports: CallReports
    ) -> Response:
        status = dict(params).get("CallStatus", "")
        if event == "ring":
            await reports.ringing(line.call_id)
        elif event == "answer":
            await reports.answered(line.call_id)
            return answers.stream(self._media_url(), self._media_parameters(line.call_id))
        elif event == "hangup" and status in UNANSWERED:
            await reports.unanswered(line.call_id, *UNANSWERED[status])
        return DONE

    def _verified(self, request: Request, params: Params, account: CarrierCredentials) -> bool:
        url = public_url(self.settings, request.url.path, request.url.query)
        nonce = request.headers.get("X-Plivo-Signature-V3-Nonce", "")
        header = request.headers.get("X-Plivo-Signature-V3", "")
        if not valid_signature(account.fields["auth_token"], url, params, nonce, header):
            logger.warning("refused a Plivo request to %s: bad signature", request.url.path)
            return False
        return True

    def _media_parameters(self, call_id: str) -> dict[str, str]:
        secret = self.settings.secret_key.get_secret_value()
        return {"call_id": call_id, "token": media_token(secret, call_id)}


async def _form(request: Request) -> Params:
    form = await request.form()
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


def _e164(number: str) -> str:
    """Plivo writes numbers with their country code and no ``+``."""
    return number if number.startswith("+") or not number else f"+{number}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, rest.PlivoRefused):
        return str(exc)
    return f"Plivo could not be reached: {type(exc).__name__}"
