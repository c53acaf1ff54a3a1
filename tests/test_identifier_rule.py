"""The rule for units that are not prose: numbers are never units, an address alone is
layout, and a name shaped like code is offered with a note saying so."""

from __future__ import annotations

from datetime import UTC, datetime

from locpipe.assemble import assemble_article
from locpipe.catalog import template_from_article
from locpipe.segment import segment_article
from locpipe.segment.base import IDENTIFIER_NOTE

TABLE = """# Eigenschappen

| Eigenschap | Betekenis |
| --- | --- |
| alcoholPercentage | Het percentage alcohol |
| brand_name | 12,5 |
| https://schema.org/Beer | info@example.org |
"""


def test_identifiers_get_a_note_and_numbers_and_addresses_are_not_units() -> None:
    article = segment_article(TABLE.encode(), path="a.md", name="a")
    units = {u.text: u.notes for u in article.units}
    assert units == {
        "Eigenschappen": (),
        "Eigenschap": (),
        "Betekenis": (),
        "alcoholPercentage": (IDENTIFIER_NOTE,),
        "Het percentage alcohol": (),
        "brand_name": (IDENTIFIER_NOTE,),
    }
    assert article.source == TABLE
    assert assemble_article(article, {}).text == TABLE


def test_the_note_is_the_entrys_extracted_comment() -> None:
    article = segment_article(TABLE.encode(), path="a.md", name="a")
    template = template_from_article(article, created=datetime(2024, 5, 1, tzinfo=UTC))
    comment = next(e.comment for e in template if e.msgid == "alcoholPercentage")
    assert comment.split("\n") == ["table cell, section: Eigenschappen", IDENTIFIER_NOTE]


def test_an_address_alone_is_layout_in_every_format() -> None:
    plain = segment_article(b"Titel\n\nhttps://example.org/pad\n\nTekst.\n", path="a.txt", name="a")
    assert [u.text for u in plain.units] == ["Titel", "Tekst."]
    html = segment_article(
        b"<h1>Kop</h1><p>info@example.org</p><p>Tekst.</p>", path="a.html", name="a"
    )
    assert [u.text for u in html.units] == ["Kop", "Tekst."]
    front = segment_article(b"---\ntitle: www.example.org\n---\n\nTekst.\n", path="a.md", name="a")
    assert [u.text for u in front.units] == ["Tekst."]
