"""Cut every real article-like file under some folders, and check each comes back exact.

    python bench/real_files.py tests/docusaurus/node_modules /usr/share/doc

The generated corpus of ``bench/run.py`` and the golden articles are written by us; the
READMEs, changelogs and manuals a machine already holds (npm packages' Markdown, Debian's
HTML and text documentation, Python's own) are not.  Each file is segmented as its
extension says (Markdown in every dialect of ``--dialects``), its template written and
read back as a catalog, every msgstr set to its msgid, and the article assembled: the
bytes must be the file's own.  A file locpipe refuses with its one-line error (not UTF-8,
say) is counted as refused, with the line; anything else, a different article, an article
it cannot cut into units, or an exception, fails the run (exit status 1), and so does a
run that checked nothing.  What is not checked here: that a translation keeps the
structure a site generator reads (tests/test_dialects_real_parsers.py and
tests/test_dialects_docusaurus.py do, on written and generated articles).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from locpipe.assemble import assemble_article
from locpipe.catalog import catalog_text, read_catalog, template_from_article, translations
from locpipe.errors import LocpipeError, SegmentationError
from locpipe.segment import DIALECTS, SegmentOptions, segment_article

_SUFFIXES = {
    ".md": ".md",
    ".markdown": ".md",
    ".mdx": ".mdx",
    ".html": ".html",
    ".htm": ".html",
    ".txt": ".txt",
    ".rst": ".txt",  # read as plain text: paragraphs and headings, no reST
}
_PLAIN_NAMES = frozenset({"README", "NEWS", "AUTHORS", "THANKS", "TODO", "CHANGES"})
_LARGEST = 400_000  # bytes: a generated API reference is not an article
_CREATED = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def articles(folders: list[Path]) -> Iterator[tuple[Path, str]]:
    """Each regular file under the folders that reads as an article, with the suffix
    locpipe would read it by."""
    for folder in folders:
        for directory, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                path = Path(directory) / name
                suffix = _SUFFIXES.get(path.suffix.lower(), ".txt" if name in _PLAIN_NAMES else "")
                try:
                    found = path.lstat()
                except OSError:  # gone since it was listed
                    continue
                if suffix and stat.S_ISREG(found.st_mode) and 0 < found.st_size <= _LARGEST:
                    yield path, suffix


def round_trip(data: bytes, suffix: str, dialect: str, scratch: Path) -> bytes:
    """The article assembled again from its own template with every msgstr its msgid."""
    options = SegmentOptions(dialect=dialect)
    article = segment_article(data, path=f"articles/nl/a{suffix}", name="a", options=options)
    template = scratch / "a.pot"
    template.write_text(catalog_text(template_from_article(article, created=_CREATED)), "utf-8")
    catalog = read_catalog(template)
    for entry in catalog:
        entry.msgstr = entry.msgid
    return assemble_article(article, translations(catalog)).text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument(
        "--dialects", default=",".join(DIALECTS), help="Markdown is read in each of these"
    )
    args = parser.parse_args(argv)
    dialects = args.dialects.split(",")
    if unknown := set(dialects) - set(DIALECTS):
        parser.error(f"unknown dialects: {', '.join(sorted(unknown))}")
    counts: Counter[str] = Counter()
    problems: list[str] = []
    if missing := [str(folder) for folder in args.folders if not folder.is_dir()]:
        parser.error(f"not folders: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as scratch:
        for path, suffix in articles(args.folders):
            try:
                data = path.read_bytes()
            except OSError as error:  # unreadable to this user: not an article we can check
                counts["unreadable"] += 1
                problems.append(f"unreadable: {path}: {error.strerror}")
                continue
            for dialect in dialects if suffix in (".md", ".mdx") else ["commonmark"]:
                where = f"{path} ({dialect})" if suffix in (".md", ".mdx") else str(path)
                try:
                    exact = round_trip(data, suffix, dialect, Path(scratch)) == data
                except SegmentationError as error:  # input a site reads, that locpipe cannot cut
                    counts["failed"] += 1
                    problems.append(f"FAILED: {where}: {error}")
                    continue
                except LocpipeError as error:
                    counts["refused"] += 1
                    problems.append(f"refused: {where}: {error}")
                    continue
                except Exception:  # a crash on real input is what this looks for
                    counts["failed"] += 1
                    problems.append(f"FAILED: {where}: {traceback.format_exc(limit=-3)}")
                    continue
                counts["exact" if exact else "failed"] += 1
                if not exact:
                    problems.append(f"FAILED: {where}: not rebuilt byte for byte")
    print(
        f"real files: {counts['exact']} exact, {counts['refused']} refused, "
        f"{counts['unreadable']} unreadable, {counts['failed']} failed"
    )
    for line in problems:
        print(line)
    if not counts["exact"] + counts["failed"]:
        print("real files: nothing was checked", file=sys.stderr)
        return 1
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
