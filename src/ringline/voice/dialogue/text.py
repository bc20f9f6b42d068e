"""Plain-text helpers: sentences, words and text fit to be spoken on a phone line."""

import re

# A sentence ends at . ! or ? followed by a space and a capital, a digit or a quote; not
# after a lone initial or a title ("Dr.", "Mr."), and never inside a number ("4.5").
_TITLES = r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)(?<!\b[A-Z]\.)"
_SENTENCE_END = re.compile(_TITLES + r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAILISH = re.compile(r"\S+@\S+\.\S+")
_MARKDOWN = re.compile(r"[*_`#>|~]+|\[([^\]]*)\]\([^)]*\)")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_SPACES = re.compile(r"\s+")

_STOP = """a an the is are was were be been am do does did doing have has had i me my we our you
your yours he she it its they them their this that these those of in on at to for from by with
and or but so if then than as about into over what which who whom whose when where why how can
could would should will shall may might must please tell know let just also there here any some
much many very really okay ok yes no not get got go going want like need one well hi hello sir
madam maam ji what's it's that's there's i'm i'd i'll don't doesn't isn't can't
won't"""
STOP_WORDS = frozenset(_STOP.split())
# Digits as speech-to-text writes them when they are read out one by one.
DIGIT_WORDS = {
    word: str(digit)
    for digit, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
}


def sentences(text: str) -> list[str]:
    """The text's sentences, each stripped; blank lines and bullets also end one."""
    found: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            found.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return found


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def stem(word: str) -> str:
    """A crude English stem, enough to match "covers" with "cover" and "renewal" with "renew"."""
    for suffix in ("ing", "als", "al", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOP_WORDS}


def spoken(text: str) -> str:
    """Text as a voice should say it: no Markdown, links or symbols read out letter by letter."""
    text = _MARKDOWN.sub(lambda m: m.group(1) or " ", text)
    text = _URL.sub("our website", text)
    text = _EMAILISH.sub("our email address", text)
    text = re.sub(r"₹\s?([\d,]+(?:\.\d+)?)", r"\1 rupees", text)
    text = re.sub(r"\bRs\.?\s?([\d,]+(?:\.\d+)?)", r"\1 rupees", text)
    text = re.sub(r"\$\s?([\d,]+(?:\.\d+)?)", r"\1 dollars", text)
    text = re.sub(r"(\d)\s?%", r"\1 percent", text)
    text = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z])", " or ", text.replace("&", " and "))
    text = _SPACES.sub(" ", text).strip(" -:;,")
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def at_most_two_sentences(text: str) -> str:
    return " ".join(sentences(text)[:2])
