"""XML from other tools (TBX termbases, TMX memories), parsed so that it cannot attack or
quietly change what it says.

defusedxml refuses entity declarations (billion laughs, quadratic blowup) and external
references; ElementTree never fetches a DTD and never processes XInclude.  A bare DOCTYPE
is allowed, since Translate Toolkit (so Weblate), Trados and most TMX writers put one
there.  An attribute-list declaration in a DOCTYPE's internal subset is refused: its
default values would be added to elements that do not show them (``<!ATTLIST tu changeid
CDATA "anna">`` signs every machine-translated unit as a person's), and no termbase or
memory needs one.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException


class DeclarationForbidden(DefusedXmlException):  # type: ignore[misc]
    """A DOCTYPE declares attributes (their defaults would change the document unseen)."""

    def __init__(self, element: str, attribute: str) -> None:
        super().__init__()
        self.element, self.attribute = element, attribute

    def __str__(self) -> str:
        return f"DeclarationForbidden(element={self.element!r}, attribute={self.attribute!r})"


def parse_untrusted(data: bytes, *, note_lines: bool = True) -> tuple[Element, dict[Element, int]]:
    """The root element, and the line each element starts on (none without ``note_lines``:
    a memory of a million units need not keep a table of its five million elements).

    Raises :class:`xml.etree.ElementTree.ParseError` for XML that is not well formed,
    :class:`defusedxml.DefusedXmlException` for hostile constructs, and LookupError or
    ValueError for an encoding the declaration names wrongly.
    """
    from defusedxml.ElementTree import DefusedXMLParser

    lines: dict[Element, int] = {}

    class LineBuilder(TreeBuilder):
        def start(self, tag: Any, attrs: dict[Any, Any]) -> Element:
            element = super().start(tag, attrs)
            lines[element] = parser.parser.CurrentLineNumber
            return element

    def refuse_attributes(element: str, attribute: str, *_: object) -> None:
        raise DeclarationForbidden(element, attribute)

    parser = DefusedXMLParser(
        target=LineBuilder() if note_lines else TreeBuilder(),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
    parser.parser.AttlistDeclHandler = refuse_attributes
    parser.feed(data)
    root: Element = parser.close()
    return root, lines
