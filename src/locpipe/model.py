"""The data model every stage shares: articles, their translation units, and entry states.

An :class:`Article` is its source text cut into an alternating sequence of *layout* (strings
kept byte for byte) and :class:`Unit` objects (translatable text).  Concatenating the layout
with each unit's original lines gives back the source exactly; that invariant is what makes
the identity round trip byte-exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import NamedTuple


class UnitKind(StrEnum):
    """What a translation unit is in its article."""

    TITLE = "title"
    TOC = "table of contents"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE_CELL = "table cell"
    BLOCKQUOTE = "blockquote"
    IMAGE_ALT = "image alt text"
    CAPTION = "caption"  # HTML figure and table captions
    LABEL = "label"  # HTML button and form label text
    DESCRIPTION = "description"  # an HTML page's meta, Open Graph and Twitter description
    ATTRIBUTE = "attribute"  # an HTML title, aria-label or placeholder attribute
    ADMONITION_TITLE = "admonition title"  # a callout's title: !!! note "...", :::tip[...]
    TAB_LABEL = "tab label"  # a content tab's label: === "...", <TabItem label="...">
    FRONT_MATTER = "front matter"  # a front matter value other than the title and description
    TERM = "definition term"  # a definition list's term (MkDocs, Hugo, kramdown)

    @property
    def is_heading(self) -> bool:
        """Titles, headings and table-of-contents lines: text that labels a section."""
        return self in _HEADING_KINDS


_HEADING_KINDS = frozenset({UnitKind.TITLE, UnitKind.TOC, UnitKind.HEADING})
# Kinds whose source is one line inside syntax that a line break would end.
_SINGLE_LINE_KINDS = frozenset({
    UnitKind.IMAGE_ALT, UnitKind.ADMONITION_TITLE, UnitKind.TAB_LABEL, UnitKind.ATTRIBUTE,
    UnitKind.TERM,
})  # fmt: skip


class Escape(StrEnum):
    """How a translation must be encoded to sit where its unit stood."""

    NONE = "none"
    TABLE_CELL = "table cell"  # a '|' would end the cell
    SETEXT_PIPE = "setext pipe"  # over a '---' underline, a '|' would start a table
    YAML_DOUBLE = "yaml double"  # inside "...", \" and \\ escaped: shortcode parameters, titles
    YAML_SCALAR = "yaml scalar"  # a whole front matter value: quotes or block indicator too
    YAML_FLOW_SCALAR = "yaml flow scalar"  # the same inside [...] or {...}, where , ? : end it
    TOML_STRING = "toml string"  # a whole TOML string, quotes included
    JSON_STRING = "json string"  # a whole JSON string, quotes included
    HTML = "html"  # HTML element content: inline tags and character references
    HTML_ATTRIBUTE = "html attribute"  # an HTML attribute value
    # Markdown whose inline HTML tags carry event handlers (onclick=...), which stay out of
    # the msgid and come back from the source
    HANDLERS = "event handlers"


class EntryState(StrEnum):
    """The state of a PO entry, as PO editors show it."""

    UNTRANSLATED = "untranslated"
    TRANSLATED = "translated"  # by a person, or reviewed by one
    MACHINE = "machine"  # machine output that passed verification, not yet reviewed
    FUZZY = "fuzzy"  # needs review: a changed source, a memory match, failed verification
    OBSOLETE = "obsolete"


# A named tuple, not a frozen dataclass: segmenting makes one for every line of every unit,
# and a named tuple is made in 0.24 us where the dataclass took 0.6 us (its class, at
# start-up, in 0.7 million instructions rather than 4).
class Line(NamedTuple):
    """One physical source line of a unit: layout before, the unit's text, layout after.

    An HTML unit has a single line holding its whole source, line breaks included, since in
    HTML a line break is only whitespace.

    ``prefix`` holds indentation and container markers (``> ``, ``- ``, ``## ``); ``suffix``
    holds trailing spaces, a hard-break marker or an ATX closing sequence; ``eol`` is the line
    ending after the line, empty on a unit's last line because that one belongs to the layout.
    """

    prefix: str
    text: str
    suffix: str = ""
    eol: str = ""
    hard_break: bool = False

    @property
    def source(self) -> str:
        """The line exactly as it stood in the source."""
        return f"{self.prefix}{self.text}{self.suffix}{self.eol}"


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of translatable text in an article, with enough layout to put a translation back.

    ``text`` is the msgid: the lines' texts joined by a space at soft breaks and by a newline
    at hard breaks, so translators and engines see whole sentences.
    """

    kind: UnitKind
    lines: tuple[Line, ...]
    line: int  # 1-based source line of the first physical line
    section: str | None = None  # text of the heading the unit belongs to
    context: str | None = None  # msgctxt, set only where equal texts must be kept apart
    escape: Escape = Escape.NONE
    newline: str = "\n"  # line ending for lines a translation adds
    markdown: bool = False  # a newline in a translation is a Markdown hard break
    notes: tuple[str, ...] = ()  # extracted comments for the translator
    text: str = field(init=False)

    def __post_init__(self) -> None:
        lines = self.lines
        if len(lines) == 1:  # most units: a heading, a paragraph on one line
            raw = lines[0].text
        else:
            parts: list[str] = []
            for index, line in enumerate(lines):
                if index:
                    parts.append("\n" if lines[index - 1].hard_break else " ")
                parts.append(line.text)
            raw = "".join(parts)
        object.__setattr__(self, "text", decode_scalar(raw, self.escape))

    @classmethod
    def of_line(
        cls,
        kind: UnitKind,
        line: Line,
        number: int,
        *,
        section: str | None = None,
        escape: Escape = Escape.NONE,
        newline: str = "\n",
        markdown: bool = False,
    ) -> Unit:
        """A unit of one line: the same as ``Unit(kind, (line,), number, ...)`` at half the
        cost.

        A frozen dataclass's ``__init__`` sets each of its ten fields through
        ``object.__setattr__``; here each field's slot is set directly.  Most units of every
        format are one line, and building them took 2% of a stage's time.
        """
        text = line.text
        if escape is not Escape.NONE:
            text = decode_scalar(text, escape)
        return _unit(kind, (line,), number, section, None, escape, newline, markdown, (), text)

    def placed(self, section: str | None, context: str | None) -> Unit:
        """This unit with another section and msgctxt.

        The same as ``dataclasses.replace(self, section=..., context=...)`` at a fraction of
        the cost: ``text`` depends on neither, so it is copied, not rebuilt.  Segmentation
        places every unit of every article this way.
        """
        return _unit(
            self.kind, self.lines, self.line, section, context,
            self.escape, self.newline, self.markdown, self.notes, self.text,
        )  # fmt: skip

    @property
    def key(self) -> tuple[str | None, str]:
        """The identity of the unit's PO entry: (msgctxt, msgid)."""
        return (self.context, self.text)

    @property
    def source(self) -> str:
        """The unit's lines exactly as they stood in the source."""
        return "".join(line.source for line in self.lines)

    @property
    def single_line(self) -> bool:
        """Units whose translation must stay on one line (headings, cells, one-line values)."""
        if self.escape in FRONT_MATTER_ESCAPES:
            return "\n" not in self.lines[0].text and "\r" not in self.lines[0].text
        return (
            self.kind.is_heading
            or self.escape is not Escape.NONE
            or self.kind in _SINGLE_LINE_KINDS
        )


# Each of Unit's fields' slot, in field order, set past the frozen __setattr__.
_UNIT_SLOTS = tuple(getattr(Unit, field.name).__set__ for field in fields(Unit))


def _unit(
    kind: UnitKind,
    lines: tuple[Line, ...],
    line: int,
    section: str | None,
    context: str | None,
    escape: Escape,
    newline: str,
    markdown: bool,
    notes: tuple[str, ...],
    text: str,
) -> Unit:
    """A Unit of its ten field values, ``text`` included, its slots set directly (unrolled:
    a loop over them cost as much as ``__init__``): what ``Unit.of_line`` and
    ``Unit.placed`` make."""
    unit = object.__new__(Unit)
    (
        set_kind, set_lines, set_line, set_section, set_context,
        set_escape, set_newline, set_markdown, set_notes, set_text,
    ) = _UNIT_SLOTS  # fmt: skip
    set_kind(unit, kind)
    set_lines(unit, lines)
    set_line(unit, line)
    set_section(unit, section)
    set_context(unit, context)
    set_escape(unit, escape)
    set_newline(unit, newline)
    set_markdown(unit, markdown)
    set_notes(unit, notes)
    set_text(unit, text)
    return unit


@dataclass(frozen=True, slots=True)
class Article:
    """A source article cut into layout strings and units, in source order."""

    path: str  # POSIX path relative to the project root, used in PO references
    name: str  # catalog name: the path under the articles folder without its extension
    parts: tuple[str | Unit, ...]
    bom: bool = False

    @property
    def units(self) -> tuple[Unit, ...]:
        """The translation units in source order."""
        return tuple(part for part in self.parts if isinstance(part, Unit))

    @property
    def source(self) -> str:
        """The article's text exactly as read (after the BOM)."""
        return "".join(part if isinstance(part, str) else part.source for part in self.parts)


def decode_scalar(raw: str, escape: Escape) -> str:
    """The text a translator sees for a raw scalar as it stands in the source.

    >>> decode_scalar(r'"Zeg \\"ja\\""', Escape.YAML_SCALAR)
    'Zeg "ja"'
    >>> decode_scalar(r'Zeg \\"ja\\"', Escape.YAML_DOUBLE)
    'Zeg "ja"'
    >>> decode_scalar(r"a \\| b", Escape.TABLE_CELL)
    'a | b'
    """
    if escape is Escape.NONE:  # most text: nothing to decode
        return raw
    if escape in FRONT_MATTER_ESCAPES:
        from .segment.frontmatter import decode_value

        return decode_value(raw, escape)
    if escape is Escape.YAML_DOUBLE:
        return raw.replace('\\"', '"').replace("\\\\", "\\")
    if escape is Escape.TABLE_CELL:
        return raw.replace("\\|", "|")
    if escape is Escape.SETEXT_PIPE:
        return raw.replace(_PIPE_ENTITY, "|")
    if escape in HTML_ESCAPES:
        from . import htmltext  # here: an article without HTML never loads it

        if escape is Escape.HTML:
            return htmltext.decode_inline(raw)
        if escape is Escape.HTML_ATTRIBUTE:
            return htmltext.decode_attribute(raw)
        return htmltext.strip_handlers(raw)
    return raw


_PIPE_ENTITY = "&#124;"
# The values of front matter: decoded and written back by locpipe.segment.frontmatter.
FRONT_MATTER_ESCAPES = frozenset(
    {Escape.YAML_SCALAR, Escape.YAML_FLOW_SCALAR, Escape.TOML_STRING, Escape.JSON_STRING}
)
# Text of HTML, decoded and written back by locpipe.htmltext.
HTML_ESCAPES = frozenset({Escape.HTML, Escape.HTML_ATTRIBUTE, Escape.HANDLERS})


def encode_scalar(text: str, escape: Escape) -> str:
    """The inverse of :func:`decode_scalar`: how a translation must be written in place.

    HTML needs the unit's source as well (its spellings and tags): see :mod:`locpipe.htmltext`;
    so do front matter values (their quoting): see :mod:`locpipe.segment.frontmatter`.

    >>> encode_scalar('Zeg "ja"', Escape.YAML_DOUBLE)
    'Zeg \\\\"ja\\\\"'
    >>> encode_scalar("a | b", Escape.TABLE_CELL)
    'a \\\\| b'
    """
    if escape is Escape.YAML_DOUBLE:
        return text.replace("\\", "\\\\").replace('"', '\\"')
    if escape is Escape.TABLE_CELL:
        return text.replace("\\|", "|").replace("|", "\\|")
    if escape is Escape.SETEXT_PIPE:
        # Even an escaped pipe makes markdown-it read a table; the entity shows as '|' too.
        return text.replace("|", _PIPE_ENTITY)
    return text


class TermRule(StrEnum):
    """What machine translation must do with a glossary term."""

    KEEP = "keep"  # never translate: copy the term exactly
    TRANSLATE = "translate"  # use the agreed translation for the target language


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """One source term of the glossary, with its rule and agreed translations."""

    term: str
    rule: TermRule
    translations: tuple[tuple[str, str], ...] = ()  # (language, agreed translation)
    note: str = ""
    case_sensitive: bool = True
    origin: str = ""  # file the term was read from, for messages
    line: int = 0
    forms: tuple[str, ...] = ()  # other source forms that count as the term (irregular ones)
    forbidden: tuple[str, ...] = ()  # variants no translation may use (Kiev, Kiew)

    def target(self, language: str) -> str | None:
        """The form the term must take in a translation, or None if none was agreed."""
        if self.rule is TermRule.KEEP:
            return self.term
        return dict(self.translations).get(language) or None
