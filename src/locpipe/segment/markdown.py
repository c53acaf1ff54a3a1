"""Cut a Markdown or MDX article into layout and translation units.

markdown-it-py finds the blocks and their line ranges; each unit's text is always cut from
the source lines themselves, never re-rendered, so every byte outside a unit is layout
exactly as written.  Documentation-site syntax (front matter, admonition fences, MDX
import/export, component tags) is masked to blank lines before parsing so the prose around
it parses as ordinary Markdown while the syntax itself stays layout.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import accumulate
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import list_block
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.token import Token

from ..errors import SegmentationError
from ..model import Escape, Line, Unit, UnitKind
from .base import (
    PartsBuilder,
    SourceLine,
    continuation_prefix,
    dominant_newline,
    has_words,
    make_unit,
    split_lines,
)
from .dialects import (
    ATTRIBUTE_LIST,
    ATTRIBUTE_LIST_DIALECTS,
    CONTAINER_PREFIX,
    DEFINITION_LIST_DIALECTS,
    DIALECT_VISIBLE,
    QUOTE_MARKER,
    Slot,
    scan_site_syntax,
    tag_line_slots,
)
from .frontmatter import case_blind, default_keys, front_matter_formats, read_front_matter

_ADMONITION_FENCE = re.compile(r"[ \t]*:{3,}(?:[ \t]*[A-Za-z{\[].*)?[ \t]*")
_COMPONENT_TAG = re.compile(
    r"[ \t]*</?[A-Za-z][\w.:-]*"
    r"(?:\s+(?:[^<>\"'{}]|\"[^\"]*\"|'[^']*'|\{[^{}]*\})*)?"
    r"/?>[ \t]*"
)
# Tokens that open and close the containers whose markers prefix their lines.
_CONTAINER_OPEN = frozenset({"blockquote_open", "list_item_open", "dd_open"})
_CONTAINER_CLOSE = frozenset({"blockquote_close", "list_item_close", "dd_close"})
_DEFINITION_MARKER = re.compile(r"[ \t]*[:~][ \t]+")
# A line of HTML tags and nothing else, after its indentation.
_TAGS_ONLY = re.compile(r"[ \t]*(?:<[^<>]+>[ \t]*)+")
_RAW_TAG = re.compile(r"[ \t]*</?(?:pre|script|style|textarea)(?:[\s/>]|$)", re.IGNORECASE)
_RAW_HTML_BLOCK = re.compile(
    r"[ \t]*(?:<!|<\?|<(?:pre|script|style|textarea)(?:[\s>]|$))", re.IGNORECASE
)
_MDX_ESM = re.compile(r"(?:import|export)(?=[\s{*])")
_JS_IMPORT = re.compile(r"import\s*(?:[\"']|[\w$*{][\s\S]*?\bfrom\s*[\"'])")
_JS_EXPORT = re.compile(
    r"export\s*(?:[{*]|(?:default|const|let|var|function|async|class|type|interface|enum)\b)"
)
_MAX_MASK_PASSES = 8

_NON_PROSE = re.compile(
    r"(`+)[\s\S]*?\1"  # code spans
    r"|<!--[\s\S]*?-->"
    r"|<[^<>]*>"  # html tags and autolinks
    r"|\]\([^)]*\)|\]\[[^\]]*\]"  # link destinations and reference labels
    r"|(?:https?|ftp)://\S+|www\.\S+"
    r"|&#?\w+;"
)
_LIST_MARKER = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_HEADING_ID = re.compile(r"[ \t]*\{#[\w.:-]+\}$")
# An attribute list at the end of a heading or paragraph (attr_list, kramdown): layout.
_ATTRIBUTE_LIST_END = re.compile(ATTRIBUTE_LIST + "$")
# A link alone before an attribute list glued to it (Material's buttons): attr_list and
# kramdown give the attributes to the link, so a translation must end with it: its label is
# the unit, the link and the attributes are layout.
_LONE_LINK = re.compile(
    r"\[((?:[^\[\]\\\n]|\\.)+)\]\([^()\s]*"
    r"(?:[ \t]+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*\)"
)
_IMAGE_TITLE = re.compile(r"\]\([^()\s]*[ \t]+\"((?:[^\"\\]|\\.)*)\"[ \t]*\)")
# An inline HTML tag with an event handler: the unit keeps the script out of its msgid.
_HANDLER_TAG = re.compile(r"<[A-Za-z][^<>]*?[\s\"']on[a-z]+[ \t\n]*=", re.IGNORECASE)
# An icon with an attribute list opening a unit (Material's grid cards): layout.
_LEADING_ICON = re.compile(r":[\w+-]+:\{[^{}\n]*\}[ \t]+")
_HTML_VISIBLE = ("alt", "title", "aria-label", "placeholder")
# A GFM task list item's checkbox (remark-gfm, Goldmark, kramdown, pymdownx.tasklist): layout,
# or a translation that puts anything before it turns the task into text.
_TASK_MARKER = re.compile(r"\[[ xX]\][ \t]+")

_Placed = tuple[int, Unit]  # a unit and the offset in the text where its source begins


@dataclass(frozen=True, slots=True)
class _Source:
    """The article's lines with their offsets, and the factory for units cut from them."""

    lines: list[SourceLine]
    starts: list[int]
    newline: str
    attribute_lists: bool = False  # whether a trailing {: .class #id } is layout
    # MDX lines that are one element with text inside: the text's columns, by line.
    elements: Mapping[int, tuple[int, int]] = field(default_factory=dict)

    def unit(
        self,
        kind: UnitKind,
        first: int,
        pieces: Sequence[tuple[str, str, str]],
        *,
        column: int = 0,
        suffix: str = "",
        escape: Escape = Escape.NONE,
    ) -> _Placed:
        """A unit whose first piece begins at ``column`` of line ``first``; ``suffix`` ends it."""
        unit, _ = make_unit(
            kind,
            first + 1,
            pieces,
            newline=self.newline,
            hard_breaks=True,
            escape=escape,
            suffix=suffix,
        )
        return self.starts[first] + column, unit


def segment_markdown(
    text: str,
    *,
    mdx: bool = False,
    dialect: str = "commonmark",
    visible_attributes: tuple[str, ...] = _HTML_VISIBLE,
    front_matter_keys: Sequence[str] | None = None,
) -> tuple[str | Unit, ...]:
    """Cut a Markdown (or MDX) article into layout strings and units, in source order.

    ``dialect`` names the site generator the article is written for (see
    :mod:`locpipe.segment.dialects`); Docusaurus reads every article as MDX.  The values
    of ``front_matter_keys`` (by default the dialect's) in its front matter are units too.
    """
    lines = split_lines(text)
    starts = list(accumulate((len(line.body) + len(line.eol) for line in lines), initial=0))
    source = _Source(lines, starts, dominant_newline(lines), dialect in ATTRIBUTE_LIST_DIALECTS)
    mdx = mdx or dialect == "docusaurus"
    header = read_front_matter(
        text,
        lines,
        starts,
        keys=default_keys(dialect) if front_matter_keys is None else front_matter_keys,
        newline=source.newline,
        formats=front_matter_formats(dialect, mdx=mdx),
        fold_case=case_blind(dialect),
    )
    front_matter = header.lines if header else 0
    placed = list(header.units) if header else []
    visible = {*DIALECT_VISIBLE.get(dialect, ()), *visible_attributes}
    bodies = [line.body for line in lines]
    syntax = scan_site_syntax(
        text, bodies, starts, dialect=dialect, mdx=mdx, visible=visible, first=front_matter
    )
    scanned = set(range(front_matter)) | syntax.mask
    deflist = dialect in DEFINITION_LIST_DIALECTS
    tokens, mask = _parse(lines, syntax.view, scanned, mdx=mdx, deflist=deflist)
    if not mdx:
        # Lines of HTML tags alone are layout, masked or a paragraph with no prose: their
        # visible attributes are offered on their own (MDX's scan offers its tags' props).
        tag_lines = sorted(mask - scanned) + _tags_only_paragraph_lines(tokens, bodies)
        if tag_lines:
            syntax.slots.extend(tag_line_slots(text, bodies, starts, tag_lines, visible))
    inline = _elements_read_inline(tokens, syntax.elements) if syntax.elements else set()
    elements = {line: span for line, span in syntax.elements.items() if line not in inline}
    source = replace(source, elements=elements)
    html = list(_html_block_units(source, tokens, visible_attributes))
    slots = [_slot_unit(source, slot) for slot in syntax.slots if slot.line not in inline]
    # An element alone on a line inside an HTML block (<th title="...">) is cut by the HTML
    # segmenter too, which offers its visible attributes but not a component's props.
    placed.extend(_outside(slots, html) if html and slots else slots)
    placed.extend(_block_units(source, tokens))
    placed.extend(html)
    return _parts(text, placed)


def _elements_read_inline(tokens: list[Token], elements: Mapping[int, tuple[int, int]]) -> set[int]:
    """The lines of one-line elements (``<Tag>text</Tag>``) that are not blocks of their own
    after all: in a paragraph or a setext heading with lines of other text, MDX reads the
    element inside it, so its props stay in that unit.  Lines that are all such elements
    are each a block, as MDX reads them."""
    found: set[int] = set()
    for token in tokens:
        if token.type not in ("paragraph_open", "heading_open") or not token.map:
            continue
        lines = range(*token.map)
        if not all(line in elements for line in lines):
            found.update(line for line in lines if line in elements)
    return found


def _tags_only_paragraph_lines(tokens: list[Token], bodies: list[str]) -> list[int]:
    """The lines of paragraphs without prose that hold HTML tags and nothing else, as a
    badge's ``<a><img alt></a>`` or an ``<input placeholder>``: no unit holds them."""
    found: list[int] = []
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.map and "<" in tokens[index + 1].content:
            lines = range(*token.map)
            if not _is_prose(tokens[index + 1].content) and all(
                _TAGS_ONLY.fullmatch(bodies[line]) for line in lines
            ):
                found.extend(lines)
    return found


def _outside(placed: list[_Placed], others: list[_Placed]) -> list[_Placed]:
    """The units of ``placed`` that overlap none of ``others`` (both as placed)."""
    spans = sorted((offset, offset + len(unit.source)) for offset, unit in others)
    starts = [start for start, _ in spans]
    kept = []
    for offset, unit in placed:
        end = offset + len(unit.source)
        # Only the last of the others to start before this unit ends can reach into it.
        index = bisect_left(starts, end) - 1
        if index < 0 or spans[index][1] <= offset:
            kept.append((offset, unit))
    return kept


def _slot_unit(source: _Source, slot: Slot) -> _Placed:
    """A unit for prose inside site syntax: a title, a label, a prop or parameter value."""
    body = source.lines[slot.line].body
    raw = body[slot.start : slot.end]
    offset = source.starts[slot.line] + slot.start
    line = Line(slot.quote, raw, slot.quote)
    offset -= len(slot.quote)
    unit = Unit(
        kind=slot.kind,
        lines=(line,),
        line=slot.line + 1,
        escape=slot.escape,
        newline=source.newline,
    )
    return offset, unit


def _html_block_units(
    source: _Source, tokens: list[Token], visible_attributes: tuple[str, ...]
) -> Iterator[_Placed]:
    """Prose inside HTML blocks, cut by the HTML segmenter: block elements are units, inline
    elements stay inside them, scripts, styles and event handlers are layout."""
    for _, token, containers in _in_containers(tokens):
        if token.type == "html_block" and token.map and not _is_raw_html(token):
            first, end = token.map
            yield from _html_units(source, first, end, containers, visible_attributes)


def _html_units(
    source: _Source,
    first: int,
    end: int,
    containers: list[tuple[str, int]],
    visible_attributes: tuple[str, ...],
) -> Iterator[_Placed]:
    """The units of one HTML block, lines ``first`` to ``end``, inside ``containers``.

    A line break a translation adds must carry the line's container markers on (``> ``, a
    list item's indentation), or the block would end there; so each unit's ``newline`` is
    the line ending and those markers.  In a list the indentation is whitespace to HTML and
    the block is read as it stands.  In a quote the markers would be text, so each line's
    markers are taken off first; then a unit that runs over two lines could not get its
    markers back between them, and stays layout: text on a line of its own, or an element
    and its text on one line (``> <p>Tekst</p>``), is a unit.
    """
    from .html import segment_html

    quoted = any(kind == "blockquote" for kind, _ in containers)
    origins: list[int] = []  # where each line's HTML is read from, in the article
    starts: list[int] = []  # and in the block the HTML segmenter reads
    newlines: list[str] = []
    pieces: list[str] = []
    length = 0
    for index in range(first, end):
        line = source.lines[index]
        cut = _row_start(line.body, index, containers) if containers else 0
        newlines.append(source.newline + continuation_prefix(line.body[:cut]))
        if not quoted:
            cut = 0
        origins.append(source.starts[index] + cut)
        starts.append(length)
        pieces.append(line.body[cut:] + line.eol)
        length += len(pieces[-1])
    offset = 0
    for part in segment_html("".join(pieces), visible_attributes=visible_attributes):
        if isinstance(part, Unit):
            unit_source = part.source
            if not quoted or ("\n" not in unit_source and "\r" not in unit_source):
                row = bisect_right(starts, offset) - 1
                placed = replace(part, line=part.line + first, newline=newlines[row])
                yield origins[row] + offset - starts[row], placed
            offset += len(unit_source)
        else:
            offset += len(part)


def _parts(text: str, placed: list[_Placed]) -> tuple[str | Unit, ...]:
    """Interleave the units with the layout between them."""
    builder = PartsBuilder()
    position = 0
    for offset, unit in sorted(placed, key=lambda item: item[0]):
        source = unit.source
        if offset < position or not text.startswith(source, offset):
            raise SegmentationError(
                "overlapping translation units; cannot cut the article", line=unit.line
            )
        builder.layout(text[position:offset])
        builder.unit(unit)
        position = offset + len(source)
    builder.layout(text[position:])
    return builder.parts()


# Masking and parsing


def _parse(
    lines: list[SourceLine], view: list[str], mask: set[int], *, mdx: bool, deflist: bool = False
) -> tuple[list[Token], set[int]]:
    """Parse with the masked lines blanked, growing the mask until the syntax is all found;
    the tokens and the mask.

    ``view`` holds each line as the parser must read it (a dialect may take indentation off).
    """
    source = _masked_source(view, mask)
    env: dict[str, Any] = {}
    tokens = _block_parser(mdx=mdx, deflist=deflist, absent=_absent_rules(source)).parse(
        source, env
    )
    for _ in range(_MAX_MASK_PASSES):
        grown = mask | _site_syntax_lines(lines, tokens, mask, mdx=mdx)
        if grown == mask:
            break
        mask = grown
        source, env = _masked_source(view, mask), {}
        tokens = _block_parser(mdx=mdx, deflist=deflist, absent=_absent_rules(source)).parse(
            source, env
        )
    _parse_images(tokens, env)
    return tokens, mask


@cache
def _block_parser(
    *, mdx: bool, deflist: bool = False, absent: frozenset[str] = frozenset()
) -> MarkdownIt:
    """A parser for the block structure only, built once per flavour and set of rules.

    Inline parsing is more than half of markdown-it's time, and segmentation reads inline
    tokens only to find lone images: :func:`_parse_images` parses just those blocks.  The
    ``absent`` block rules, which cannot match anywhere in the source (see
    :func:`_absent_rules`), are left out.
    """
    md = MarkdownIt("commonmark").enable("table")
    if deflist:
        from mdit_py_plugins.deflist import deflist_plugin

        md.use(deflist_plugin)
    if mdx:
        md.disable("code")  # MDX has no indented code; component children are indented
        md.block.ruler.at("list", _mdx_list, {"alt": ["paragraph", "reference", "blockquote"]})
        md.block.ruler.at("paragraph", _mdx_paragraph)
    if absent:
        md.disable(sorted(absent))
    md.core.ruler.disable(["normalize", "inline", "text_join"])  # see _masked_source
    return md


def _mdx_list(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's list rule as MDX reads lists: with no indented code, a marker indented
    four or more past the list's own indent starts an item (``    - b`` after ``    - a``
    under a component tag) rather than continuing the paragraph before it."""
    # listIndent only serves that CommonMark rule and restoring the indent after an item,
    # which the rule does from the value it saves on entry.
    kept, state.listIndent = state.listIndent, -1
    try:
        return list_block(state, start, end, silent)
    finally:
        state.listIndent = kept


def _mdx_paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's paragraph rule as MDX reads paragraphs: a list or heading indented four
    or more past the paragraph ends it, where CommonMark reads a lazy continuation line
    (the indented code MDX does not have).  The rest is markdown-it's rule as written."""
    terminators = state.md.block.ruler.getRules("paragraph")
    line = start + 1
    parent, state.parentType = state.parentType, "paragraph"
    while line < state.lineMax and not state.isEmpty(line):
        # A negative indent is markdown-it's mark for a line a quote already read.
        if state.sCount[line] >= 0 and any(
            terminator(state, line, state.lineMax, True) for terminator in terminators
        ):
            break
        line += 1
    content = mdTrim(state.getLines(start, line, state.blkIndent, False))
    state.line = line
    state.push("paragraph_open", "p", 1).map = [start, line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = content, [start, line], []
    state.push("paragraph_close", "p", -1)
    state.parentType = parent
    return True


# For a block rule, what a source must hold somewhere for the rule to match anywhere in it,
# whatever container (block quote, list item) the line is in.  markdown-it tries every
# block rule at the start of every block, and every rule that can end a paragraph on every
# line of one; in a source where one of these is missing, the rule can only fail.
_SETEXT_UNDERLINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.M)
_THREE_MARKERS = re.compile(r"([*_-])[ \t]*\1[ \t]*\1")
_RULE_NEEDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("table", lambda source: "|" in source),
    ("fence", lambda source: "```" in source or "~~~" in source),
    ("blockquote", lambda source: ">" in source),
    ("hr", lambda source: _THREE_MARKERS.search(source) is not None),
    ("reference", lambda source: "]:" in source),
    ("html_block", lambda source: "<" in source),
    ("heading", lambda source: "#" in source),
    ("lheading", lambda source: _SETEXT_UNDERLINE.search(source) is not None),
)


def _absent_rules(source: str) -> frozenset[str]:
    """The block rules that cannot match anywhere in ``source``.

    Leaving them out changes no token: a rule that matches nowhere only spends time
    failing, at each block and, as a paragraph's terminator, at each line of a paragraph.
    Most articles have no block quote, HTML or setext heading, and prose has no tables.
    """
    return frozenset(name for name, needs in _RULE_NEEDS if not needs(source))


@cache
def _inline_parser() -> MarkdownIt:
    """A full CommonMark parser (block rules do not matter to inline parsing)."""
    return MarkdownIt("commonmark").enable("table")


def _parse_images(tokens: list[Token], env: dict[str, Any]) -> None:
    """Parse the inline content of every block that holds an image, as a full parse would.

    ``env`` carries the reference definitions the block parse found, so ``![a][ref]``
    resolves as it does in one pass.  A block without ``![`` holds no image; its inline
    children stay unparsed (None).
    """
    for token in tokens:
        if token.type == "inline" and "![" in token.content:
            token.children = _inline_parser().parseInline(token.content, env)[0].children


def _masked_source(view: list[str], mask: set[int]) -> str:
    """The text markdown-it sees: masked lines blank, so line numbers stay the same.

    It comes normalized as markdown-it's own first step would leave it (LF line endings, NUL
    replaced), so the block parser skips that step.
    """
    return _normalized("\n".join("" if index in mask else body for index, body in enumerate(view)))


def _site_syntax_lines(
    lines: list[SourceLine], tokens: list[Token], mask: set[int], *, mdx: bool
) -> set[int]:
    """Lines of admonition fences, MDX import/export and component tags outside code."""
    raw = _raw_lines(tokens)
    found = {
        index
        for index, line in enumerate(lines)
        if ":::" in line.body and index not in raw and _ADMONITION_FENCE.fullmatch(line.body)
    }
    found |= _esm_lines(lines, raw, mask, mdx=mdx)
    for token in tokens:
        if token.type == "html_block" and token.map and not _is_raw_html(token):
            found.update(
                index
                for index in range(*token.map)
                if _COMPONENT_TAG.fullmatch(lines[index].body)
                and not _RAW_TAG.match(lines[index].body)
            )
    return found


def _raw_lines(tokens: list[Token]) -> set[int]:
    """Lines whose content is taken literally: code and raw HTML blocks, never masked."""
    raw: set[int] = set()
    for token in tokens:
        if token.map and (
            token.type in ("fence", "code_block")
            or (token.type == "html_block" and _is_raw_html(token))
        ):
            raw.update(range(*token.map))
    return raw


def _is_raw_html(token: Token) -> bool:
    """Whether an HTML block is one that ends only at its closing tag (pre, comments, ...)."""
    return bool(_RAW_HTML_BLOCK.match(token.content))


def _esm_lines(lines: list[SourceLine], raw: set[int], mask: set[int], *, mdx: bool) -> set[int]:
    """Top-level import/export statements, each running to the next blank line."""
    found: set[int] = set()
    index = 0
    while index < len(lines):
        if index in raw or not _MDX_ESM.match(lines[index].body):
            index += 1
            continue
        after_blank = index == 0 or index - 1 in mask or not lines[index - 1].body.strip()
        if not after_blank:
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].body.strip():
            end += 1
        statement = "\n".join(line.body for line in lines[index:end])
        # Outside MDX only code-shaped statements count: "import" can start Dutch prose.
        if mdx or _JS_IMPORT.match(statement) or _JS_EXPORT.match(statement):
            found.update(range(index, end))
        index = end
    return found


# Markdown blocks


def _block_units(source: _Source, tokens: list[Token]) -> Iterator[_Placed]:
    """Units for headings, paragraphs, list items, quotes and table cells, in token order."""
    for index, token, containers in _in_containers(tokens):
        if token.type == "dt_open" and token.map:
            yield from _term_unit(source, token.map[0], tokens[index + 1])
        elif token.type == "heading_open" and token.map:
            placed = _heading_unit(source, token, tokens[index + 1])
            if placed:
                yield placed
        elif token.type == "paragraph_open" and token.map:
            # Only an item's first paragraph can open with a task's checkbox.
            task = bool(containers) and containers[-1] == ("list", token.map[0])
            kind = _kind(containers)
            yield from _paragraph_units(source, token, tokens[index + 1], kind, task=task)
        elif token.type == "tr_open" and token.map:
            yield from _cell_units(source, token.map[0], _column_count(tokens, index), containers)


def _in_containers(
    tokens: list[Token],
) -> Iterator[tuple[int, Token, list[tuple[str, int]]]]:
    """Each token but those opening and closing containers, with its index and the
    containers it is in: ("blockquote" | "list" | "dd", first line), outermost first."""
    containers: list[tuple[str, int]] = []
    for index, token in enumerate(tokens):
        if token.type in _CONTAINER_OPEN and token.map:
            containers.append((token.type.split("_")[0], token.map[0]))
        elif token.type in _CONTAINER_CLOSE:
            containers.pop()
        else:
            yield index, token, containers


def _kind(containers: list[tuple[str, int]]) -> UnitKind:
    """The unit kind for a paragraph: its innermost container decides."""
    if not containers or containers[-1][0] == "dd":  # a definition is paragraphs
        return UnitKind.PARAGRAPH
    return UnitKind.LIST_ITEM if containers[-1][0] == "list" else UnitKind.BLOCKQUOTE


def _term_unit(source: _Source, line: int, inline: Token) -> Iterator[_Placed]:
    """A definition list's term: one line, whose next line holds its definition."""
    if _is_prose(inline.content):
        pieces = _content_pieces(source.lines, line, line + 1, inline.content)
        yield source.unit(UnitKind.TERM, line, pieces, escape=_escape(inline.content))


def _is_prose(text: str) -> bool:
    """Whether text has letters outside code spans, URLs and HTML."""
    # Every match of _NON_PROSE holds one of these; most texts hold none, and the pattern is
    # slow to find that out.
    if not (
        "`" in text or "<" in text or "]" in text or "&" in text or "://" in text or "www." in text
    ):
        return has_words(text)
    return has_words(_NON_PROSE.sub(" ", text))


def _heading_unit(source: _Source, token: Token, inline: Token) -> _Placed | None:
    """An ATX or setext heading: only the heading text is the unit."""
    first, end = token.map or (0, 0)
    if token.markup in ("=", "-"):
        if not _is_prose(inline.content):
            return None
        pieces = _content_pieces(source.lines, first, end - 1, inline.content)
        escape = Escape.SETEXT_PIPE if token.markup == "-" else Escape.NONE
        return source.unit(UnitKind.HEADING, first, pieces, escape=escape)
    body = source.lines[first].body
    content = inline.content
    heading_id = (_ATTRIBUTE_LIST_END if source.attribute_lists else _HEADING_ID).search(content)
    if heading_id:
        content = content[: heading_id.start()]
    if not _is_prose(content):
        return None
    # Container prefixes never hold '#', so the first one opens the heading.
    opening = body.find("#") + len(token.markup)
    start = _normalized(body).find(content, opening)
    if start < 0:
        return None
    end_text = start + len(content)
    pieces = [(body[:start], body[start:end_text], "")]
    return source.unit(UnitKind.HEADING, first, pieces, suffix=body[end_text:])


def _paragraph_units(
    source: _Source, token: Token, inline: Token, kind: UnitKind, *, task: bool = False
) -> Iterator[_Placed]:
    """A paragraph, list item or quote paragraph; an image alone gives its alt text and title.

    An image inside a paragraph keeps its title inside the paragraph's unit (masked from
    engines like the destination), since the two cannot be cut apart.
    """
    first, end = token.map or (0, 0)
    image = _lone_image(inline, attribute_lists=source.attribute_lists)
    if image is not None:
        yield from _image_units(source, first, end, image)
        return
    content = inline.content
    suffix = ""
    # Layout that opens the unit: a task's checkbox, or an icon (Material's grid cards).
    lead = _TASK_MARKER.match(content) if task else None
    attribute_list = None
    if source.attribute_lists:
        attribute_list = _ATTRIBUTE_LIST_END.search(content)
        if attribute_list:
            content = content[: attribute_list.start()]
        lead = lead or _LEADING_ICON.match(content)
    if not lead and all(line in source.elements for line in range(first, end)):
        # <Tag>text</Tag> alone on each line: each a block, whose text alone is a unit.
        for line in range(first, end):
            yield from _element_unit(source, line, kind)
        return
    if not _is_prose(content[lead.end() :] if lead else content):
        return
    pieces = _content_pieces(source.lines, first, end, inline.content)
    if content != inline.content:
        prefix, body, eol = pieces[-1]
        cut = len(body.rstrip(" \t")) - len(inline.content.rstrip(" \t")) + len(content)
        pieces[-1] = (prefix, body[:cut], eol)
        suffix = body[cut:]
        link = _LONE_LINK.fullmatch(body[:cut])
        if link and len(pieces) == 1 and attribute_list and attribute_list.group()[0] == "{":
            pieces[0] = (prefix + "[", link.group(1), eol)
            suffix = body[link.end(1) : cut] + suffix
            content = link.group(1)
    if lead and pieces[0][1].startswith(lead.group()):
        prefix, body, eol = pieces[0]
        pieces[0] = (prefix + lead.group(), body[lead.end() :], eol)
        content = content[lead.end() :]
    yield source.unit(kind, first, pieces, suffix=suffix, escape=_escape(content))


def _element_unit(source: _Source, line: int, kind: UnitKind) -> Iterator[_Placed]:
    """The text of a line that is one element with text inside, if it is prose."""
    start, end = source.elements[line]
    body = source.lines[line].body
    content = body[start:end]
    if _is_prose(content):
        pieces = [("", content, source.lines[line].eol)]
        yield source.unit(
            kind, line, pieces, column=start, suffix=body[end:], escape=_escape(content)
        )


def _escape(content: str) -> Escape:
    """How a paragraph's translation is written: with event handlers kept out of it."""
    return Escape.HANDLERS if "<" in content and _HANDLER_TAG.search(content) else Escape.NONE


def _content_pieces(
    lines: list[SourceLine], first: int, end: int, content: str
) -> list[tuple[str, str, str]]:
    """Each line split into container prefix and text, located by markdown-it's content."""
    content_lines = content.split("\n")
    if len(content_lines) != end - first:
        content_lines = [""] * (end - first)
    pieces = []
    for line, content_line in zip(lines[first:end], content_lines, strict=True):
        column = _text_column(line.body, content_line)
        pieces.append((line.body[:column], line.body[column:], line.eol))
    return pieces


def _text_column(body: str, content_line: str) -> int:
    """Where a line's text begins: markdown-it's content is a suffix of it, bar whitespace."""
    core = content_line.strip()
    head = _normalized(body).rstrip()
    if core and head.endswith(core):
        return len(head) - len(core)
    # Only a tab expanded inside the content can get here; fall back to the markers.
    match = CONTAINER_PREFIX.match(body)
    return match.end() if match else 0


def _normalized(body: str) -> str:
    """A source line as markdown-it sees it (NUL replaced, same length)."""
    return body.replace("\0", "\ufffd")


def _lone_image(inline: Token, *, attribute_lists: bool = False) -> Token | None:
    """The image token when a paragraph is only an image, optionally wrapped in a link (and
    followed by an attribute list, where the dialect has them)."""
    children = [
        child
        for child in inline.children or []
        if child.type != "softbreak" and not (child.type == "text" and not child.content.strip())
    ]
    if (
        attribute_lists
        and children
        and children[-1].type == "text"
        and _ATTRIBUTE_LIST_END.fullmatch(children[-1].content)
    ):
        children.pop()
    types = [child.type for child in children]
    if types == ["image"]:
        return children[0]
    if types == ["link_open", "image", "link_close"]:
        return children[1]
    return None


def _image_units(source: _Source, first: int, end: int, image: Token) -> Iterator[_Placed]:
    """The alt text and title of a lone image, when they have words and sit on one line."""
    alt = image.content
    if "\n" in alt:
        return
    for index in range(first, end):
        body = source.lines[index].body
        start = _normalized(body).find(f"![{alt}]")
        if start < 0:
            continue
        start, end_alt = start + 2, start + 2 + len(alt)
        title = _IMAGE_TITLE.match(body, end_alt)
        title_unit = None
        if title and has_words(title.group(1)) and title.group(1) == title.group(1).strip():
            escape = Escape.YAML_DOUBLE  # a Markdown title escapes '"' and '\\' as YAML does
            pieces = [("", title.group(1), "")]
            title_unit = source.unit(
                UnitKind.ATTRIBUTE,
                index,
                pieces,
                column=title.start(1),
                suffix=body[title.end(1) :],
                escape=escape,
            )
            if title_unit[1].text != str(image.attrGet("title") or ""):
                title_unit = None
        if has_words(alt):
            alt_end = title.start(1) if title and title_unit else len(body)
            pieces = [(body[:start], body[start:end_alt], "")]
            yield source.unit(UnitKind.IMAGE_ALT, index, pieces, suffix=body[end_alt:alt_end])
        if title_unit:
            yield title_unit
        return


# Tables


def _column_count(tokens: list[Token], index: int) -> int:
    """How many cells markdown-it renders in the row opened at ``tokens[index]``."""
    count = 0
    for token in tokens[index + 1 :]:
        if token.type == "tr_close":
            break
        count += token.type in ("th_open", "td_open")
    return count


def _cell_units(
    source: _Source, index: int, columns: int, containers: list[tuple[str, int]]
) -> Iterator[_Placed]:
    """A unit for every cell of a table row that holds prose; pipes and padding are layout."""
    body = source.lines[index].body
    for start, end in _row_cells(body, _row_start(body, index, containers))[:columns]:
        text = body[start:end].strip(" \t")
        if _is_prose(text):
            column = body.index(text, start)
            yield source.unit(
                UnitKind.TABLE_CELL,
                index,
                [("", text, "")],
                column=column,
                escape=Escape.TABLE_CELL,
            )


def _row_start(body: str, index: int, containers: list[tuple[str, int]]) -> int:
    """Where a table row begins after its quote markers, list markers and indentation."""
    position = 0
    for kind, first in containers:
        if kind == "blockquote":
            marker = QUOTE_MARKER.match(body, position)
        elif first != index:
            continue
        elif kind == "dd":
            marker = _DEFINITION_MARKER.match(body, position)
        else:
            marker = _LIST_MARKER.match(body, position)
        if marker:
            position = marker.end()
    return len(body) - len(body[position:].lstrip(" \t"))


def _row_cells(body: str, start: int) -> list[tuple[int, int]]:
    r"""Cell spans of a row, split on unescaped pipes as markdown-it's GFM tables do.

    >>> _row_cells(r"| a | b \| c |", 0)
    [(1, 4), (5, 13)]
    >>> _row_cells("a | b", 0)
    [(0, 2), (3, 5)]
    """
    end = len(body.rstrip(" \t"))
    cells: list[tuple[int, int]] = []
    cell_start = start
    position = body.find("|", start, end)
    while position >= 0:
        if position == start or body[position - 1] != "\\":  # not escaped
            cells.append((cell_start, position))
            cell_start = position + 1
        position = body.find("|", position + 1, end)
    cells.append((cell_start, end))
    if cells[0][0] == cells[0][1]:
        cells.pop(0)
    if cells and cells[-1][0] == cells[-1][1]:
        cells.pop()
    return cells
