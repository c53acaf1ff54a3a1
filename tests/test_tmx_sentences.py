"""Sentence-level translation memory: CAT tools keep sentences, locpipe keeps paragraphs.
A paragraph is filled when every one of its sentences is in the memory, and ``tm export
--segment sentences`` writes sentence-level units, cut by a real Dutch sentence splitter.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from locpipe.model import EntryState
from locpipe.sentences import split_sentences

from .conftest import assert_msgfmt_clean, write_libre_project
from .libre_server import LibreServer
from .test_pretranslate import extract, invoke, pretranslate, read_po, review, states

FIRST = (
    "De Oekraïense strijdkrachten hebben te maken met een tekort aan ATACMS-raketten, "
    "meldt de New York Times."
)
SECOND = "Dit tekort kan de strategische positie van Kyiv flink onder druk zetten."
PARAGRAPH = f"{FIRST} {SECOND}"
FIRST_EN = "Ukraine's armed forces are short of ATACMS missiles, the New York Times reports."
SECOND_EN = "This shortage could put Kyiv's strategic position under real pressure."


@pytest.mark.parametrize(
    "text",
    [
        "Dat zei dr. Jansen gisteren.|Hij kwam o.a. met tanks.",
        "Er kwamen bijv. tanks.|Zie art. 5 van de wet.",
        "Het kost 2,5 mld. euro per jaar!|Waarom?|Daarom.",
        "Prof. De Vries en mr. Smit e.a. spraken.|Het o.m. zweeg.",
        '"Nee," zei hij.|Rutte (VVD) sprak daarna.',
        "Dhr. De Vries en mevr. Bakker kwamen.|Zij bleven.",
        "Mw. Jansen en ds. Visser spraken.|Zie par. 4 hierna.",
        "In jan. 2024 begon het.|In feb. stopte het.",
        "Bel tel. 020 123 4567 voor meer.|Of mail.",
    ],
)
def test_dutch_sentences_are_cut_where_they_end_not_after_abbreviations(text: str) -> None:
    expected = text.split("|")
    sentences = split_sentences(" ".join(expected), "nl")
    assert [s.strip() for s in sentences] == expected
    assert "".join(sentences) == " ".join(expected)


def sentence_memory(units: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f'<tu><tuv lang="nl"><seg>{nl}</seg></tuv><tuv lang="en"><seg>{en}</seg></tuv></tu>\n'
        for nl, en in units
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n'
        '<tmx version="1.1"><header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" '
        'datatype="plaintext" segtype="sentence" srclang="nl"/><body>\n'
        f"{body}</body></tmx>\n"
    ).encode()


def test_a_paragraph_is_filled_when_all_its_sentences_are_in_memory(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path / "project", libre.url)
    extract(root)
    memory = tmp_path / "sentences.tmx"
    # The second paragraph's first sentence only: that paragraph is not filled from memory.
    other = "In november 2024 gaf de Amerikaanse regering toestemming voor de levering van "
    memory.write_bytes(sentence_memory([(FIRST, FIRST_EN), (SECOND, SECOND_EN), (other, "In")]))
    assert invoke("tm", "import", "--project", root, memory).exit_code == 0
    assert pretranslate(root, "--lang", "en").exit_code == 0

    po = read_po(root)
    entry = po.find(PARAGRAPH)
    assert entry.msgstr == f"{FIRST_EN} {SECOND_EN}"
    assert states(po)[PARAGRAPH] is EntryState.FUZZY  # put together: a person checks it
    comment = " ".join(entry.tcomment.split())
    assert "locpipe: 2 sentences from translation memory (tm/sentences.tmx)" in comment
    assert f"translation memory sentence 1: {FIRST!r} (tm/sentences.tmx)" in comment
    assert f"translation memory sentence 2: {SECOND!r} (tm/sentences.tmx)" in comment
    partial = next(e for e in po if e.msgid.startswith(other))
    assert "machine translation by libre" in partial.tcomment
    assert_msgfmt_clean(root / "locales/en/atacms.po")


def test_export_writes_sentence_units_that_fill_another_project(
    libre: LibreServer, tmp_path: Path
) -> None:
    source = write_libre_project(tmp_path / "a", libre.url)
    extract(source)
    review(source, "en", "atacms", {PARAGRAPH: f"{FIRST_EN} {SECOND_EN}"})
    exported = tmp_path / "sentences.tmx"
    result = invoke(
        "tm", "export", "--project", source, "--lang", "en", exported, "--segment", "sentences"
    )
    assert result.exit_code == 0, result.output
    root = ET.parse(exported).getroot()
    header = root.find("header")
    assert header is not None and header.get("segtype") == "sentence"
    pairs = [tuple(seg.text for seg in tu.iter("seg")) for tu in root.iter("tu")]
    assert pairs == [(FIRST, FIRST_EN), (SECOND, SECOND_EN)]

    # Another project whose paragraph differs from the first one's only by a sentence order.
    other = write_libre_project(tmp_path / "b", libre.url)
    seed = other / "articles/nl/atacms.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace(PARAGRAPH, f"{SECOND} {FIRST}"))
    extract(other)
    assert invoke("tm", "import", "--project", other, exported).exit_code == 0
    assert pretranslate(other, "--lang", "en").exit_code == 0
    entry = read_po(other).find(f"{SECOND} {FIRST}")
    assert entry.msgstr == f"{SECOND_EN} {FIRST_EN}"
    assert "fuzzy" in entry.flags
