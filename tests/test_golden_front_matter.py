"""The front matter golden cases (``golden/fm-*``), read by the generators' own parsers: the
localized front matter holds exactly the translations, and every other key as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from locpipe.catalog import read_catalog, translations

from .test_segment_frontmatter import front_matter

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = ["fm-yaml", "fm-toml", "fm-json"]


@pytest.mark.parametrize("name", CASES)
def test_localized_front_matter_parses_to_the_translations(name: str) -> None:
    folder = GOLDEN / name
    source = front_matter((folder / "article.md").read_text(encoding="utf-8"))
    built = front_matter((folder / "expected.md").read_text(encoding="utf-8"))
    assert isinstance(source, dict) and isinstance(built, dict)
    filled = dict(translations(read_catalog(folder / "filled.po", language="en")))
    translated = 0
    for key, value in source.items():
        msgid = value.rstrip("\n") if isinstance(value, str) else None
        if (None, msgid) in filled:
            translated += 1
            assert built[key] == filled[None, msgid] + value[len(msgid) :], key
        else:
            assert built[key] == value, key
    assert translated >= 2 and built.keys() == source.keys()
