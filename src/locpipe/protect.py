"""What an engine must give back byte for byte: the spans of a unit that are masked.

Before an engine sees a Markdown text, everything in it that is not prose is replaced by a
placeholder: inline code, link and image destinations and titles (the link text stays
translatable), autolinks and bare URLs, raw inline HTML tags (their content stays
translatable), entities and backslash escapes, MDX expressions, site-generator shortcodes
and Liquid tags, footnote references, emoji shortcodes and keyboard keys (``++ctrl+c++``).
Markdown's own inline structure finds them (markdown-it's inline rules, with the source
position of each token recorded), never a regex over the whole text; only template
syntax, which generators expand before Markdown is parsed, and bare URLs, footnote
references, expressions, emoji shortcodes and keys in the prose between tokens, are found
by pattern.

What is masked depends on the syntax of the text (:data:`Markup`).  In an HTML unit the
markup is its tags, comments and character references, found by the pattern the HTML
segmenter reads them with (:mod:`locpipe.htmltext`), and besides them template syntax,
bare URLs and e-mail addresses: a backslash, a backtick or a bracket is text there, and
reading one as Markdown would, say, take ``\\</code>`` for an escaped ``<`` and send the end
tag to the engine as words.  In plain text only URLs and e-mail addresses are masked.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

# The inline syntax of a unit's text: Markdown (MDX too), HTML, or none.
Markup = Literal["plain", "markdown", "html"]

# Compiled by re on first use (and kept in its cache), not at import: only machine
# translation, XLIFF export and pseudo-translation mask text, once a unit and beside far
# more work a unit; extract, build and check import this module and never use them.
# Template syntax: Hugo shortcodes, Liquid/Jinja tags and outputs.  Generators expand it
# before Markdown is parsed, so it is found first, on the raw text.  A tag never holds
# another's opening, so an unclosed one is read only up to the next: a text of many
# unclosed "{{" is read once, not once per "{{".
_INSIDE = r"(?:(?!\{[{%]).)*?"
_TEMPLATE = rf"(?s)\{{\{{[<%]{_INSIDE}[%>]\}}\}}|\{{%{_INSIDE}%\}}|\{{\{{{_INSIDE}\}}\}}"
# In the prose between Markdown tokens: bare URLs, e-mail addresses, footnote references,
# MDX expressions, and emoji and icon shortcodes (:bulb:, :material-check:), which GitHub,
# MkDocs Material's emoji extension and Jekyll's jemoji draw as images: a translated name
# draws nothing.  One between word characters or colons (10:30:00, a::b) is none.
_URL = r"\b(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
# An address is tried only where a run of the characters its name may hold begins (its
# span is group 1, from the run's first word character): tried at every word boundary, a
# long run of "a." without an "@" was read to its end from each one, in quadratic time.
_EMAIL = r"(?<![\w.+-])[.+-]*(\w[\w.+-]*@[\w-]+(?:\.[\w-]+)+)\b"
_FOOTNOTE = r"\[\^[^\]\s]+\]"
_EXPRESSION = r"\{[^{}\n]*\}"
_SHORTCODE = r"(?<![\w:])(?::[+\w-]+:)+(?![\w:])"  # :+1::skin-tone-2: is one
# Keyboard keys as pymdownx.keys (MkDocs Material) draws them: ++ctrl+alt+del++, and a key
# of its own in quotes, ++ctrl+"Mijn toets"++; not between word characters (a++b++c).
_KEYS = r'(?<![\w+])\+\+(?:[\w-]+|"[^"\n]*")(?:\+(?:[\w-]+|"[^"\n]*"))*\+\+(?![\w+])'

# Each pattern with the kind of span it finds.
_PLAIN_PATTERNS = ((_URL, "url"), (_EMAIL, "email"))
_PROSE_PATTERNS = (
    *_PLAIN_PATTERNS,
    (_FOOTNOTE, "footnote"),
    (_EXPRESSION, "expression"),
    (_SHORTCODE, "emoji"),
    (_KEYS, "keys"),
)

# The inline rules whose tokens are masked, and how each is cut.
_WHOLE = ("backticks", "autolink", "html_inline", "entity", "escape")
_LABELLED = {"link": 1, "image": 2}  # rule -> length of its opening ("[" or "![")


# An HTML start tag that is not self-closing, and an end tag: each with its element's name.
_HTML_OPEN = r"<([A-Za-z][\w:-]*)(?:\s[^<>]*)?(?<!/)>\Z"
_HTML_CLOSE = r"</([A-Za-z][\w:-]*)\s*>\Z"
# Elements that never have an end tag: their start tag opens nothing.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip


class Span(NamedTuple):
    """A masked stretch of a text: ``text[start:end]`` comes back exactly as it is."""

    start: int
    end: int
    kind: str  # "code", "link", "html", "entity", "url", "template", ...


def masked_spans(text: str, *, markup: Markup) -> tuple[Span, ...]:
    """The spans of ``text`` an engine must not touch, in order and never overlapping.

    >>> [text[s.start:s.end] for text in ["Zie `code` en [de site](https://x.nl)."]
    ...  for s in masked_spans(text, markup="markdown")]
    ['`code`', '[', '](https://x.nl)']
    >>> [s.kind for s in masked_spans(r"Pad <code>C:\\</code> &amp; `x`", markup="html")]
    ['html', 'html', 'entity']
    >>> [s.kind for s in masked_spans("Mail info@x.nl of https://x.nl/a.", markup="plain")]
    ['email', 'url']
    """
    spans: list[Span] = []
    if markup != "plain":
        templates = [Span(m.start(), m.end(), "template") for m in re.finditer(_TEMPLATE, text)]
        # The inline syntax reads each tag as the one word the generator puts in its place,
        # so [agenda]({% link agenda.md %}) is a link with a label to translate, not a
        # reference [agenda] masked whole before a stray tag.
        blanked = blank_out(text, templates, fill="x")
        found = _markdown_spans(blanked) if markup == "markdown" else _html_spans(blanked)
        spans = _merge(found, templates)
    for pattern, kind in _PROSE_PATTERNS if markup == "markdown" else _PLAIN_PATTERNS:
        found = [Span(*m.span(m.lastindex or 0), kind) for m in re.finditer(pattern, text)]
        # A bare URL holding a reference (?a=1&amp;b=2, as HTML must write it) or a template
        # is masked whole, not left out for overlapping them.
        spans = _merge(spans, found, absorb=kind == "url")
    return tuple(spans)


def outside(spans: Iterable[Span], start: int, end: int) -> bool:
    """Whether ``text[start:end]`` overlaps none of the spans."""
    return all(end <= span.start or start >= span.end for span in spans)


def blank_out(text: str, spans: Iterable[Span], *, fill: str = " ") -> str:
    """The text with every span replaced by ``fill``, so that positions stay as they are."""
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(fill * (span.end - span.start))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def span_texts(text: str, *, markup: Markup) -> list[str]:
    """What the masked spans of a text hold, in order: compared between a source and its
    translation, it shows a link target, a code span or a tag that changed."""
    return [text[span.start : span.end] for span in masked_spans(text, markup=markup)]


def _merge(kept: list[Span], new: Iterable[Span], *, absorb: bool = False) -> list[Span]:
    """``kept`` (in order, never overlapping) plus the new spans (in order, never
    overlapping each other) that overlap none of them, in order; with ``absorb``, a new span
    that holds kept spans whole takes their place.

    Each new span is looked up among the kept ones by bisection, not compared with all of
    them: a long unit has thousands of tags or links, and a pass over every kept span for
    every new one made masking (and so pretranslation and ``pseudo``) quadratic.
    """
    ends = [span.end for span in kept]  # ascending, as the spans never overlap
    merged = list(kept)
    absorbed: set[int] = set()
    for span in new:
        if span.end <= span.start:
            continue
        # The first kept span ending after this one starts is the first that can overlap.
        first = index = bisect_right(ends, span.start)
        while index < len(kept) and kept[index].start < span.end:
            index += 1
        if index == first:
            merged.append(span)
        elif absorb and kept[first].start >= span.start and kept[index - 1].end <= span.end:
            merged.append(span)
            absorbed.update(range(first, index))
    if absorbed:
        merged = [span for number, span in enumerate(merged) if number not in absorbed]
    return sorted(merged)


def _html_spans(text: str) -> list[Span]:
    """The tags, comments and character references of an HTML unit's text; a reference
    inside a tag's attribute is part of the tag."""
    from .htmltext import character_references, tags_and_comments

    tags = [Span(m.start(), m.end(), "html") for m in tags_and_comments(text)]
    if "&" not in text:
        return tags
    return _merge(tags, [Span(m.start(), m.end(), "entity") for m in character_references(text)])


class _AnyReference(dict[str, dict[str, str]]):
    """Every label is a defined reference: a unit does not see its article's definitions,
    and ``[text][label]`` or ``[label]`` must come back with the label as it is."""

    def __contains__(self, key: object) -> bool:
        return True

    def get(self, key: str, default: object = None) -> dict[str, str]:
        return {"href": "", "title": ""}

    def __bool__(self) -> bool:
        return True


def _markdown_spans(text: str) -> list[Span]:
    """The spans markdown-it's inline rules find, from the positions they consumed.

    Every label is read as a defined reference, so a label inside a link's text,
    ``[[options]](#options)``, is a link of its own, and a link may not hold one: the outer
    brackets are then text, and their destination with them.  Where the article defines no
    such reference (most often), the outer link is the link, and an engine would translate
    its destination.  So where a ``](`` is left outside every span, the text is read again
    with no reference defined, and the spans that reading adds are masked too: the
    destination is kept in either reading; spans of the two that overlap (a bracket inside
    the destination, ``[[x]](a[1].md)``) are joined into one.
    """
    spans = _inline_spans(text, _AnyReference())
    if "](" in text and _found_outside(spans, text, "]("):
        spans = _joined(spans, _inline_spans(text, {}))
    return spans


def _joined(first: list[Span], second: list[Span]) -> list[Span]:
    """Every stretch either list of spans (each in order, never overlapping) covers, a run
    of overlapping spans joined into one, of the kind of the run's first."""
    joined: list[Span] = []
    for span in sorted(first + second):
        if joined and span.start < joined[-1].end:
            last = joined[-1]
            joined[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            joined.append(span)
    return joined


def _inline_spans(text: str, references: dict[str, dict[str, str]]) -> list[Span]:
    """The spans the inline rules record with these references defined, nested ones left
    out."""
    found: list[Span] = []
    env = {"locpipe_spans": found, "locpipe_text": text, "references": references}
    _parser().parseInline(text, env)
    spans: list[Span] = []
    for span in sorted(found):  # nested rules may report a span inside another
        if not spans or span.start >= spans[-1].end:
            spans.append(span)
    return spans


def _found_outside(spans: list[Span], text: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``text`` where no span (in order) covers its start."""
    index = 0
    position = text.find(needle)
    while position >= 0:
        while index < len(spans) and spans[index].end <= position:
            index += 1
        if index == len(spans) or spans[index].start > position:
            return True
        position = text.find(needle, position + 1)
    return False


@functools.cache
def _parser() -> MarkdownIt:
    """A CommonMark inline parser whose masked rules record where their tokens came from."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True})
    md.enable("strikethrough")
    for rule in md.inline.ruler.__rules__:
        if rule.name in _WHOLE or rule.name in _LABELLED:
            rule.fn = _recording(rule.name, rule.fn)
    md.inline.ruler.__cache__ = None  # the rule chains are compiled from the rules again
    return md


def _recording(name: str, rule: Callable[..., bool]) -> Callable[..., bool]:
    """The inline rule, recording the span of what it consumed into the env."""

    def recorded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        matched = rule(state, silent)
        spans: list[Span] | None = state.env.get("locpipe_spans")
        # An image's alt text is parsed again on its own; positions there are not the
        # unit's, and the alt text is prose anyway.
        if not matched or silent or spans is None or state.src != state.env["locpipe_text"]:
            return matched
        end = state.pos
        if name in _LABELLED:
            opening = _LABELLED[name]
            label_end = state.md.helpers.parseLinkLabel(state, start + opening - 1, False)
            closing = state.src[label_end:end]
            if label_end < 0 or closing in ("]", "][]"):
                # No label of its own (or a shortcut or collapsed reference, whose text is
                # its label): the whole link must come back as it is.
                spans.append(Span(start, end, name))
            else:
                spans.append(Span(start, start + opening, name))
                spans.append(Span(label_end, end, name))
        else:
            kind = {"backticks": "code", "html_inline": "html"}.get(name, name)
            spans.append(Span(start, end, kind))
        return matched

    return recorded


# Emphasis is prose to an engine, so it is never masked; a CAT tool, though, shows it best
# as a pair of inline codes, which needs where Markdown found each delimiter it paired.

_PAIRED = {"em": 1, "strong": 2, "s": 2}  # token tag -> delimiter length


def emphasis_spans(text: str) -> tuple[Span, ...]:
    """The emphasis, strong emphasis and strikethrough delimiters Markdown pairs, in order;
    each span's kind is the token's (``em_open``, ``strong_close``, ``s_open``...).

    >>> [(text[s.start:s.end], s.kind) for text in ["Een **zware** _raket_ \\\\*x*"]
    ...  for s in emphasis_spans(text)]
    [('**', 'strong_open'), ('**', 'strong_close'), ('_', 'em_open'), ('_', 'em_close')]
    """
    found: dict[int, int] = {}  # id of a delimiter token -> its offset in the text
    env = {"locpipe_delimiters": found, "locpipe_text": text, "references": _AnyReference()}
    tokens = _emphasis_parser().parseInline(text, env)[0].children or []
    spans = []
    for token in tokens:
        start = found.get(id(token))
        width = _PAIRED.get(token.tag)
        if start is None or width is None or not token.type.endswith(("_open", "_close")):
            continue
        # A strong delimiter is two one-character tokens merged into the inner one: the
        # second of an opening pair, the first of a closing one.
        if token.tag == "strong" and token.type.endswith("_open"):
            start -= 1
        spans.append(Span(start, start + width, token.type))
    return tuple(sorted(spans))


@functools.cache
def _emphasis_parser() -> MarkdownIt:
    """A CommonMark inline parser that records where each emphasis delimiter stood."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True})
    md.enable("strikethrough")
    for rule in md.inline.ruler.__rules__:
        if rule.name in ("emphasis", "strikethrough"):
            rule.fn = _recording_delimiters(rule.fn)
    md.inline.ruler.__cache__ = None
    return md


def _recording_delimiters(rule: Callable[..., bool]) -> Callable[..., bool]:
    """The delimiter rule, recording the offset of each token it pushed into the env."""

    def recorded(state: StateInline, silent: bool) -> bool:
        found: dict[int, int] | None = state.env.get("locpipe_delimiters")
        if found is None or silent or state.src != state.env["locpipe_text"]:
            return rule(state, silent)
        if state.pending:
            state.pushPending()  # so that only the rule's own tokens follow
        start, first = state.pos, len(state.tokens)
        matched = rule(state, silent)
        for token in state.tokens[first:]:
            found[id(token)] = start
            start += len(token.content)
        return matched

    return recorded


def paired_roles(text: str, spans: Sequence[Span]) -> list[tuple[str, int]]:
    """Each span's role, and for a closing one the index of its opening: a link's ``[``
    and ``](url)``, an HTML tag and its end tag, emphasis delimiters as Markdown paired
    them; everything else stands alone."""
    roles = [("ph", -1)] * len(spans)
    stack: list[tuple[int, str]] = []
    for index, span in enumerate(spans):
        opens, closes = _delimits(span.kind, text[span.start : span.end])
        if opens:
            stack.append((index, opens))
        elif closes and stack and stack[-1][1] == closes:
            opening = stack.pop()[0]
            roles[opening], roles[index] = ("open", -1), ("close", opening)
    return roles


def _delimits(kind: str, data: str) -> tuple[str, str]:
    """What a span opens and what it closes ("" for nothing): a link, an image, a tag.

    >>> _delimits("link", "["), _delimits("html", "</B>"), _delimits("html", "<br>")
    (('link', ''), ('', '<b'), ('', ''))
    """
    if kind.endswith("_open"):  # emphasis, as Markdown paired it
        return kind.removesuffix("_open"), ""
    if kind.endswith("_close"):
        return "", kind.removesuffix("_close")
    if kind in ("link", "image"):
        return (kind, "") if data in ("[", "![") else ("", kind if data.startswith("]") else "")
    if kind == "html" and (tag := re.match(_HTML_OPEN, data)):
        return ("", "") if tag[1].lower() in _VOID else ("<" + tag[1].lower(), "")
    if kind == "html" and (tag := re.match(_HTML_CLOSE, data)):
        return "", "<" + tag[1].lower()
    return "", ""
