"""The text of HTML units: what translators see of a slice of HTML, and how translations go back.

A unit of element content keeps its inline tags in the msgid, so translators can move them;
its character references are decoded where the character is visible and cannot be taken for
markup.  An attribute value is plain text in the msgid.  Going back, a character the source
spelled as a reference is spelled that way again, a new ``<`` or ``&`` is escaped, and only
the tags the source unit had (at most as often as it had them) come out as tags, so a
translation can never add markup.  Stdlib only: :mod:`locpipe.model` decodes with it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterator

# A reference with its semicolon; the legacy forms without one stay as written.
_CHARREF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
# Tags and comments as html.parser finds them; a '<' before anything else is text.
_TAG = r"</?[A-Za-z](?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
_MARKUP = re.compile(r"<!--[\s\S]*?-->|" + _TAG)
_TAG_ONLY = re.compile(_TAG)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_TAG_SPACE = re.compile(r"(\"[^\"]*\"|'[^']*')|[ \t\n\r\f]+")
# An event handler in a tag, or a quoted value (group 1), which is skipped whole: text in
# a value that looks like a handler is no handler.  A handler may follow a quoted value with
# no space, as browsers read <a href="#"onclick="...">.
_EVENT_HANDLER = re.compile(
    r"(\"[^\"]*\"|'[^']*')"
    r"|(?:[ \t\n\r\f]+|(?<=[\"']))on[a-z]+[ \t\n\r\f]*=[ \t\n\r\f]*"
    r"(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+)",
    re.IGNORECASE,
)
_NEEDS_ESCAPE = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def tags_and_comments(text: str) -> Iterator[re.Match[str]]:
    """The tags and comments in ``text``, in order, as :data:`_MARKUP` finds them.

    Both end at a '>', so nothing after the last one is tried, and comments only where a
    comment can end: otherwise every '<' of a text full of unclosed tags (or comments)
    would be read to the end again, which takes minutes on 100 kB.
    """
    pattern = _MARKUP if "-->" in text else _TAG_ONLY
    return pattern.finditer(text, 0, text.rfind(">") + 1)


def character_references(text: str) -> Iterator[re.Match[str]]:
    """The character references of a unit's text (with their semicolon), in order."""
    return _CHARREF.finditer(text)


def _replace_markup(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``text`` with each of its tags and comments replaced."""
    out: list[str] = []
    position = 0
    for match in tags_and_comments(text):
        out += (text[position : match.start()], replace(match))
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def decode_inline(raw: str) -> str:
    """The msgid of HTML element content: whitespace collapsed, visible references decoded.

    >>> decode_inline("Kyiv &amp; <em>Moskou</em>\\n  &lt;&eacute;&gt; 10&nbsp;km")
    'Kyiv & <em>Moskou</em> &lt;é&gt; 10&nbsp;km'
    >>> decode_inline("zie &amp;lt; en <a\\n  href='x'>dit</a>")
    "zie &amp;lt; en <a href='x'>dit</a>"
    """
    out: list[str] = []
    position = 0
    for match in tags_and_comments(raw):
        out.append(_decode_text(raw[position : match.start()]))
        out.append(_normalize_tag(match.group()))
        position = match.end()
    out.append(_decode_text(raw[position:]))
    return "".join(out).strip(" ")


def strip_handlers(raw: str) -> str:
    """Markdown text with the event handlers taken out of its inline HTML tags.

    >>> strip_handlers('Zie <a href="#" onclick="toon(1)">de kaart</a>.')
    'Zie <a href="#">de kaart</a>.'
    """
    return _replace_markup(raw, lambda match: _without_handlers(match.group()))


def restore_handlers(translation: str, source: str) -> str:
    """A translation of :func:`strip_handlers` text with each tag's handlers put back, the
    tags taken in source order.

    >>> restore_handlers('See <a href="#">the map</a>.', '<a href="#" onclick="f()">x</a>')
    'See <a href="#" onclick="f()">the map</a>.'
    """
    originals: dict[str, list[str]] = {}
    for match in tags_and_comments(source):
        originals.setdefault(_without_handlers(match.group()), []).append(match.group())

    def restore(match: re.Match[str]) -> str:
        spellings = originals.get(match.group())
        if not spellings:
            return match.group()
        return spellings.pop(0) if len(spellings) > 1 else spellings[0]

    return _replace_markup(translation, restore)


def decode_attribute(raw: str) -> str:
    """The msgid of an attribute value: every reference with a semicolon decoded.

    >>> decode_attribute("Biden &amp; Zelensky &lt;3")
    'Biden & Zelensky <3'
    """
    return _CHARREF.sub(lambda match: html.unescape(match.group()), raw)


def encode_inline(translation: str, source: str, *, newline: str = "\n") -> str:
    """A translation of element content as HTML, given the unit's raw source; each line
    break of its text becomes ``newline`` (a line ending, and in Markdown the container
    markers the next line needs, which are not text to escape).

    >>> encode_inline("<b>Kyiv</b> & <script>x</script> café", "<b>Kyiv</b> &amp; caf&eacute;")
    '<b>Kyiv</b> &amp; &lt;script&gt;x&lt;/script&gt; caf&eacute;'
    >>> encode_inline("Een\\nzin", "Een zin", newline="\\n> ")
    'Een\\n> zin'
    """
    spellings = _spellings(source)
    allowed: Counter[str] = Counter()  # normalized tag -> how many times the source had it
    original: dict[str, list[str]] = {}  # normalized tag -> its spellings in the source
    for match in tags_and_comments(source):
        tag = _normalize_tag(match.group())
        allowed[tag] += 1
        original.setdefault(tag, []).append(match.group())
    out: list[str] = []
    position = 0
    for match in tags_and_comments(translation):
        out.append(_encode_text(translation[position : match.start()], spellings, newline))
        tag = _normalize_tag(match.group())
        if allowed[tag] > 0:
            allowed[tag] -= 1
            # In source order: tags that differ only in event handlers keep their own.
            spellings_of = original[tag]
            out.append(spellings_of.pop(0) if len(spellings_of) > 1 else spellings_of[0])
        else:  # markup the source did not have is text
            out.append(_encode_text(match.group(), spellings, newline))
        position = match.end()
    out.append(_encode_text(translation[position:], spellings, newline))
    return "".join(out)


def encode_attribute(translation: str, source: str, quote: str) -> str:
    """A translated attribute value, to stand between ``quote`` characters.

    >>> encode_attribute('Zeg "ja" & <nee>', "caf&eacute;", '"')
    'Zeg &quot;ja&quot; &amp; &lt;nee&gt;'
    """
    spellings = _spellings(source)
    out: list[str] = []
    for char in translation:
        if char == quote:
            out.append("&quot;" if quote == '"' else "&#39;")
        else:
            out.append(spellings.get(char) or _NEEDS_ESCAPE.get(char, char))
    return "".join(out)


def _decode_text(text: str) -> str:
    """Text between tags: whitespace collapsed, references decoded where that is safe."""
    text = _SPACE.sub(" ", text)
    if "&" not in text:
        return text

    def decode(match: re.Match[str]) -> str:
        spelled = match.group()
        char = html.unescape(spelled)
        if char == spelled or char in "<>" or not (char.isprintable() and char.strip()):
            # Unknown names stay; '<' and '>' would read as markup, and invisible characters
            # (no-break space, soft hyphen, zero-width joiners) cannot be seen in an editor.
            return spelled
        if char == "&" and text[match.end() : match.end() + 1].isalnum():
            return spelled  # '&' before a name would read as another reference
        if char == "&" and text.startswith("#", match.end()):
            return spelled
        return char

    return _CHARREF.sub(decode, text)


def _encode_text(text: str, spellings: dict[str, str], newline: str) -> str:
    """Text of a translation as HTML: references kept, the source's spellings reused, each
    line break ``newline``."""
    out: list[str] = []
    position = 0
    for match in _CHARREF.finditer(text):
        if html.unescape(match.group()) == match.group():
            continue  # not a reference HTML knows: its '&' is text
        out.extend(_encode_char(char, spellings) for char in text[position : match.start()])
        out.append(match.group())
        position = match.end()
    out.extend(_encode_char(char, spellings) for char in text[position:])
    encoded = "".join(out)
    return encoded.replace("\n", newline) if newline != "\n" else encoded


def _encode_char(char: str, spellings: dict[str, str]) -> str:
    return spellings.get(char) or _NEEDS_ESCAPE.get(char, char)


def _spellings(source: str) -> dict[str, str]:
    """How the source spelled each character it wrote as a reference."""
    spellings: dict[str, str] = {}
    for match in _CHARREF.finditer(source):
        char = html.unescape(match.group())
        if len(char) == 1 and char != match.group():
            spellings.setdefault(char, match.group())
    return spellings


def _normalize_tag(tag: str) -> str:
    """A tag with the whitespace between its attributes collapsed to single spaces, and
    without event handlers: script (with its own strings) never reaches a translator.

    >>> _normalize_tag('<a  href=#x onclick="show(1)">')
    '<a href=#x>'
    """
    if tag.startswith("<!--"):
        return tag
    tag = _without_handlers(tag)
    return _TAG_SPACE.sub(lambda match: match.group(1) or " ", tag)


def _without_handlers(tag: str) -> str:
    """A tag without its event handlers, its attribute values as written.

    >>> _without_handlers('<a href="#"onclick="f()" title="zie onclick=x">')
    '<a href="#" title="zie onclick=x">'
    """
    return _EVENT_HANDLER.sub(lambda match: match.group(1) or "", tag)
