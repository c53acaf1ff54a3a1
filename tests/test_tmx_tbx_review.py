"""Review of the TMX and TBX readers: term status as termbases write it, and XML that could
change what a unit or term says without showing it."""

from __future__ import annotations

from pathlib import Path

from locpipe.glossary import read_glossary
from locpipe.model import TermRule


def tbx(body: str, *, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        f'<martif type="TBX" xml:lang="nl"><text><body>{body}</body></text></martif>\n'
    )


ADMITTED_THEN_PREFERRED = """
<termEntry id="bike">
  <langSet xml:lang="nl"><tig><term>fiets</term></tig></langSet>
  <langSet xml:lang="en">
    <tig><term>push bike</term>
      <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>bicycle</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>"""


def test_the_preferred_term_is_agreed_even_after_an_admitted_one(tmp_path: Path) -> None:
    (tmp_path / "bikes.tbx").write_text(tbx(ADMITTED_THEN_PREFERRED), encoding="utf-8")
    glossary = read_glossary(tmp_path, languages=("en",), display="glossary")
    (bike,) = glossary.terms
    assert (bike.rule, bike.translations, bike.forbidden) == (
        TermRule.TRANSLATE,
        (("en", "bicycle"),),
        (),
    )
