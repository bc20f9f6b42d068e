"""The Twilio carrier: each workspace's own Twilio account, found through the number a
call is on.

Outbound, the call is created through the REST API with inline TwiML that connects its
audio to the media socket, and its progress comes back in signed status callbacks, each
naming its call in the callback URL. Inbound, Twilio asks the number's voice URL
(``/carriers/twilio/inbound``) how to answer. A request whose signature does not verify
under the account's auth token is refused (403) before anything is read from it.
"""

import logging

import httpx
from fastapi import Request, Response, WebSocket

from ringline.carrier_accounts.service import CarrierCredentials
from ringline.telephony import twilio
from ringline.telephony.accounts import AccountCarrier, public_url
from ringline.telephony.carrier import (
    CallReports,
    DialRequest,
    MediaStream,
)
from ringline.telephony.twilio import rest, twiml
from ringline.telephony.twilio.signature import valid_signature
from ringline.telephony.twilio_stream import accept_twilio_stream

logger = logging.getLogger(__name__)
REFUSED = Response(status_code=403)
Params = list[tuple[str, str]]


class TwilioCarrier(AccountCarrier):
    name = twilio.NAME

    def reaches(self, number: str) -> bool:
        return twilio.reaches(number)

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        """Ask Twilio to place the call and return: the status callbacks tell the rest."""
        account = await self._account(request.from_number, request.workspace_id)
        if account is None:
            await reports.failed(request.call_id, f"{request.from_number} is on no Twilio account")
            return
        new_call = rest.NewCall(
            to_number=request.to_number,
            from_number=request.from_number,
            twiml=twiml.stream(request.media_url, request.media_parameters),
            status_callback=self._callback_url(call_id=request.call_id),
        )
        try:
            call_sid = await rest.create_call(self.client, account, new_call)
        except (rest.TwilioRefused, httpx.HTTPError) as exc:
            await reports.unanswered(request.call_id, "failed", _reason(exc))
            return
        await self.lines.identified(request.call_id, call_sid)

    async def cancel(self, call_id: str) -> None:
        await self._end(call_id, "canceled")

    async def hang_up(self, call_id: str) -> None:
        await self._end(call_id, "completed")

    async def accept_media(self, websocket: WebSocket) -> MediaStream:
        return await accept_twilio_stream(websocket)

    async def callback(self, request: Request, reports: CallReports) -> Response:
        """A status callback: applied once its signature verifies for the call it names;
        a repeated or late one changes nothing (the lifecycle only moves forward)."""
        params = await _form(request)
        found = await self._call_on_account(request.query_params.get("call_id", ""))
        if found is None or not self._verified(request, params, found[1]):
            return REFUSED
        line = found[0]
        sid = dict(params).get("CallSid", "")
        if line.carrier_call_id not in (None, sid):
            return REFUSED  # signed by the account, but about another of its calls
        if line.carrier_call_id is None:
            await self.lines.identified(line.call_id, sid)
        await _report(reports, line.call_id, dict(params))
        return Response(status_code=204)

    async def answer_inbound(self, request: Request) -> Response:
        """Answer a call to one of the workspace's numbers with its assistant."""
        params = await _form(request)
        fields = dict(params)
        account = await self._account(fields.get("To", ""))
        if account is None or not self._verified(request, params, account):
            return REFUSED
        admission = await self.lines.admit(
            self.name, fields["To"], fields.get("From", ""), fields.get("CallSid", "")
        )
        if admission.refusal == "busy":
            return twiml.answer(twiml.busy())
        if admission.call_id is None or admission.media_parameters is None:
            return twiml.answer(twiml.reject())
        media_url = self._media_url()
        return twiml.answer(twiml.stream(media_url, admission.media_parameters))

    async def _end(self, call_id: str, status: str) -> None:
        found = await self._call_on_account(call_id)
        if found is None:
            return
        line, account = found
        if line.carrier_call_id is None:
            return  # Twilio never took the call: nothing to end there
        try:
            await rest.end_call(self.client, account, line.carrier_call_id, status)
        except (rest.TwilioRefused, httpx.HTTPError) as exc:
            logger.warning("ending %s at Twilio failed: %s", call_id, _reason(exc))

    def _verified(self, request: Request, params: Params, account: CarrierCredentials) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        url = public_url(self.settings, request.url.path, request.url.query)
        if not valid_signature(account.fields["auth_token"], url, params, signature):
            logger.warning("refused a Twilio request to %s: bad signature", request.url.path)
            return False
        return dict(params).get("AccountSid") == account.fields["account_sid"]


async def _form(request: Request) -> Params:
    form = await request.form()
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


async def _report(reports: CallReports, call_id: str, fields: dict[str, str]) -> None:
    """Twilio's call status onto the lifecycle. ``completed`` needs nothing: the media
    stream's end has completed the call, with its outcome."""
    status = fields.get("CallStatus", "")
    if status == "ringing":
        await reports.ringing(call_id)
    elif status == "in-progress":
        await reports.answered(call_id)
    elif status in ("busy", "no-answer"):
        await reports.unanswered(call_id, status, _UNANSWERED[status])
    elif status == "failed":
        code = fields.get("SipResponseCode")
        reason = "the call failed" + (f" (SIP {code})" if code else "")
        await reports.unanswered(call_id, "failed", reason)


_UNANSWERED = {"busy": "the line was busy", "no-answer": "nobody answered"}


def _reason(exc: Exception) -> str:
    if isinstance(exc, rest.TwilioRefused):
        return str(exc)
    return f"Twilio could not be reached: {type(exc).__name__}"
