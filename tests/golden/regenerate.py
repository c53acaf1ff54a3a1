"""Rewrite a golden case's expected files from the current code.

    python tests/golden/regenerate.py CASE [CASE ...]   # or --all

A case is a folder holding ``article.<ext>`` and ``filled.po``; this writes ``expected.pot``
and ``expected.<ext>`` next to them.  When ``filled.po`` is missing it is started from the
template (all entries untranslated) for you to translate by hand.  Read every file this
writes before you keep it: a golden file that encodes a bug is worse than none.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from locpipe.assemble import assemble_article
from locpipe.catalog import (
    catalog_text,
    read_catalog,
    template_from_article,
    translations,
    update_catalog,
)
from locpipe.model import Article
from locpipe.project import detect_dialect
from locpipe.segment import SegmentOptions, segment_article

GOLDEN = Path(__file__).resolve().parent
CREATED = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)  # the POT-Creation-Date of every case
LANGUAGE = "en"


def article_path(case: Path) -> Path:
    """The case's source article, ``article.<ext>``."""
    (path,) = case.glob("article.*")
    return path


def segment_case(case: Path) -> Article:
    """The case's article, segmented as if it stood at ``articles/nl/article.<ext>``, in the
    dialect its site configuration file (``mkdocs.yml``, ``hugo.toml``, ...) implies."""
    path = article_path(case)
    options = SegmentOptions(dialect=detect_dialect(case, case) or "commonmark")
    return segment_article(
        path.read_bytes(), path=f"articles/nl/{path.name}", name="article", options=options
    )


def regenerate(case: Path) -> list[Path]:
    """Write the case's expected files (and a starting filled.po); return what was written."""
    article = segment_case(case)
    template = template_from_article(article, created=CREATED)
    written = [case / "expected.pot"]
    written[0].write_bytes(catalog_text(template).encode("utf-8"))
    filled = case / "filled.po"
    if not filled.exists():
        start = update_catalog(template, None, language=LANGUAGE, now=CREATED)
        filled.write_bytes(catalog_text(start).encode("utf-8"))
        written.append(filled)
    result = assemble_article(article, translations(read_catalog(filled)), language=LANGUAGE)
    expected = case / f"expected{article_path(case).suffix}"
    expected.write_bytes(result.text.encode("utf-8"))
    written.append(expected)
    return written


def main(args: list[str]) -> int:
    """Regenerate the named cases, or every case with ``--all``."""
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    if args == ["--all"]:
        cases = sorted(p.parent for p in GOLDEN.glob("*/article.*"))
    else:
        cases = [GOLDEN / name for name in args]
    for case in cases:
        for path in regenerate(case):
            print(path.relative_to(GOLDEN))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
