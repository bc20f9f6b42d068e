"""The Plivo XML ringline answers with: the call's audio to the media stream, or a refusal."""

from urllib.parse import urlencode
from xml.etree import ElementTree

from fastapi import Response

from ringline.telephony.accounts import BUSY_MESSAGE


def _document(response: ElementTree.Element) -> Response:
    xml = '<?xml version="1.0" encoding="UTF-8"?>' + ElementTree.tostring(
        response, encoding="unicode"
    )
    return Response(content=xml, media_type="application/xml")


def stream(media_url: str, parameters: dict[str, str]) -> Response:
    """A bidirectional ``<Stream>`` in mu-law 8 kHz (Plivo's default is L16, which
    ringline's serializer does not speak); the call's ID and token ride in the URL's
    query, since ``extraHeaders`` allows no ``_``. ``keepCallAlive``: the call lasts as
    long as the stream, and ends when ringline closes it."""
    response = ElementTree.Element("Response")
    element = ElementTree.SubElement(
        response,
        "Stream",
        bidirectional="true",
        keepCallAlive="true",
        contentType="audio/x-mulaw;rate=8000",
    )
    element.text = f"{media_url}?{urlencode(parameters)}"
    return _document(response)


def reject() -> Response:
    response = ElementTree.Element("Response")
    ElementTree.SubElement(response, "Hangup", reason="rejected")
    return _document(response)


def busy() -> Response:
    response = ElementTree.Element("Response")
    ElementTree.SubElement(response, "Speak").text = BUSY_MESSAGE
    ElementTree.SubElement(response, "Hangup")
    return _document(response)
