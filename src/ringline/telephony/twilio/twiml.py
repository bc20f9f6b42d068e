"""The TwiML ringline answers with: the call's audio to the media stream, or a refusal."""

from xml.etree import ElementTree

from fastapi import Response

from ringline.telephony.accounts import BUSY_MESSAGE


def _document(response: ElementTree.Element) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>' + ElementTree.tostring(
        response, encoding="unicode"
    )


def stream(media_url: str, parameters: dict[str, str]) -> str:
    """``<Connect><Stream>``: a bidirectional stream; the call ends when ringline closes
    the socket, since no verb follows. Twilio refuses a query string in the URL, so the
    call's ID and token travel as ``<Parameter>``s (they come back in ``start``)."""
    response = ElementTree.Element("Response")
    connect = ElementTree.SubElement(response, "Connect")
    element = ElementTree.SubElement(connect, "Stream", url=media_url)
    for name, value in parameters.items():
        ElementTree.SubElement(element, "Parameter", name=name, value=value)
    return _document(response)


def reject() -> str:
    response = ElementTree.Element("Response")
    ElementTree.SubElement(response, "Reject")
    return _document(response)


def busy() -> str:
    """Said politely, then hung up: the caller is not left to ring out."""
    response = ElementTree.Element("Response")
    ElementTree.SubElement(response, "Say").text = BUSY_MESSAGE
    ElementTree.SubElement(response, "Hangup")
    return _document(response)


def answer(document: str) -> Response:
    return Response(content=document, media_type="application/xml")
