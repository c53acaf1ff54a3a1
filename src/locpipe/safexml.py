"""XML from other tools (TMX, XLIFF, TBX), parsed so that it cannot attack the reader or
quietly change what it says.

defusedxml refuses entity declarations and external references; ElementTree never fetches
a DTD and never processes XInclude.  A bare ``<!DOCTYPE>`` is allowed, because most TMX,
XLIFF and TBX writers put one there and the parser never fetches it.  An attribute-list
declaration in a DOCTYPE's internal subset is refused: its default values would be added to
elements that do not show them (``<!ATTLIST tu changeid CDATA "anna">`` signs every
machine-translated unit as a person's), and no memory, termbase or XLIFF file needs one.
Each element can carry the line it starts on, so a problem in a unit can be shown where it is.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException

from .errors import LocpipeError

LINE = "{urn:x-locpipe}line"  # the attribute that holds an element's line


def parse_untrusted(
    data: bytes, *, path: str, error: type[LocpipeError], what: str, lines: bool = False
) -> ET.Element:
    """The root element of ``data``, or ``error`` naming ``path`` (and the line, if known).

    ``what`` names the format in the message; with ``lines`` every element records its line
    (read it with :func:`line_of`).
    """
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    parser.parser.AttlistDeclHandler = _refuse_attribute_declaration
    if lines:
        builder.expat = parser.parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        message = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise error(f"not well-formed XML: {message}", path=path, line=line) from exc
    except DefusedXmlException as exc:
        raise error(
            f"refused unsafe XML ({type(exc).__name__}): {what} needs no DTD declarations",
            path=path,
        ) from exc
    except (LookupError, ValueError) as exc:  # e.g. encoding="bogus" in the declaration
        raise error(f"not readable as XML: {exc}", path=path) from exc
    return root


class DeclarationForbidden(DefusedXmlException):  # type: ignore[misc]
    """A DOCTYPE declares attributes (their defaults would change the document unseen)."""

    def __init__(self, element: str, attribute: str) -> None:
        super().__init__()
        self.element, self.attribute = element, attribute

    def __str__(self) -> str:
        return f"DeclarationForbidden(element={self.element!r}, attribute={self.attribute!r})"


def _refuse_attribute_declaration(element: str, attribute: str, *_: object) -> None:
    raise DeclarationForbidden(element, attribute)


def line_of(element: ET.Element) -> int:
    """The line an element starts on, when parsed with ``lines``; else 0."""
    return int(element.get(LINE, "0"))


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that records, when given the parser, the line each element starts on."""

    expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            element.set(LINE, str(self.expat.CurrentLineNumber))
        return element
