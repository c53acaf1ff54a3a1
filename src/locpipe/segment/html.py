"""Cut an HTML article, a whole document or a body fragment, into layout and translation units.

Python's :class:`html.parser.HTMLParser` tokenizes the source and says where each token
starts; a unit is always a slice of the source between token boundaries (or an attribute
value inside a start tag), so every byte outside the units is layout exactly as written.
No tree is built and nothing is serialised again.

A unit is a run of text and inline tags (``a``, ``em``, ``br``, ...) that stands directly in
a block (``p``, ``li``, ``td``, ``h2``, ...): any other tag ends the run, so a block tag never
appears in a msgid.  Scripts, styles, ``pre``, ``svg`` and the like, and anything marked
``translate="no"`` or with a no-translate class, are layout as a whole.  The visible
attributes ``alt``, ``title``, ``aria-label`` and ``placeholder``, and a page's description
and Open Graph or Twitter title and description, are units of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple

from ..model import Escape, Line, Unit, UnitKind
from .base import dominant_newline, has_words, split_lines

INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "var", "wbr"
})  # fmt: skip
# Never units, with everything inside them.
OPAQUE = frozenset({
    "script", "style", "template", "svg", "math", "pre", "textarea", "noscript", "iframe",
    "object"
})  # fmt: skip
# Inline elements whose text is not prose: a run with words only in them is layout.
_CODE = frozenset({"code", "kbd", "samp", "var"})
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen"
})  # fmt: skip
_KIND_OF = {
    "title": UnitKind.TITLE,
    **{f"h{level}": UnitKind.HEADING for level in range(1, 7)},
    "li": UnitKind.LIST_ITEM,
    "dt": UnitKind.LIST_ITEM,
    "dd": UnitKind.LIST_ITEM,
    "td": UnitKind.TABLE_CELL,
    "th": UnitKind.TABLE_CELL,
    "caption": UnitKind.CAPTION,
    "figcaption": UnitKind.CAPTION,
    "blockquote": UnitKind.BLOCKQUOTE,
    "button": UnitKind.LABEL,
    "label": UnitKind.LABEL,
    "summary": UnitKind.PARAGRAPH,
}
_VISIBLE_ATTRIBUTES = {
    "alt": UnitKind.IMAGE_ALT,
    "title": UnitKind.ATTRIBUTE,
    "aria-label": UnitKind.ATTRIBUTE,
    "placeholder": UnitKind.ATTRIBUTE,
}
_META_KINDS = {
    "description": UnitKind.DESCRIPTION,
    "og:title": UnitKind.TITLE,
    "og:description": UnitKind.DESCRIPTION,
    "twitter:title": UnitKind.TITLE,
    "twitter:description": UnitKind.DESCRIPTION,
}
# Start tags that close an open <p>, as the HTML parsing algorithm does.
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "search", "section",
    "summary", "table", "ul", "li", "dd", "dt"
})  # fmt: skip
# For a start tag: the open elements it closes, and those that stop the search.
_IMPLIED_END = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr"}, {"table"}),
    "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
    "option": ({"option"}, {"select", "datalist"}),
}
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_P_SCOPE = frozenset({
    "button", "table", "td", "th", "caption", "html", "template", "object"
})  # fmt: skip
NO_TRANSLATE_CLASSES = ("notranslate",)

_EOL = re.compile(r"\r\n?|\n")
_TAG_NAME = re.compile(r"</?[A-Za-z][^\t\n\r\f />\x00]*[\s/]*")
# html.parser's own attribute pattern (attrfind_tolerant), with the value in group 3.
_ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
    r"('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)


class Token(NamedTuple):
    """One token of the source: its kind, where it starts and ends, and its tag name."""

    kind: str  # start, startend, end, text, comment, other
    start: int
    end: int
    tag: str = ""


class Attribute(NamedTuple):
    """An attribute of a start tag, with the span of its value in the source."""

    name: str
    value: str  # decoded
    start: int  # of the value, inside any quotes; equal to end when there is no value
    end: int
    quote: str  # '"', "'" or '' (unquoted or no value)


class _Tokenizer(HTMLParser):
    """html.parser, reporting where each token starts instead of building anything."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.events: list[tuple[str, int, int, str]] = []  # kind, start, end or -1, tag

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _tag(self, kind: str, tag: str) -> None:
        start = self._offset()
        self.events.append((kind, start, start + len(self.get_starttag_text() or ""), tag))

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._tag("start", tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._tag("startend", tag)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", self._offset(), -1, tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("text", self._offset(), -1, ""))

    def handle_entityref(self, name: str) -> None:
        self.events.append(("text", self._offset(), -1, ""))

    def handle_charref(self, name: str) -> None:
        self.events.append(("text", self._offset(), -1, ""))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", self._offset(), -1, ""))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("other", self._offset(), -1, ""))

    def handle_pi(self, data: str) -> None:
        self.events.append(("other", self._offset(), -1, ""))

    def unknown_decl(self, data: str) -> None:
        self.events.append(("other", self._offset(), -1, ""))


def tokenize(text: str) -> list[Token]:
    """The source's tokens in order; a token without a known end runs to the next one.

    >>> [(t.kind, t.tag, t.start, t.end) for t in tokenize("<p class=x>Kyiv &amp; <br/></p>")]
    [('start', 'p', 0, 11), ('text', '', 11, 16), ('text', '', 16, 21), ('text', '', 21, 22), \
('startend', 'br', 22, 27), ('end', 'p', 27, 31)]
    """
    parser = _Tokenizer(text)
    parser.feed(text)
    parser.close()
    events = parser.events
    tokens: list[Token] = []
    for index, (kind, start, end, tag) in enumerate(events):
        following = events[index + 1][1] if index + 1 < len(events) else len(text)
        tokens.append(Token(kind, start, following if end < 0 else min(end, following), tag))
    return tokens


def attributes(text: str, token: Token) -> list[Attribute]:
    """The attributes of a start tag, names in lower case, values decoded, with their spans.

    >>> [a[:2] for a in attributes('<img  alt="Kyiv &amp; co" hidden src=x.png>',
    ...                            Token("start", 0, 43, "img"))]
    [('alt', 'Kyiv & co'), ('hidden', ''), ('src', 'x.png')]
    """
    found: list[Attribute] = []
    raw = text[token.start : token.end]
    name = _TAG_NAME.match(raw)
    position = name.end() if name else len(raw)
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if not match or match.end() == position:
            break
        value = match.group(3)
        if value is None:
            start = end = token.start + match.end(1)
            quote = ""
        else:
            quote = value[0] if value[:1] in ("'", '"') else ""
            start = token.start + match.start(3) + len(quote)
            end = token.start + match.end(3) - len(quote)
        decoded = unescape(text[start:end])
        found.append(Attribute(match.group(1).lower(), decoded, start, end, quote))
        position = match.end()
    return found


@dataclass
class _Run:
    """Inline tokens gathered in one block, waiting to become a unit or layout."""

    tokens: list[Token]
    words: bool = False  # a letter outside code and no-translate elements


@dataclass(frozen=True, slots=True)
class _TocCandidate:
    """A run that is a single in-page link: a table-of-contents entry if it names a heading."""

    target: str  # the fragment the link points to
    inner: tuple[int, int]  # the link's content


class _Segmenter:
    """One pass over the tokens: an approximate stack of open elements, runs, and units."""

    def __init__(
        self, text: str, no_translate_classes: Iterable[str], visible: dict[str, UnitKind]
    ) -> None:
        self.text = text
        self.no_translate = frozenset(no_translate_classes)
        self.visible = visible
        self.newline = dominant_newline(split_lines(text))
        # Lines as the other formats count them, a lone CR included (html.parser counts LF).
        self._line_starts = [0, *(match.end() for match in _EOL.finditer(text))]
        self.stack: list[str] = []
        self.heading_ids: list[str | None] = []  # ids of the open h1-h6, innermost last
        self.units: list[tuple[int, Unit]] = []
        self.heading_at: dict[str, str] = {}  # id -> text of the heading with that id
        self.toc: list[tuple[int, Unit, _TocCandidate]] = []  # units that may be TOC lines

    def run(self, tokens: list[Token]) -> list[tuple[int, Unit]]:
        """Every unit of the text, with the offset where its source begins."""
        run = _Run([])
        opaque: tuple[str, int] | None = None  # the element being skipped, and its depth
        # Inline elements open in the run, and whether their text is no reason for a unit
        # (code, or marked not to translate).
        inner: list[tuple[str, bool]] = []
        for token in tokens:
            if opaque is not None:
                opaque = self._skip(opaque, token)
                continue
            kind, tag = token.kind, token.tag
            if kind in ("start", "startend") and tag in INLINE:
                if kind == "start" and tag not in VOID:
                    mute = tag in _CODE or self._attributes_of(token) is None
                    inner.append((tag, mute))
                run.tokens.append(token)
            elif kind == "end" and tag in INLINE:
                names = [name for name, _ in inner]
                if tag in names:
                    del inner[len(names) - 1 - names[::-1].index(tag) :]
                run.tokens.append(token)
            elif kind == "text":
                muted = any(mute for _, mute in inner)
                if not muted and has_words(unescape(self.text[token.start : token.end])):
                    run.words = True
                run.tokens.append(token)
            elif kind == "comment" and run.tokens:
                run.tokens.append(token)
            elif kind in ("start", "startend", "end"):
                self._flush(run)
                run, inner = _Run([]), []
                if kind == "end":
                    self._close(tag)
                    continue
                found = self._attributes_of(token)
                if found is None or tag in OPAQUE:
                    if kind == "start" and tag not in VOID:
                        opaque = (tag, 1)
                    if found is None or tag in ("script", "style", "template"):
                        continue
                self._attribute_units(found)
                if tag == "meta":
                    self._meta_unit(found)
                if kind == "start" and tag not in VOID and opaque is None:
                    self._open(tag, found)
            else:  # a comment between blocks, a doctype, a processing instruction
                self._flush(run)
                run, inner = _Run([]), []
        self._flush(run)
        return self._placed()

    def _skip(self, opaque: tuple[str, int], token: Token) -> tuple[str, int] | None:
        """Follow the depth of a skipped element; None once it is closed."""
        tag, depth = opaque
        if token.tag == tag and token.kind == "start":
            return tag, depth + 1
        if token.tag == tag and token.kind == "end":
            return (tag, depth - 1) if depth > 1 else None
        return opaque

    def _open(self, tag: str, found: list[Attribute]) -> None:
        """Push a start tag, first closing what HTML closes implicitly."""
        if tag in _CLOSES_P:
            self._close("p", scope=_P_SCOPE)
        if tag in _IMPLIED_END:
            closes, stops = _IMPLIED_END[tag]
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index] in stops:
                    break
                if self.stack[index] in closes:
                    self._pop_to(index)
                    break
        if tag in _HEADINGS:
            if self.stack and self.stack[-1] in _HEADINGS:
                self._pop_to(len(self.stack) - 1)  # HTML closes a heading a heading opens in
            ids = [a.value for a in found if a.name == "id"]
            self.heading_ids.append(ids[0] if ids else None)
        self.stack.append(tag)

    def _close(self, tag: str, scope: frozenset[str] = frozenset()) -> None:
        """Pop the innermost open ``tag`` and everything inside it, if it is open."""
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] == tag:
                self._pop_to(index)
                return
            if self.stack[index] in scope:
                return

    def _pop_to(self, index: int) -> None:
        for tag in self.stack[index:]:
            if tag in _HEADINGS and self.heading_ids:
                self.heading_ids.pop()
        del self.stack[index:]

    def _unit_kind(self) -> UnitKind:
        """The kind of text in the innermost element that gives one; a paragraph otherwise."""
        for tag in reversed(self.stack):
            kind = _KIND_OF.get(tag)
            if kind is not None:
                return kind
        return UnitKind.PARAGRAPH

    def _attributes_of(self, token: Token) -> list[Attribute] | None:
        """A start tag's attributes, with units for the visible ones; None if not to translate."""
        found = attributes(self.text, token)
        for attribute in found:
            if attribute.name == "translate" and attribute.value.strip().lower() == "no":
                return None
            if attribute.name == "class" and self.no_translate & set(attribute.value.split()):
                return None
        return found

    def _attribute_units(self, found: list[Attribute]) -> None:
        """Units for the visible attributes of a tag that is not inside a unit."""
        for attribute in found:
            kind = self.visible.get(attribute.name)
            if kind is not None:
                self._add_attribute_unit(kind, attribute)

    def _meta_unit(self, found: list[Attribute]) -> None:
        """A page description or an Open Graph or Twitter title or description."""
        keys = {a.name: a.value.strip().lower() for a in found if a.name in ("name", "property")}
        kind = next((_META_KINDS[k] for k in keys.values() if k in _META_KINDS), None)
        content = next((a for a in found if a.name == "content"), None)
        if kind is not None and content is not None:
            self._add_attribute_unit(kind, content)

    def _add_attribute_unit(self, kind: UnitKind, attribute: Attribute) -> None:
        raw = self.text[attribute.start : attribute.end]
        if not has_words(attribute.value) or raw != raw.strip():
            return  # an attribute with padding would lose it in the msgid; it stays as written
        line = Line(attribute.quote, raw, attribute.quote)
        start = attribute.start - len(attribute.quote)
        self.units.append((start, self._unit(kind, line, start, Escape.HTML_ATTRIBUTE)))

    def _flush(self, run: _Run) -> None:
        """Make the run a unit if it holds words; otherwise its tags may still have some."""
        tokens = run.tokens
        if not run.words:
            for token in tokens:
                if token.kind in ("start", "startend"):
                    found = self._attributes_of(token)
                    if found:
                        self._attribute_units(found)
            return
        # Comments at the edges are layout; inside the run they travel with the text.
        while tokens and tokens[0].kind == "comment":
            tokens.pop(0)
        while tokens and tokens[-1].kind == "comment":
            tokens.pop()
        start, end = tokens[0].start, tokens[-1].end
        text = self.text
        while start < end and text[start] in " \t\n\r\f":
            start += 1
        while end > start and text[end - 1] in " \t\n\r\f":
            end -= 1
        kind = self._unit_kind()
        unit = self._unit(kind, Line("", text[start:end]), start, Escape.HTML)
        if kind is UnitKind.HEADING and self.heading_ids and self.heading_ids[-1]:
            self.heading_at.setdefault(self.heading_ids[-1], unit.text)
        candidate = self._toc_candidate(tokens, start, end)
        if candidate is not None:
            self.toc.append((start, unit, candidate))
        else:
            self.units.append((start, unit))

    def _toc_candidate(self, tokens: list[Token], start: int, end: int) -> _TocCandidate | None:
        """The target and content of a run that is one link to ``#fragment`` and nothing else."""
        tags = [t for t in tokens if t.kind != "text" or self.text[t.start : t.end].strip()]
        if len(tags) < 3 or tags[0].kind != "start" or tags[0].tag != "a":
            return None
        if tags[-1].kind != "end" or tags[-1].tag != "a" or tags[0].start != start:
            return None
        if tags[-1].end != end or any(t.tag == "a" for t in tags[1:-1]):
            return None
        href = next((a.value for a in attributes(self.text, tags[0]) if a.name == "href"), "")
        if not href.startswith("#") or len(href) < 2:
            return None
        return _TocCandidate(href[1:], (tags[0].end, tags[-1].start))

    def _placed(self) -> list[tuple[int, Unit]]:
        """All units by offset, each TOC link that names a heading cut down to its content."""
        placed = list(self.units)
        for start, unit, candidate in self.toc:
            heading = self.heading_at.get(candidate.target)
            inner_start, inner_end = candidate.inner
            raw = self.text[inner_start:inner_end]
            if heading is None or raw != raw.strip():
                placed.append((start, unit))
                continue
            line = Line("", raw)
            entry = self._unit(UnitKind.TOC, line, inner_start, Escape.HTML)
            if entry.text != heading:
                note = f"table of contents entry for: {heading}"
                entry = Unit(
                    kind=entry.kind,
                    lines=entry.lines,
                    line=entry.line,
                    escape=entry.escape,
                    newline=entry.newline,
                    notes=(note,),
                )
            placed.append((inner_start, entry))
        placed.sort(key=lambda item: item[0])
        return placed

    def _unit(self, kind: UnitKind, line: Line, start: int, escape: Escape) -> Unit:
        return Unit(
            kind=kind,
            lines=(line,),
            line=bisect_right(self._line_starts, start),
            escape=escape,
            newline=self.newline,
        )


def segment_html(
    text: str,
    *,
    no_translate_classes: Iterable[str] = NO_TRANSLATE_CLASSES,
    visible_attributes: Iterable[str] = tuple(_VISIBLE_ATTRIBUTES),
) -> tuple[str | Unit, ...]:
    """Cut an HTML document or fragment into layout strings and units, in source order.

    ``visible_attributes`` names the attributes whose values are units of their own; those
    locpipe does not know by kind are attribute units.
    """
    visible = {
        name.lower(): _VISIBLE_ATTRIBUTES.get(name.lower(), UnitKind.ATTRIBUTE)
        for name in visible_attributes
    }
    placed = _Segmenter(text, no_translate_classes, visible).run(tokenize(text))
    parts: list[str | Unit] = []
    position = 0
    for start, unit in placed:
        if start > position:
            parts.append(text[position:start])
        parts.append(unit)
        position = start + len(unit.source)
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def set_document_language(text: str, language: str, *, rtl: bool) -> str:
    """The text with its ``<html>`` tag's ``lang`` (and ``dir``) set for ``language``.

    >>> set_document_language("<!DOCTYPE html>\\n<html class=x lang='nl'>", "pt_BR", rtl=False)
    "<!DOCTYPE html>\\n<html class=x lang='pt-BR'>"
    >>> set_document_language("<html>", "ar", rtl=True)
    '<html lang="ar" dir="rtl">'
    """
    tag = next((t for t in _start_tags(text) if t.tag == "html"), None)
    if tag is None:
        return text
    found = {a.name: a for a in attributes(text, tag)}
    wanted = {"lang": language.replace("_", "-")}
    if "xml:lang" in found:
        wanted["xml:lang"] = wanted["lang"]
    if rtl or "dir" in found:
        wanted["dir"] = "rtl" if rtl else "ltr"
    edits: list[tuple[int, int, str]] = []
    added = ""
    for name, value in wanted.items():
        attribute = found.get(name)
        if attribute is None:
            added += f' {name}="{value}"'
        elif attribute.quote:
            edits.append((attribute.start, attribute.end, value))
        else:
            edits.append((attribute.start, attribute.end, f'"{value}"'))
    name_end = tag.start + len("<html")
    edits.append((name_end, name_end, added))
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def _start_tags(text: str) -> Iterator[Token]:
    for token in tokenize(text):
        if token.kind in ("start", "startend"):
            yield token
