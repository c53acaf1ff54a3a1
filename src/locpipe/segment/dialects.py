"""Site-generator syntax in Markdown: what each generator reads before Markdown is parsed.

markdown-it parses CommonMark; a documentation site's generator first reads syntax of its
own: MkDocs Material's admonitions, collapsible blocks, content tabs, pymdownx blocks,
attribute lists and snippets; Docusaurus's MDX component tags, expressions and admonition
fences; Hugo's shortcodes and Jekyll's Liquid tags.  :func:`scan_site_syntax` finds that
syntax line by line, outside fenced code, and says

* which lines are layout as a whole (they are masked to blank before parsing),
* how each line reads to the Markdown parser: the four-space indented body of a MkDocs block
  is prose, not code, so it loses one level of indentation per enclosing block, and
* where the prose inside the syntax stands: admonition titles, tab labels, and the string
  props or parameters a reader sees (``label="..."``, ``caption="..."``), each a
  :class:`Slot` the Markdown segmenter makes a unit of.

Link reference definitions are layout in every dialect, whatever their destination (a Hugo
``{{< ref >}}`` is not a CommonMark destination, so markdown-it would read a paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from ..model import Escape, UnitKind

# Attribute and prop names whose string values a reader sees, by dialect; the project's
# [html] visible_attributes are added to them.
DIALECT_VISIBLE: dict[str, tuple[str, ...]] = {
    "commonmark": (),
    "docusaurus": (
        "title", "alt", "description", "heading", "label", "linkLabel", "attribution", "caption"
    ),
    "mkdocs": (),
    "hugo": ("caption", "title", "alt", "description", "attr", "summary"),
    "jekyll": ("caption", "title", "alt", "description"),
}  # fmt: skip
# Dialects whose generators read attribute lists ({: .class #id key=value }) on blocks:
# Python-Markdown's attr_list, kramdown, and Goldmark's (on headings, by default).
ATTRIBUTE_LIST_DIALECTS = frozenset({"mkdocs", "jekyll", "hugo"})
# Dialects with abbreviations, *[HTML]: Hyper Text Markup Language (abbr, kramdown).
_ABBREVIATION_DIALECTS = frozenset({"mkdocs", "jekyll"})
_TEMPLATE_DIALECTS = frozenset({"hugo", "jekyll", "mkdocs"})  # mkdocs-macros is Jinja

_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
# A blockquote marker, with the one blank after it that belongs to it (CommonMark).
QUOTE_MARKER = re.compile(r"[ \t]*>[ \t]?")
# Titles end at their last non-blank, (?:.*\S)?, never .*? before [ \t]*: a lazy title
# retries the trailing blanks at every step, the square of a long line's length.
# Python-Markdown's admonition and pymdownx.details/tabbed headers: the title runs to the
# last quote on the line.
_MKDOCS_BLOCK = re.compile(
    r"( *)(?:(?:!!!|\?\?\?\+?) *[\w-]+(?: +[\w-]+)*(?: +\"(?P<title>.*)\")?"
    r"|(?P<tab>===\+?!?) +\"(?P<label>.*)\") *"
)
_PYMDOWNX_OPEN = re.compile(
    r"[ \t]*/{3,}[ \t]*(?P<type>[\w-]+)(?:[ \t]*\|[ \t]*(?P<title>(?:.*\S)?))?[ \t]*"
)
_PYMDOWNX_CLOSE = re.compile(r"[ \t]*/{3,}[ \t]*")
_PYMDOWNX_NO_TITLE = frozenset({"html", "define"})  # their argument is a selector
_SNIPPET = re.compile(r"[ \t]*;?-{1,}8<-{1,}[ \t]*(?:\"[^\"]*\"|'[^']*'|[^\s\"']+)?[ \t]*")
_SNIPPET_BLOCK = re.compile(r"[ \t]*-{1,}8<-{1,}[ \t]*")
# An attribute list (attr_list, kramdown IAL): { .class #id key="value" }, {: .class}
# Searched for at a line's end, it starts only where a run of blanks starts: a search from
# every blank of a long run would read the run once per blank.
_ATTRIBUTE = r"[.#]?[\w:-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s}\"']+))?"
ATTRIBUTE_LIST = rf"(?<![ \t])[ \t]*\{{:?[ \t]*{_ATTRIBUTE}(?:[ \t]+{_ATTRIBUTE})*[ \t]*\}}[ \t]*"
_ATTRIBUTE_LIST_LINE = re.compile(ATTRIBUTE_LIST)
_DOCUSAURUS_FENCE = re.compile(
    r"[ \t]*:{3,}(?P<type>[A-Za-z][\w-]*)?[ \t]*(?:\[(?P<bracket>.*)\])?"
    r"(?P<attributes>\{[^{}]*\})?[ \t]*(?P<title>(?:.*\S)?)[ \t]*"
)
# remark-directive's attribute {title="..."}, which Docusaurus takes for the title too.
_DIRECTIVE_TITLE = re.compile(r"(?<![\w-])title=\"([^\"\n]*)\"")
# A footnote definition: its text is prose (CommonMark alone would read a reference
# definition and drop it), its further paragraphs indented four spaces.
_FOOTNOTE_DEFINITION = re.compile(r"( {0,3})\[\^[^\]\s]+\]:[ \t]*")
# kramdown extensions whose content is not prose: {::comment} ... {:/comment}
# An abbreviation: the term is layout, its expansion (the reader's tooltip) a unit.
_ABBREVIATION = re.compile(r"\*\[[^\]]+\]:[ \t]*((?:.*\S)?)[ \t]*")
_KRAMDOWN_EXTENSION = re.compile(r"[ \t]*\{::(comment|nomarkdown)\b[^}]*\}")
# A whole line that is a link reference definition: a destination (template tags may stand
# in it, spaces and all) and an optional title.  "[Let op]: dit is prose." is not one.
_REFERENCE_DEFINITION = re.compile(
    r" {0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*"
    # Alternatives that never start alike, so a line that is no definition fails fast.
    r"(?:<[^<>\n]*>|(?:\{\{[^}]*(?:\}(?!\})[^}]*)*\}\}|\{%[^%]*(?:%(?!\})[^%]*)*%\}"
    r"|\{(?![{%])|[^\s{])+)"
    r"(?:[ \t]+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*"
)
_TEMPLATE_OPEN = re.compile(r"\{\{[<%]|\{%|\{\{")
_TEMPLATE_CLOSE = {"{{<": ">}}", "{{%": "%}}", "{%": "%}", "{{": "}}"}
# A named parameter with a double-quoted value; a quoted string alone is skipped whole, so
# a name="..." inside another value is never taken for a parameter.
_PARAMETER = re.compile(
    r"(?<![\w-])([A-Za-z_][\w-]*)[ \t]*=[ \t]*\"((?:[^\"\\\n]|\\.)*)\""
    r"|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|'[^']*'"
)
# Template tags whose content is code or a comment, to their closing tag.
_RAW_TEMPLATE = re.compile(
    r"[ \t]*(?:\{%-?[ \t]*(?P<liquid>highlight|raw|comment)\b"
    r"|\{\{[<%][ \t]*(?P<hugo>highlight|code)\b)"
)
# Quote and list markers (and the blanks between) opening a line.
CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
_LIST_ITEM = re.compile(r" *(?:[-+*]|\d{1,9}[.)])[ \t]")
_JSX_NAME = re.compile(r"<(/?)([A-Za-z][\w.:-]*)?")
_JSX_ATTRIBUTE = re.compile(r"[A-Za-z_:$][\w:.$-]*")
_JS_STOP = re.compile("[\"'`{}]")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


_PROP_KINDS = {
    "alt": UnitKind.IMAGE_ALT,
    "caption": UnitKind.CAPTION,
    "description": UnitKind.DESCRIPTION,
    "label": UnitKind.LABEL,
    "linkLabel": UnitKind.LABEL,
}
_Value = tuple[int, int, str, UnitKind]  # a prop or parameter value: span, quote, kind


def _value_kind(name: str, tag: str) -> UnitKind:
    """The unit kind of a visible prop or parameter: a tab's label is a tab label."""
    if name == "label" and tag.rsplit(".", 1)[-1] in ("TabItem", "Tab"):
        return UnitKind.TAB_LABEL
    return _PROP_KINDS.get(name, UnitKind.ATTRIBUTE)


# Whose Markdown has definition lists (a term, then ":   " and its definition): Python-
# Markdown's def_list (MkDocs Material enables it), Hugo's Goldmark, kramdown.
DEFINITION_LIST_DIALECTS = ("mkdocs", "hugo", "jekyll")


class Slot(NamedTuple):
    """Prose inside site syntax: ``line`` (0-based), its columns, the quote around it and how
    a translation is written there."""

    kind: UnitKind
    line: int
    start: int
    end: int
    quote: str  # '"' or "'" around a JSX prop, "" otherwise (the quotes stay layout)
    escape: Escape


@dataclass
class SiteSyntax:
    """What the scan found: the lines as the parser must see them, the masked lines, slots."""

    view: list[str]
    mask: set[int] = field(default_factory=set)
    slots: list[Slot] = field(default_factory=list)
    # MDX lines that are one element with text inside, <Tag>text</Tag>: the columns of the
    # text, by line.  MDX reads the element as a block, so its tags are the unit's layout.
    elements: dict[int, tuple[int, int]] = field(default_factory=dict)


class _Scanner:
    """One forward pass over an article's lines for one dialect."""

    def __init__(
        self,
        text: str,
        bodies: list[str],
        starts: list[int],
        dialect: str,
        visible: Collection[str],
    ) -> None:
        self.text = text
        self.bodies = bodies
        self.starts = starts
        self.dialect = dialect
        self.visible = visible
        self.found = SiteSyntax(view=list(bodies))

    def line_of(self, offset: int) -> int:
        """The index of the line holding ``offset``."""
        low, high = 0, len(self.bodies) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low

    def column(self, index: int, view_column: int) -> int:
        """A column of the view of a line as a column of the line itself.

        The view differs from the line only in its leading whitespace, so the tail agrees.
        """
        return view_column + len(self.bodies[index]) - len(self.found.view[index])

    def mask(self, first: int, end: int) -> None:
        self.found.mask.update(range(first, end))

    def slot(self, kind: UnitKind, index: int, start: int, end: int) -> None:
        """Prose at view columns ``start:end`` of a line, if it has words and no padding."""
        view = self.found.view[index]
        value = view[start:end]
        if any(map(str.isalpha, value)) and value == value.strip():
            start, end = self.column(index, start), self.column(index, end)
            self.found.slots.append(Slot(kind, index, start, end, "", Escape.NONE))

    def run(self, first: int, *, mdx: bool) -> SiteSyntax:
        """Scan from line ``first`` (after the front matter) to the end.

        Code fences hold no site syntax, after quote and list markers too: a fence's lines
        are passed over until its closing fence, or until the quote or the list item it
        opened in ends (a line without its quote markers, or indented less than the item's
        text), which ends the code with it.
        """
        view = self.found.view
        # Its character, length, quote depth, and the column of its list item's text.
        fence: tuple[str, int, int, int] | None = None
        index = first
        while index < len(view):
            line = view[index]
            if fence is not None:
                character, length, depth, column = fence
                code = _inside_quotes(line, depth)
                if code is not None and (
                    not code.strip() or _indentation(_expand_indentation(code)) >= column
                ):
                    stripped = code.strip()
                    if stripped.startswith(character * length) and not stripped.strip(character):
                        fence = None
                    index += 1
                    continue
                fence = None
            opened = _fence_opened(line) if "```" in line or "~~~" in line else None
            if opened:
                depth = line.count(">", 0, opened.start(1))
                after_quotes = _inside_quotes(line, depth) or ""
                # Opened after a list marker, the fence is in that item; otherwise in none
                # that ends here (an indented fence under an item is ended by its fence).
                in_item = _LIST_ITEM.match(after_quotes.lstrip(" \t"))
                before = line[len(line) - len(after_quotes) : opened.start(1)]
                column = len(before.expandtabs(4)) if in_item else 0
                fence = (opened.group(1)[0], len(opened.group(1)), depth, column)
                index += 1
                continue
            following = self.line_syntax(index, first, mdx=mdx)
            index = following if following is not None else index + 1
        return self.found

    def line_syntax(self, index: int, first: int, *, mdx: bool) -> int | None:
        """Handle the syntax starting at a line; the next line to look at, or None if none."""
        line = self.found.view[index]
        if self.dialect != "commonmark" and line.lstrip(" ").startswith("[^"):
            footnote = _FOOTNOTE_DEFINITION.match(line)
            if footnote and self._after_break(index, first):
                self.found.view[index] = line[footnote.end() :]
                self._dedent_body(index, len(footnote.group(1)))
                return index + 1
        if _REFERENCE_DEFINITION.fullmatch(line) and self._after_break(index, first):
            self.mask(index, index + 1)
            return index + 1
        if self.dialect in _ABBREVIATION_DIALECTS and line.startswith("*["):
            abbreviation = _ABBREVIATION.fullmatch(line)
            if abbreviation:
                self.mask(index, index + 1)
                self.slot(UnitKind.ATTRIBUTE, index, *abbreviation.span(1))
                return index + 1
        if self.dialect == "mkdocs":
            found = self._mkdocs(index)
            if found is not None:
                return found
        extension = _KRAMDOWN_EXTENSION.match(line) if self.dialect == "jekyll" else None
        if extension:
            closer = "{:/" + extension.group(1) + "}"
            end = index
            while end < len(self.found.view) and closer not in self.found.view[end]:
                end += 1
            self.mask(index, min(end + 1, len(self.found.view)))
            return end + 1
        if self.dialect in ATTRIBUTE_LIST_DIALECTS and _ATTRIBUTE_LIST_LINE.fullmatch(line):
            self.mask(index, index + 1)
            return index + 1
        if self.dialect == "docusaurus" and ":::" in line:
            # remark-directive reads an admonition inside a quote too.
            fence = _DOCUSAURUS_FENCE.fullmatch(line, len(line) - len(line.lstrip(" \t>")))
            if fence:
                self.mask(index, index + 1)
                name = "bracket" if fence.group("bracket") is not None else "title"
                if fence.group("type"):
                    self.slot(UnitKind.ADMONITION_TITLE, index, *fence.span(name))
                    if not fence.group(name) and fence.group("attributes"):
                        self._directive_title(index, fence)
                return index + 1
        if mdx and ("<" in line or "{" in line):
            prefix = CONTAINER_PREFIX.match(line)
            if prefix and line.startswith(("<", "{"), prefix.end()):
                return self._jsx(index, prefix.end())
        if self.dialect in _TEMPLATE_DIALECTS and "{" in line:
            return self._templates(index)
        return None

    def _directive_title(self, index: int, fence: re.Match[str]) -> None:
        """A slot for an admonition's title written as a directive attribute."""
        title = _DIRECTIVE_TITLE.search(fence.group("attributes"))
        if title is None or not any(map(str.isalpha, title.group(1))):
            return
        start = self.column(index, fence.start("attributes") + title.start(1))
        end = start + len(title.group(1))
        kind = UnitKind.ADMONITION_TITLE
        self.found.slots.append(Slot(kind, index, start, end, '"', Escape.HTML_ATTRIBUTE))

    def _after_break(self, index: int, first: int) -> bool:
        """Whether a line starts a block: a reference definition cannot interrupt a paragraph."""
        if index == first:
            return True
        before = index - 1
        return (
            before in self.found.mask
            or not self.found.view[before].strip()
            or bool(_REFERENCE_DEFINITION.fullmatch(self.found.view[before]))
        )

    # MkDocs Material and pymdownx

    def _mkdocs(self, index: int) -> int | None:
        view = self.found.view
        line = view[index]
        block = _MKDOCS_BLOCK.fullmatch(line)
        if block and (len(block.group(1)) < 4 or self._in_list_item(index)):
            self.mask(index, index + 1)
            if block.group("tab"):
                self.slot(UnitKind.TAB_LABEL, index, *block.span("label"))
            elif block.group("title") is not None:
                self.slot(UnitKind.ADMONITION_TITLE, index, *block.span("title"))
            self._dedent_body(index, len(block.group(1)))
            return index + 1
        opened = _PYMDOWNX_OPEN.fullmatch(line)
        if opened and "///" in line:
            self.mask(index, index + 1)
            if opened.group("title") and opened.group("type") not in _PYMDOWNX_NO_TITLE:
                kind = (
                    UnitKind.TAB_LABEL
                    if opened.group("type") == "tab"
                    else UnitKind.ADMONITION_TITLE
                )
                self.slot(kind, index, *opened.span("title"))
            # Options (type: warning, attrs: ...) are indented YAML right under the header.
            end = index + 1
            indent = _indentation(line) + 4
            while end < len(view) and view[end].strip() and _indentation(view[end]) >= indent:
                end += 1
            self.mask(index + 1, end)
            return end
        if _PYMDOWNX_CLOSE.fullmatch(line) and "///" in line:
            self.mask(index, index + 1)
            return index + 1
        if "8<" in line and _SNIPPET.fullmatch(line):
            end = index + 1
            if _SNIPPET_BLOCK.fullmatch(line):  # a block of file names up to the next marker
                while end < len(view) and not _SNIPPET_BLOCK.fullmatch(view[end]):
                    end += 1
                end = min(end + 1, len(view))
            self.mask(index, end)
            return end
        return None

    def _in_list_item(self, index: int) -> bool:
        """Whether an indented line continues a list item, rather than being indented code
        (a page showing the syntax: the header is then an example, not a block)."""
        view = self.found.view
        indent = _indentation(view[index])
        for before in range(index - 1, -1, -1):
            line = view[before]
            if line.strip() and _indentation(line) < indent:
                return bool(_LIST_ITEM.match(line))
        return False

    def _dedent_body(self, index: int, indent: int) -> None:
        """Take one level of indentation off a block's body, so it parses as prose."""
        view = self.found.view
        for following in range(index + 1, len(view)):
            line = view[following]
            if not line.strip():
                continue
            expanded = _expand_indentation(line)
            if _indentation(expanded) < indent + 4:
                break
            view[following] = expanded[4:]

    # MDX: component tags and expressions on lines of their own

    def _jsx(self, index: int, prefix: int) -> int | None:
        """Component tags and expressions filling a line after ``prefix`` view columns of
        indentation, quote and list markers: layout, and the visible props' slots."""
        start = self.starts[index] + self.column(index, prefix)
        markers = self.found.view[index][:prefix].strip()
        text = self.text
        position = start
        slots: list[_Value] = []
        while position < len(text) and text[position] in "<{":
            if text[position] == "{":
                end = _balanced(text, position)
            else:
                end = _jsx_tag(text, position, slots, self.visible)
            if end is None:
                return None
            position = end
            while position < len(text) and text[position] in " \t":
                position += 1
        if position < len(text) and text[position] not in "\r\n":
            # Text follows: an HTML block or inline JSX, which Markdown reads.
            if not markers:
                self._one_line_element(index, start)
            return None
        last = self.line_of(max(start, position - 1))
        if ">" in markers and last != index:
            return None  # the next lines of a quote start with its markers, not the tag's
        self.mask(index, last + 1)
        self._place(slots)
        return last + 1

    def _one_line_element(self, index: int, start: int) -> None:
        """Note a line that is elements with text inside, <A><B>text</B></A>: their tags
        open the line at ``start`` and close it; the props of the opening tags are slots."""
        text = self.text
        names: list[str] = []
        slots: list[_Value] = []
        position = start
        while text.startswith("<", position):
            tag = _JSX_NAME.match(text, position)
            end = _jsx_tag(text, position, slots, self.visible)
            if not tag or tag.group(1) or not tag.group(2) or end is None:
                return
            if text[end - 2] == "/":  # self-closing: text around it is a paragraph
                return
            names.append(tag.group(2))
            position = end
        line_start = self.starts[index]
        body = self.bodies[index]
        inner_end = len(body.rstrip(" \t"))
        for name in names:  # the outermost closes last
            closing = f"</{name}>"
            if not body.endswith(closing, 0, inner_end):
                return
            inner_end = len(body[: inner_end - len(closing)].rstrip(" \t"))
        inner_start = position - line_start
        inner = body[inner_start:inner_end]
        if self.line_of(position) != index or any(
            # Another of the same names inside: which tag closes which is not plain.
            f"<{name}" in inner or f"</{name}" in inner
            for name in names
        ):
            return
        self.found.elements[index] = (inner_start, inner_end)
        self._place(slots)

    def _place(self, slots: list[_Value]) -> None:
        """Slots for value spans given as offsets in the text, each on one line."""
        for start, end, quote, kind in slots:
            line = self.line_of(start)
            if self.line_of(end) != line or "\n" in self.text[start:end]:
                continue
            value = self.text[start:end]
            if any(map(str.isalpha, value)) and value == value.strip() and "\\" not in value:
                column = start - self.starts[line]
                # JSX strings take HTML character references; shortcode and Liquid strings
                # are Go-like: a quote is escaped with a backslash, as in YAML.
                escape = Escape.HTML_ATTRIBUTE if quote else Escape.YAML_DOUBLE
                end_column = column + len(value)
                self.found.slots.append(Slot(kind, line, column, end_column, quote, escape))

    # Hugo shortcodes, Liquid and Jinja tags on lines of their own

    def _templates(self, index: int) -> int | None:
        view = self.found.view
        line = view[index]
        raw = _RAW_TEMPLATE.match(line)
        if raw:
            closer = re.compile(
                rf"\{{%-?[ \t]*end{raw.group('liquid')}\b"
                if raw.group("liquid")
                else rf"\{{\{{[<%][ \t]*/[ \t]*{raw.group('hugo')}\b"
            )
            end = index + 1
            while end < len(view) and not closer.search(view[end]):
                end += 1
            end = min(end + 1, len(view))
            if closer.search(line):  # opened and closed on one line
                end = index + 1
            self.mask(index, end)
            return end
        start = self.starts[index] + self.column(index, len(line) - len(line.lstrip()))
        text = self.text
        position = start
        slots: list[_Value] = []
        while True:
            opener = _TEMPLATE_OPEN.match(text, position)
            if not opener:
                break
            closed = _template_end(text, opener.end(), _TEMPLATE_CLOSE[opener.group()])
            if closed is None:
                return None
            inner = text[opener.end() : closed]
            # {{</* ... */>}} shows a shortcode as text; {{ ... }} has no parameters.
            if opener.group() != "{{" and not inner.startswith("/*"):
                for parameter in _PARAMETER.finditer(inner):
                    if parameter.group(1) in self.visible:
                        value_start = opener.end() + parameter.start(2)
                        value_end = value_start + len(parameter.group(2))
                        kind = _value_kind(parameter.group(1), "")
                        slots.append((value_start, value_end, "", kind))
            position = closed
            while position < len(text) and text[position] in " \t":
                position += 1
        if position == start or (position < len(text) and text[position] not in "\r\n"):
            return None
        last = self.line_of(position - 1)
        self.mask(index, last + 1)
        self._place(slots)
        return last + 1


def scan_site_syntax(
    text: str,
    bodies: list[str],
    starts: list[int],
    *,
    dialect: str,
    mdx: bool,
    visible: Collection[str],
    first: int = 0,
) -> SiteSyntax:
    """Find a dialect's syntax in an article's lines, from line ``first`` on."""
    return _Scanner(text, bodies, starts, dialect, visible).run(first, mdx=mdx)


def tag_line_slots(
    text: str, bodies: list[str], starts: list[int], lines: Iterable[int], visible: Collection[str]
) -> list[Slot]:
    """Slots for the visible attribute values (``alt``, ``title``...) of the tags that fill
    each of ``lines``: lines of HTML tags alone, which the Markdown segmenter keeps as
    layout (a centred logo's ``<img alt>``, a badge, a search field's ``placeholder``)."""
    scanner = _Scanner(text, bodies, starts, "commonmark", visible)
    for index in lines:
        body = bodies[index]
        position = starts[index] + len(body) - len(body.lstrip(" \t"))
        values: list[_Value] = []
        while text.startswith("<", position):
            end = _jsx_tag(text, position, values, visible)
            if end is None:
                break
            position = end
            while position < len(text) and text[position] in " \t":
                position += 1
        scanner._place(values)
    return scanner.found.slots


def _fence_opened(line: str) -> re.Match[str] | None:
    """The fence a line opens after its quote and list markers, if it opens one: after
    backticks, a backtick on the line makes it inline code instead."""
    prefix = CONTAINER_PREFIX.match(line)
    opened = _FENCE.match(line, prefix.end() if prefix else 0)
    if opened and opened.group(1)[0] == "`" and "`" in line[opened.end() :]:
        return None
    return opened


def _inside_quotes(line: str, depth: int) -> str | None:
    """What follows ``depth`` quote markers at the start of ``line``; None if it has fewer."""
    position = 0
    for _ in range(depth):
        marker = QUOTE_MARKER.match(line, position)
        if marker is None:
            return None
        position = marker.end()
    return line[position:]


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _expand_indentation(line: str) -> str:
    """A line with tabs in its leading whitespace expanded to four columns, as MkDocs does."""
    rest = line.lstrip(" \t")
    return line[: len(line) - len(rest)].expandtabs(4) + rest


def _balanced(text: str, start: int) -> int | None:
    """The end of a JavaScript expression in braces starting at ``start``, strings skipped.

    It jumps from brace to quote with a regular expression, and a scan remembers where every
    brace it passed closes: a page of many unclosed expressions, one a line, would otherwise
    be read to its end once per line.
    """
    known = _brace_ends(text)
    if start in known:
        return known[start]
    opened: list[int] = []
    position = start
    while (found := _JS_STOP.search(text, position)) is not None:
        char, at = found.group(), found.start()
        if char in "\"'`":
            close = text.find(char, at + 1)
            if close < 0:
                break  # an unclosed string: no brace opened before it closes
            position = close + 1
            continue
        if char == "{":
            opened.append(at)
        elif opened:
            known[opened.pop()] = at + 1
            if not opened:
                return known[start]
        position = at + 1
    for at in opened:
        known[at] = None
    return known.get(start)


@lru_cache(maxsize=4)  # the article being segmented; a str keeps its hash, so this is cheap
def _brace_ends(text: str) -> dict[int, int | None]:
    """Where the braces already scanned in ``text`` close (None: never)."""
    return {}


def _jsx_tag(text: str, start: int, slots: list[_Value], visible: Collection[str]) -> int | None:
    """The end of a JSX tag at ``start`` (it may span lines); visible string props to slots."""
    name = _JSX_NAME.match(text, start)
    if not name:
        return None
    position = name.end()
    found: list[_Value] = []
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if text.startswith("/>", position):
            position += 2
            break
        if text.startswith(">", position):
            position += 1
            break
        if text.startswith("{", position):  # {...spread}
            end = _balanced(text, position)
            if end is None:
                return None
            position = end
            continue
        attribute = _JSX_ATTRIBUTE.match(text, position)
        if not attribute:
            return None
        position = attribute.end()
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if not text.startswith("=", position):
            continue  # a boolean prop
        position += 1
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        quote = text[position : position + 1]
        if quote in ('"', "'"):
            close = text.find(quote, position + 1)
            if close < 0:
                return None
            if attribute.group() in visible:
                kind = _value_kind(attribute.group(), name.group(2) or "")
                found.append((position + 1, close, quote, kind))
            position = close + 1
        elif quote == "{":
            end = _balanced(text, position)
            if end is None:
                return None
            position = end
        else:
            return None
    else:
        return None
    slots.extend(found)
    return position


def _template_end(text: str, position: int, closer: str) -> int | None:
    """The end of a template tag whose content starts at ``position``, quoted text skipped.

    A ``>`` or ``%`` inside a quoted parameter does not close a shortcode.  Like
    :func:`_balanced`, it jumps from quote to closer rather than reading each character.
    """
    stop = _template_stop(closer)
    while (found := stop.search(text, position)) is not None:
        if found.group() == closer:
            return found.end()
        if found.group() == '"':
            quoted = _QUOTED.match(text, found.start())
            if not quoted:
                return None
            position = quoted.end()
        else:  # a backtick string
            close = text.find("`", found.start() + 1)
            if close < 0:
                return None
            position = close + 1
    return None


@cache
def _template_stop(closer: str) -> re.Pattern[str]:
    return re.compile(f'{re.escape(closer)}|["`]')
