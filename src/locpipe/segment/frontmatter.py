"""Front matter: the YAML, TOML or JSON block that opens a Markdown article.

Site generators read it before the Markdown: YAML between ``---`` lines (every generator),
TOML between ``+++`` lines and a JSON object opening the file (Hugo).  The values of the keys
a project names (a default list per dialect, extended in ``locpipe.toml``) are units; every
other byte, keys, quotes and comments included, is layout.  A key is a dotted path through
mappings (``seo.description``); lists on the way are looked through, so ``faq.question``
names the question of every item of a ``faq`` list, and a named key whose value is a list of
strings offers each string.

Each value is found with the format's real parser where it tells positions (PyYAML's
composer) and by a scan checked against the real parser where it does not (tomllib, json),
so a value is offered only when what the translator sees is what the generator reads.  A
unit's one line holds the value's whole source, quotes or block indicator included, so a
translation can be written back in whatever form keeps the file valid: the source's own
style where the translation fits it, a double-quoted string where it does not.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from ..model import Escape, Line, Unit, UnitKind
from .base import SourceLine, has_words

if TYPE_CHECKING:
    import yaml

DIALECT_KEYS: dict[str, tuple[str, ...]] = {
    "commonmark": ("title", "description"),
    "docusaurus": ("title", "description", "sidebar_label", "pagination_label"),
    "mkdocs": ("title", "description"),
    "hugo": ("title", "description", "summary", "linkTitle"),
    "jekyll": ("title", "description", "excerpt"),
}
DEFAULT_KEYS = DIALECT_KEYS["commonmark"]
# The formats each generator reads: only Hugo has TOML and JSON front matter; an article of
# no known generator may hold any.
_ALL_FORMATS = frozenset({"yaml", "toml", "json"})
_DIALECT_FORMATS = {"docusaurus": {"yaml"}, "mkdocs": {"yaml"}, "jekyll": {"yaml"}}
# Hugo lowercases every front matter key before it reads one (``linktitle`` is ``linkTitle``,
# ``Title`` is ``title``); Docusaurus, MkDocs and Jekyll read keys as written.
_CASE_BLIND = frozenset({"hugo"})
_YAML_ESCAPES = frozenset({Escape.YAML_SCALAR, Escape.YAML_FLOW_SCALAR})

_YAML_OPEN = re.compile(r"---[ \t]*")
_YAML_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_TOML_FENCE = re.compile(r"\+\+\+[ \t]*")
# A YAML node's anchor and tag, in either order, each followed by blanks or a line break.
_YAML_PROPERTIES = re.compile(r"(?:[&!][^\s,\[\]{}]*(?:[ \t]|\r?\n|\r)+)+")
_KEY_PATH = re.compile(r"[^\s.\[\]]+(?:\.[^\s.\[\]]+)*")

# TOML: a table header, a key, and the four string forms.
_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_TOML_PATH = rf"{_TOML_KEY}(?:[ \t]*\.[ \t]*{_TOML_KEY})*"
_TOML_TABLE = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_TOML_PATH})[ \t]*\]\]?[ \t]*(?:#.*)?")
_TOML_ASSIGN = re.compile(rf"[ \t]*({_TOML_PATH})[ \t]*=[ \t]*")
_TOML_KEY_PART = re.compile(_TOML_KEY)
_TOML_STRING = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{1,2})?'
    r"|'''(?:[^']|'(?!''))*'''(?:'{1,2})?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
)
# Inside a TOML array or inline table: what separates values (blanks, line breaks, comments
# and commas: tomllib has already checked where they may stand); a key and its equals sign;
# anything else that is not a string (numbers, dates, booleans).
# No front matter a person wrote has a line of more dots; one of a million would keep
# tomllib busy for a quarter of an hour (it joins a key's parts one tuple at a time).
_TOML_MOST_DOTS = 10_000
_TOML_BETWEEN = re.compile(r"(?:[ \t\r\n,]|#[^\r\n]*)*")
_TOML_INLINE_KEY = re.compile(rf"({_TOML_PATH})[ \t]*=[ \t]*")
_TOML_ATOM = re.compile(r"[^\s,\]}#]+")
_JSON_ATOM = re.compile(r"-?\d[\d.eE+-]*|true|false|null")

# What is not one of YAML's printable characters (PyYAML's reader: \x20-\x7e, \xa0-\ud7ff,
# \ue000-\ufffd and beyond \uffff), or is one a double-quoted scalar would read as a line
# break (\u2028, \u2029) or a byte order mark.  Written as what it refuses: the class of
# what it accepts took 4 ms to compile, in every run that imported this module.
_YAML_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_TOML_CONTROL = re.compile(r'[\x00-\x1f\x7f"\\]')
_STR_TAG = "tag:yaml.org,2002:str"


@cache
def _loader() -> type[yaml.SafeLoader]:
    """libyaml's loader, where PyYAML was built with it: ten times faster, and it reports the
    same character positions.  PyYAML is imported only for an article with YAML front
    matter, since importing it costs a run of articles without any 20 ms."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """An article's front matter: its format, how many lines it takes, and its units."""

    format: str  # "yaml", "toml" or "json"
    lines: int  # fences included
    units: tuple[tuple[int, Unit], ...]  # each unit with the offset where its source begins


def default_keys(dialect: str) -> tuple[str, ...]:
    """The front matter keys whose values a dialect's generator shows readers.

    >>> default_keys("hugo")
    ('title', 'description', 'summary', 'linkTitle')
    """
    return DIALECT_KEYS.get(dialect, DEFAULT_KEYS)


def front_matter_keys(dialect: str, extra: Sequence[str]) -> tuple[str, ...]:
    """The dialect's keys and the project's own, each once.

    >>> front_matter_keys("mkdocs", ["toelichting", "title"])
    ('title', 'description', 'toelichting')
    """
    return tuple(dict.fromkeys((*default_keys(dialect), *extra)))


def case_blind(dialect: str) -> bool:
    """Whether a dialect's generator reads front matter keys whatever their case.

    >>> case_blind("hugo"), case_blind("docusaurus")
    (True, False)
    """
    return dialect in _CASE_BLIND


@dataclass(frozen=True, slots=True)
class _Keys:
    """The key paths whose values are units, as the generator matches them."""

    names: frozenset[str]
    fold_case: bool

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and (path.lower() if self.fold_case else path) in self.names


def front_matter_formats(dialect: str, *, mdx: bool = False) -> frozenset[str]:
    """The front matter formats a dialect's generator reads; JSON never in MDX, where a
    brace opens an expression.

    >>> sorted(front_matter_formats("hugo")), sorted(front_matter_formats("jekyll"))
    (['json', 'toml', 'yaml'], ['yaml'])
    """
    formats = frozenset(_DIALECT_FORMATS.get(dialect, _ALL_FORMATS))
    return formats - {"json"} if mdx else formats


def is_key_path(text: str) -> bool:
    """Whether text names a front matter key: names joined by dots, without spaces.

    >>> is_key_path("seo.description"), is_key_path("faq question"), is_key_path("a..b")
    (True, False, False)
    """
    return bool(_KEY_PATH.fullmatch(text))


def read_front_matter(
    text: str,
    lines: Sequence[SourceLine],
    starts: Sequence[int],
    *,
    keys: Sequence[str],
    newline: str,
    formats: frozenset[str] = _ALL_FORMATS,
    fold_case: bool = False,
) -> FrontMatter | None:
    """The front matter opening ``text``, or None when it has none.

    ``starts`` holds each line's offset in ``text``.  Front matter that its own parser
    rejects is still layout (a generator would refuse it anyway), but offers no unit.
    ``fold_case``: keys match whatever their case, as Hugo reads them.
    """
    if not lines:
        return None
    first = lines[0].body
    yaml_open = "yaml" in formats and _YAML_OPEN.fullmatch(first)
    if yaml_open or ("toml" in formats and _TOML_FENCE.fullmatch(first)):
        toml = not yaml_open
        closing = _TOML_FENCE if toml else _YAML_CLOSE
        end = next((i for i in range(1, len(lines)) if closing.fullmatch(lines[i].body)), 0)
        if not end:
            return None
        body_start, body_end = starts[1], starts[end]
        values = _toml_values if toml else _yaml_values
        fmt, count = ("toml" if toml else "yaml"), end + 1
    elif "json" in formats and first.startswith("{"):
        try:
            document, body_end = json.JSONDecoder().raw_decode(text)
        except (ValueError, RecursionError):
            return None
        count = bisect_right(starts, body_end - 1)  # the line of the closing brace, 1-based
        if not isinstance(document, dict) or text[body_end : _line_end(text, body_end)].strip():
            return None
        body_start, values, fmt = 0, _json_values, "json"
    else:
        return None
    body = text[body_start:body_end]
    # Most front matter names none of the keys: it need not be parsed at all.

    def fold(text: str) -> str:
        return text.lower() if fold_case else text

    seen = fold(body)
    wanted = _Keys(
        frozenset(fold(key) for key in keys if fold(key.split(".", 1)[0]) in seen), fold_case
    )
    found: list[tuple[int, Unit]] = []
    for start, end, path, escape in values(body, wanted) if wanted.names else ():
        offset = body_start + start
        raw = text[offset : body_start + end]
        unit = Unit(
            kind=_kind(fold(path)),
            lines=(Line("", raw),),
            line=bisect_right(starts, offset),
            escape=escape,
            newline=newline,
            notes=(f"front matter: {path}",),
        )
        found.append((offset, unit))
    return FrontMatter(fmt, count, tuple(found))


def _kind(path: str) -> UnitKind:
    """The page's title and description keep the kinds HTML's head gives them."""
    return {"title": UnitKind.TITLE, "description": UnitKind.DESCRIPTION}.get(
        path, UnitKind.FRONT_MATTER
    )


_Found = tuple[int, int, str, Escape]  # start and end of a value's source, its key, its escape


def _offered(value: str, decoded: str) -> bool:
    """Whether a value found by position is one to offer: the parser's own reading, with
    words, and no line break to open it (a msgid may not differ from its msgstr there)."""
    text = _msgid(value)
    return text == _msgid(decoded) and has_words(text) and not text.startswith("\n")


# YAML


def _yaml_values(body: str, keys: _Keys) -> Iterator[_Found]:
    """The string scalars under the keys, located by PyYAML's composer."""
    import yaml

    try:
        root = yaml.compose(body, Loader=_loader())
    except (yaml.YAMLError, RecursionError):
        return
    if not isinstance(root, yaml.MappingNode):
        return
    # An alias shares its anchor's node: each node is visited once, in document order, so
    # at its anchor, where its source is, under the anchor's own key.
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str, bool]] = [(root, "", False)]  # node, key, in a flow
    found: list[_Found] = []
    while stack:
        node, path, flow = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            inside = flow or bool(node.flow_style)
            for key, value in reversed(node.value):
                if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
                    stack.append((value, f"{path}.{key.value}" if path else key.value, inside))
        elif isinstance(node, yaml.SequenceNode):
            inside = flow or bool(node.flow_style)
            stack.extend((item, path, inside) for item in reversed(node.value))
        elif isinstance(node, yaml.ScalarNode) and path in keys and node.tag == _STR_TAG:
            start, end = node.start_mark.index, node.end_mark.index
            # An anchor or a tag before the value stays in the layout: an alias elsewhere
            # then reads the translation, as it read the source.
            properties = _YAML_PROPERTIES.match(body, start, end)
            start = properties.end() if properties else start
            raw = body[start:end]
            if node.style in ("|", ">"):
                end = start + len(raw.rstrip(" \t\r\n"))
                end = _line_end(body, end)
                raw = body[start:end]
            if not raw or raw[:1] in "&!*#":
                continue  # properties this scan could not tell from the value
            try:
                decoded = decode_yaml(raw)
            except yaml.YAMLError:
                continue
            if _offered(node.value, decoded):
                escape = Escape.YAML_FLOW_SCALAR if flow else Escape.YAML_SCALAR
                found.append((start, end, path, escape))
    yield from sorted(found)


def _line_end(text: str, position: int) -> int:
    """The end of the line holding ``text[position - 1]``, before its line break."""
    breaks = [i for i in (text.find("\n", position), text.find("\r", position)) if i >= 0]
    return min(breaks, default=len(text))


def decode_yaml(raw: str) -> str:
    """What a YAML scalar, written as in the source, reads as.

    >>> decode_yaml('"Zeg \\\\"ja\\\\""'), decode_yaml("|\\n  regel een\\n  regel twee")
    ('Zeg "ja"', 'regel een\\nregel twee')
    """
    import yaml

    node = yaml.compose(f"k: {raw}", Loader=_loader())
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        raise yaml.YAMLError("not one scalar")
    value = node.value[0][1]
    if not isinstance(value, yaml.ScalarNode):
        raise yaml.YAMLError("not a scalar")
    return str(value.value)


def encode_yaml(translation: str, raw: str, newline: str, *, flow: bool = False) -> str:
    """A YAML scalar reading as ``translation``, in the source's style where it fits;
    ``flow``: inside a flow collection."""
    style = raw[0]
    # A block scalar's final line break follows the unit, in the layout.
    value = translation + _tail(decode_yaml(raw + newline if style in "|>" else raw))
    if style in "|>":
        block = _yaml_block(translation, raw, newline)
        if block is not None:
            return block
    elif style == "'" and not _YAML_UNPRINTABLE.search(value):
        return "'" + value.replace("'", "''") + "'"
    elif style != '"' and _plain_fits(value, flow=flow):
        return value
    return _yaml_double(value)


def _yaml_double(value: str) -> str:
    r"""A double-quoted YAML scalar, on one line, escaped as JSON would be and then some.

    >>> _yaml_double('a "b"\n\u2028')
    '"a \\"b\\"\\n\\u2028"'
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}.get(char)
        if named:
            return named
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return '"' + re.sub(r'[\\"]|' + _YAML_UNPRINTABLE.pattern, escape, value) + '"'


def _plain_fits(value: str, *, flow: bool) -> bool:
    """Whether a plain scalar would read back as exactly this string where it stands.

    Both PyYAML's own parser and libyaml must agree: generators read front matter with
    either (and Go's and Ruby's), and in a flow collection they differ on ``?`` and ``:``.
    """
    if (
        not value
        or value != value.strip()
        or _YAML_UNPRINTABLE.search(value)
        or any(char in value for char in ",[]{}#")
        or ": " in value
        or value.endswith(":")
        or value[0] in "!&*-?|>@`\"'%"
    ):
        return False
    import yaml

    documents = [f"k: {value}", *([f"k: [{value}]", f"k: {{x: {value}}}"] if flow else [])]
    loaders = dict.fromkeys([_loader(), yaml.SafeLoader])
    return all(_reads_as(document, loader) == value for document in documents for loader in loaders)


def _reads_as(document: str, loader: type[yaml.SafeLoader]) -> str | None:
    """The one string a one-value document holds, or None.

    Composed, never constructed: a value that resolves as a date or a number must not be
    built as one (2024-13-45 would raise), only seen not to be a string.
    """
    import yaml

    try:
        node = yaml.compose(document, Loader=loader)
    except yaml.YAMLError:
        return None
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and len(node.value) == 1:
        node = node.value[0][1] if isinstance(node, yaml.MappingNode) else node.value[0]
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG:
        return str(node.value)
    return None


def _yaml_block(translation: str, raw: str, newline: str) -> str | None:
    """The translation as a block scalar with the source's header and indentation, or None
    when it cannot read back the same that way (leading blanks, trailing line breaks)."""
    first_break = re.search(r"\r\n|\r|\n", raw)
    if first_break is None:
        return None
    header, content = raw[: first_break.start()], raw[first_break.end() :]
    indent = re.match(r"[ \t]*", next((ln for ln in content.splitlines() if ln.strip()), ""))
    width = indent.group() if indent else ""
    if (
        not width
        or any(char.isdigit() for char in header)  # an explicit indentation indicator
        or _YAML_UNPRINTABLE.search(translation.replace("\n", ""))
        or translation != translation.strip()
        or any(line != line.lstrip(" \t") for line in translation.split("\n"))
    ):
        return None
    if header.startswith("|"):
        rows = translation.split("\n")
    else:
        # Folded: a single line break reads as a space, so each break the translation
        # holds is one more empty line; long lines fold back at the source's width.
        source_width = max(len(line) for line in content.splitlines())
        rows = []
        for index, piece in enumerate(translation.split("\n")):
            if index and piece:
                rows.append("")
            if not piece:
                rows.append("")
                continue
            if "  " in piece:
                rows.append(piece)
            else:
                rows.extend(
                    textwrap.wrap(
                        piece,
                        max(source_width - len(width), 20),
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                )
    body = newline.join(f"{width}{row}" if row else "" for row in rows)
    block = f"{header}{newline}{body}"
    try:
        if decode_yaml(block).rstrip("\n") != translation:
            return None
    except yaml.YAMLError:
        return None
    return block


def _tail(value: str) -> str:
    """The line breaks ending a value: layout to the translator, kept in the file."""
    return value[len(value.rstrip("\n")) :]


def _msgid(value: str) -> str:
    """The text a translator sees for a front matter value: without its final line breaks."""
    return value.rstrip("\n")


# TOML


def _toml_values(body: str, keys: _Keys) -> Iterator[_Found]:
    """The strings assigned to the keys, found by a scan of the lines and checked against
    what tomllib reads at the same key."""
    if max(map(_dots, body.splitlines()), default=0) > _TOML_MOST_DOTS:
        return  # tomllib's time grows with the square of a dotted key's parts
    try:
        document = _TomlStrings(tomllib.loads(body))
    except (tomllib.TOMLDecodeError, RecursionError):
        return
    table = ""
    position = 0
    while position < len(body):
        end = _line_end(body, position)
        line = body[position:end]
        header = _TOML_TABLE.fullmatch(line)
        assign = None if header else _TOML_ASSIGN.match(line)
        if header:
            table = _toml_path(header.group(2))
        elif assign:
            key = _toml_path(assign.group(1))
            path = f"{table}.{key}" if table else key
            found: list[_Found] = []
            value_end = _toml_value(body, position + assign.end(), path, keys, document, found)
            yield from found
            # A multi-line string or array goes on past this line: its lines are not keys.
            end = max(end, _line_end(body, value_end))
        position = end + (2 if body.startswith("\r\n", end) else 1)


def _toml_value(
    body: str,
    position: int,
    path: str,
    keys: _Keys,
    document: _TomlStrings,
    found: list[_Found],
) -> int:
    """Find the named strings in the TOML value at ``position``, looking into arrays and
    inline tables as YAML's lists and flow mappings are; return where the value ends."""
    char = body[position : position + 1]
    if char in ('"', "'"):
        string = _TOML_STRING.match(body, position)
        if string is None:
            return position
        if path in keys and document.offered(path, string.group()):
            found.append((string.start(), string.end(), path, Escape.TOML_STRING))
        return string.end()
    if char not in ("[", "{"):
        atom = _TOML_ATOM.match(body, position)
        return atom.end() if atom else position
    closing = "]" if char == "[" else "}"
    position += 1
    while True:
        between = _TOML_BETWEEN.match(body, position)
        position = between.end() if between else position
        if position >= len(body) or body[position] == closing:
            return position + 1
        child = path
        if char == "{":
            key = _TOML_INLINE_KEY.match(body, position)
            if key is None:
                return position
            child = f"{path}.{_toml_path(key.group(1))}"
            position = key.end()
        after = _toml_value(body, position, child, keys, document, found)
        if after == position:
            return position  # not TOML this scan knows: what it found so far stands
        position = after


def _dots(line: str) -> int:
    return line.count(".")


def _toml_path(text: str) -> str:
    """A TOML key path with its quoted parts unquoted, joined by dots."""
    parts = []
    for part in _TOML_KEY_PART.findall(text):
        if part.startswith('"'):
            part = json.loads(part)
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return ".".join(parts)


class _TomlStrings:
    """The strings tomllib read at each key path, gathered once per path: a list of
    thousands of keywords is checked string by string, never list by string."""

    def __init__(self, document: dict[str, object]) -> None:
        self._document = document
        self._at: dict[str, frozenset[str]] = {}

    def offered(self, path: str, raw: str) -> bool:
        """Whether tomllib reads this string at this key (lists looked through)."""
        try:
            decoded = decode_toml(raw)
        except tomllib.TOMLDecodeError:
            return False
        strings = self._at.get(path)
        if strings is None:
            found = _values_at(self._document, path.split("."))
            strings = self._at[path] = frozenset(map(_msgid, found))
        return _msgid(decoded) in strings and _offered(decoded, decoded)


def _values_at(node: object, path: list[str]) -> Iterator[str]:
    """The strings a parsed document holds at a key path, looking through lists."""
    if isinstance(node, list):
        for item in node:
            yield from _values_at(item, path)
    elif not path:
        if isinstance(node, str):
            yield node
    elif isinstance(node, dict) and path[0] in node:
        yield from _values_at(node[path[0]], path[1:])


def decode_toml(raw: str) -> str:
    """What a TOML string, written as in the source, reads as.

    >>> decode_toml('"Zeg \\\\"ja\\\\""'), decode_toml("'''\\nregel\\n'''")
    ('Zeg "ja"', 'regel\\n')
    """
    value = tomllib.loads(f"k = {raw}")["k"]
    if not isinstance(value, str):
        raise tomllib.TOMLDecodeError("not a string")
    return value


def encode_toml(translation: str, raw: str) -> str:
    """A TOML string reading as ``translation``: a literal string where the source had one
    and the translation fits it, else a basic one (multi-line if the source was).

    >>> encode_toml('Zeg "ja"', "'Nee'"), encode_toml("a\\nb", '"x"')
    ('\\'Zeg "ja"\\'', '"a\\\\nb"')
    """
    value = translation + _tail(decode_toml(raw))
    if (
        raw.startswith("'")
        and not raw.startswith("'''")
        and not re.search(r"['\x00-\x1f\x7f]", value)
    ):
        return f"'{value}'"
    # A line of a multi-line string that reads as the closing +++ would end the front matter.
    multiline = raw.startswith(('"""', "'''")) and not any(
        _TOML_FENCE.fullmatch(line) for line in value.split("\n")
    )

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if multiline and char == "\n":
            return "\n"
        named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char)
        return named or f"\\u{ord(char):04x}"

    if not multiline:
        return '"' + _TOML_CONTROL.sub(escape, value) + '"'
    # A line break right after the opening quotes is not part of the value: keep the source's.
    opening = re.match(r'(?:"""|\'\'\')(?:\r?\n)?', raw)
    lead = opening.group()[3:] if opening else ""
    return f'"""{lead}{_TOML_CONTROL.sub(escape, value)}"""'


# JSON


def _json_values(body: str, keys: _Keys) -> Iterator[_Found]:
    """The strings under the keys of a JSON object that json.loads has already accepted."""
    found: list[_Found] = []
    _json_walk(body, 0, "", keys, found)
    yield from found


def _json_walk(text: str, position: int, path: str, keys: _Keys, found: list[_Found]) -> int:
    """Walk one JSON value from ``position``; return where it ends."""
    position = _skip_space(text, position)
    char = text[position]
    if char == '"':
        value, end = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
        if path in keys and _offered(value, value):
            found.append((position, end, path, Escape.JSON_STRING))
        return int(end)
    if char in "{[":
        closing = "}" if char == "{" else "]"
        position += 1
        while True:
            position = _skip_space(text, position)
            if text[position] == closing:
                return position + 1
            if text[position] == ",":
                position += 1
                continue
            child = path
            if char == "{":
                key, position = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
                position = text.index(":", position) + 1
                child = f"{path}.{key}" if path else key
            position = _json_walk(text, position, child, keys, found)
    atom = _JSON_ATOM.match(text, position)
    return atom.end() if atom else position + 1


def _skip_space(text: str, position: int) -> int:
    """Where the JSON whitespace from ``position`` ends."""
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def encode_json(translation: str, raw: str) -> str:
    """A JSON string reading as ``translation``."""
    return json.dumps(translation + _tail(json.loads(raw)), ensure_ascii=False)


# The codec the model and reassembly use


def decode_value(raw: str, escape: Escape) -> str:
    """The msgid of a front matter value written as ``raw``."""
    if escape in _YAML_ESCAPES:
        value = decode_yaml(raw)
    elif escape is Escape.TOML_STRING:
        value = decode_toml(raw)
    else:
        value = json.loads(raw)
    return _msgid(value)


def render_value(unit: Unit, translation: str) -> str:
    """The source that replaces a front matter value: the translation, validly written."""
    raw = unit.lines[0].text
    if unit.escape in _YAML_ESCAPES:
        flow = unit.escape is Escape.YAML_FLOW_SCALAR
        return encode_yaml(translation, raw, unit.newline, flow=flow)
    if unit.escape is Escape.TOML_STRING:
        return encode_toml(translation, raw)
    return encode_json(translation, raw)
