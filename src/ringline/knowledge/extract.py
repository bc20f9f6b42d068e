"""The text of an uploaded file: plain text and Markdown as they are, HTML without its
markup (scripts and styles dropped), PDF through pypdf. Unreadable input is a 400."""

import io
from html.parser import HTMLParser
from pathlib import PurePosixPath

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ringline.errors import BadRequest

MAX_FILE_BYTES = 5 * 1024 * 1024
FORMATS = ("text", "markdown", "html", "pdf")
_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
_BY_TYPE = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/pdf": "pdf",
}
# Elements whose text is not the page's words; and those that end a block of text.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
    }
)


def file_format(filename: str, content_type: str | None) -> str:
    """What a file is read as: by its name's suffix, else its declared type; 400 if neither
    is a supported format."""
    suffix = PurePosixPath(filename).suffix.lower()
    found = _BY_SUFFIX.get(suffix) or _BY_TYPE.get((content_type or "").split(";")[0].strip())
    if found is None:
        raise BadRequest(
            f"unsupported file type {suffix or content_type or 'unknown'}: send text (.txt), "
            "Markdown (.md), HTML (.html) or PDF (.pdf)",
            {"field": "file", "supported": list(_BY_SUFFIX)},
        )
    return found


def check_size(size: int, field: str = "file") -> None:
    if size > MAX_FILE_BYTES:
        raise BadRequest(
            f"the document is over {MAX_FILE_BYTES // 2**20} MB ({MAX_FILE_BYTES} bytes), "
            "the most one may be",
            {"field": field, "max_bytes": MAX_FILE_BYTES},
        )


def extract_text(data: bytes, format: str) -> str:
    """The words of a file in ``format``; 400 if they cannot be read."""
    if format == "pdf":
        return _pdf_text(data)
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest("the file is not UTF-8 text", {"field": "file"}) from None
    return html_text(decoded) if format == "html" else decoded


def html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return parser.text()


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self._parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in _BLOCKS:
            self._parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._parts.append(data)

    def text(self) -> str:
        blocks = "".join(self._parts).split("\n\n")
        return "\n\n".join(" ".join(b.split()) for b in blocks if b.strip())


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise BadRequest(f"the PDF cannot be read: {exc}", {"field": "file"}) from None
    return "\n\n".join(page.strip() for page in pages if page.strip())
