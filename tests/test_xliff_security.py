"""XLIFF comes from other people's tools: hostile XML is refused with one line naming the
file, before any catalog is touched; a plain DOCTYPE (old XLIFF 1.2 writers put one there)
is read, and the DTD it names is never fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from locpipe.errors import XliffError
from locpipe.xliff import XLIFF2, XLIFF12, parse_xliff

from .test_xliff import catalogs, example, export, invoke, set_target

__all__ = ["example"]  # the fixture, used by name

BODY = (
    f'<xliff xmlns="{XLIFF12}" version="1.2"><file original="atacms" source-language="nl" '
    'target-language="en" datatype="po"><body><trans-unit id="u"><source>{text}</source>'
    "</trans-unit></body></file></xliff>"
)


def document(doctype: str, text: str = "x") -> bytes:
    return f'<?xml version="1.0"?>\n{doctype}\n{BODY.replace("{text}", text)}'.encode()


HOSTILE = {
    "billion-laughs": document(
        '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        "&c;",
    ),
    "external-entity": document(
        '<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', "&secret;"
    ),
    "parameter-entity": document(
        '<!DOCTYPE xliff [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>'
    ),
    "entity-in-attribute": document('<!DOCTYPE xliff [<!ENTITY v "1.2">]>').replace(
        b'version="1.2"', b'version="&v;"'
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused(name: str) -> None:
    with pytest.raises(XliffError, match="refused unsafe XML") as caught:
        parse_xliff(HOSTILE[name], path="evil.xlf")
    assert str(caught.value).startswith("evil.xlf")


def test_a_plain_doctype_is_read_and_its_dtd_never_fetched() -> None:
    data = document(
        '<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" '
        '"http://127.0.0.1:9/committees/xliff/documents/xliff.dtd">'
    )
    (xfile,) = parse_xliff(data, path="old.xlf").files
    assert [unit.source for unit in xfile.units] == ["x"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_among_good_ones_changes_no_catalog(
    example: Path, tmp_path: Path, name: str
) -> None:
    (good,) = [p for p in export(example, tmp_path, "af") if "uitleg" in p.parts]
    set_target(good, "2.1", "Kenmerken", "Eienskappe", state="final")
    evil = tmp_path / "evil.xlf"
    evil.write_bytes(HOSTILE[name])
    before = catalogs(example)
    result = invoke("xliff", "import", "--project", example, good, evil)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"locpipe: error: {evil}") and "refused unsafe XML" in line
    assert catalogs(example) == before


@pytest.mark.parametrize("code", ["zz", "110000", "0", "D800"])
@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_code_point_no_catalog_can_hold_is_one_line_at_its_line(
    example: Path, tmp_path: Path, version: str, code: str
) -> None:
    """Not a number, past Unicode, NUL (gettext's strings end there) or a lone surrogate
    (no UTF-8 for it): refused before any catalog is written, not a traceback."""
    (good,) = [p for p in export(example, tmp_path, "af") if "uitleg" in p.parts]
    set_target(good, "2.1", "Kenmerken", "Eienskappe", state="final")
    if version == "2.1":
        element = f'<cp hex="{code}"/>'
        head = f'<xliff xmlns="{XLIFF2}" version="2.1" srcLang="nl" trgLang="af">'
        body = f'<file id="f1" original="atacms"><unit id="u"><segment><source>a\n{element}'
        tail = "</source></segment></unit></file></xliff>"
    else:
        element = f'<ph id="1" ctype="x-locpipe-code-point">U+{code}</ph>'
        head = f'<xliff xmlns="{XLIFF12}" version="1.2">'
        body = (
            '<file original="atacms" source-language="nl" target-language="af" '
            f'datatype="po"><body><trans-unit id="u"><source>a\n{element}'
        )
        tail = "</source></trans-unit></body></file></xliff>"
    evil = tmp_path / "bad.xlf"
    evil.write_text(head + body + tail, encoding="utf-8")
    before = catalogs(example)
    result = invoke("xliff", "import", "--project", example, good, evil)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line == (
        f"locpipe: error: {evil}:2: a code point no catalog can hold (not one, NUL or a surrogate)"
    )
    assert catalogs(example) == before


def test_a_code_with_no_original_data_is_named_at_its_line() -> None:
    data = (
        f'<xliff xmlns="{XLIFF2}" version="2.1" srcLang="nl" trgLang="af">\n'
        '<file id="f1" original="atacms"><unit id="u"><segment>\n'
        '<source>a <ph id="1" dataRef="d9"/></source></segment></unit></file></xliff>'
    ).encode()
    with pytest.raises(XliffError) as caught:
        parse_xliff(data, path="bad.xlf")
    assert str(caught.value) == "bad.xlf:3: inline code refers to missing original data 'd9'"
