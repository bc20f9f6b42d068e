"""The Exotel carrier: each workspace's own Exotel account, found through the ExoPhone a
call is on.

Outbound, "Connect Voice AI" dials the person and connects the answered call straight to
the media stream URL ringline gives (the call's ID and token in its query). Exotel signs
nothing, so each URL ringline gives it carries a secret made with the account's API
token: a status callback or an inbound request without the right one is refused (403).
Inbound, the number's Voicebot applet asks ``/carriers/exotel/inbound`` for the stream
URL of each call (``{"url": "wss://..."}``), with the account's API key and token as
Basic credentials in the applet's URL (``https://KEY:TOKEN@host/...``). Exotel ends a
call when ringline closes its stream, and has no hang-up request.
"""

import base64
import hmac
import logging
from urllib.parse import urlencode

import httpx
from fastapi import Request, Response, WebSocket
from fastapi.responses import JSONResponse

from ringline.carrier_accounts.service import CarrierCredentials
from ringline.telephony import exotel
from ringline.telephony.accounts import AccountCarrier
from ringline.telephony.carrier import CallReports, DialRequest, MediaStream
from ringline.telephony.exotel import rest
from ringline.telephony.exotel.stream import accept_exotel_stream
from ringline.telephony.exotel.url_secrets import url_secret, valid_url_secret

logger = logging.getLogger(__name__)
REFUSED = Response(status_code=403)
DONE = Response(status_code=200)  # Exotel retries a callback answered otherwise
UNANSWERED = {
    "busy": ("busy", "the line was busy"),
    "no-answer": ("no-answer", "nobody answered"),
    "failed": ("failed", "the call failed"),
}


class ExotelCarrier(AccountCarrier):
    name = exotel.NAME

    def reaches(self, number: str) -> bool:
        return exotel.reaches(number)

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        """Ask Exotel to connect the call to the stream and return: callbacks tell the rest."""
        account = await self._account(request.from_number, request.workspace_id)
        if account is None:
            await reports.failed(request.call_id, f"{request.from_number} is on no Exotel account")
            return
        token = account.fields["api_token"]
        new_call = rest.NewCall(
            to_number=request.to_number,
            caller_id=request.from_number,
            stream_url=_stream_url(request.media_url, request.media_parameters),
            status_callback=self._callback_url(
                call_id=request.call_id, secret=url_secret(token, request.call_id)
            ),
        )
        try:
            sid = await rest.connect_call(self.client, account, new_call)
        except (rest.ExotelRefused, httpx.HTTPError) as exc:
            await reports.unanswered(request.call_id, "failed", _reason(exc))
            return
        if sid:
            await self.lines.identified(request.call_id, sid)

    async def cancel(self, call_id: str) -> None:
        """Exotel has no request to stop a call it is dialing: it rings out (its status
        callback then finds the call ended)."""

    async def accept_media(self, websocket: WebSocket) -> MediaStream:
        return await accept_exotel_stream(websocket)

    async def callback(self, request: Request, reports: CallReports) -> Response:
        fields = dict(await request.form())
        found = await self._call_on_account(request.query_params.get("call_id", ""))
        given = request.query_params.get("secret", "")
        if found is None:
            return REFUSED
        line, account = found
        if not valid_url_secret(account.fields["api_token"], line.call_id, given):
            logger.warning("refused an Exotel callback for %s: bad secret", line.call_id)
            return REFUSED
        sid = str(fields.get("CallSid", ""))
        if line.carrier_call_id not in (None, sid):
            return REFUSED
        event, status = str(fields.get("EventType", "")), str(fields.get("Status", ""))
        if event == "ringing":
            await reports.ringing(line.call_id)
        elif event == "answered":
            await reports.answered(line.call_id)
        elif status in UNANSWERED:
            await reports.unanswered(line.call_id, *UNANSWERED[status])
        return DONE

    async def answer_inbound(self, request: Request) -> Response:
        """The Voicebot applet asking where to stream a call to one of its ExoPhones."""
        fields = dict(request.query_params) | {k: str(v) for k, v in (await request.form()).items()}
        to_number = _e164(fields.get("To", ""))
        account = await self._account(to_number)
        if account is None or not _basic_auth_of(request, account):
            return REFUSED
        admission = await self.lines.admit(
            self.name, to_number, _e164(fields.get("From", "")), fields.get("CallSid", "")
        )
        if admission.call_id is None or admission.media_parameters is None:
            return JSONResponse({"error": admission.refusal}, status_code=409)
        media_url = self._media_url()
        return JSONResponse({"url": _stream_url(media_url, admission.media_parameters)})


def _basic_auth_of(request: Request, account: CarrierCredentials) -> bool:
    fields = account.fields
    expected = base64.b64encode(f"{fields['api_key']}:{fields['api_token']}".encode()).decode()
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Basic {expected}".encode())


def _stream_url(media_url: str, parameters: dict[str, str]) -> str:
    return f"{media_url}?{urlencode({'sample-rate': '8000', **parameters})}"


def _e164(number: str) -> str:
    """Exotel writes Indian numbers as 0XXXXXXXXXX; ringline keeps them in E.164."""
    digits = number.strip()
    if digits.startswith("0") and len(digits) == 11:
        return "+91" + digits[1:]
    return digits if digits.startswith("+") or not digits else f"+{digits}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, rest.ExotelRefused):
        return str(exc)
    return f"Exotel could not be reached: {type(exc).__name__}"
