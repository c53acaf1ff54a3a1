"""The segmentation cache: a cut read back is the article segmenting gives, or nothing."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locpipe import api, runner, segcache
from locpipe.build import BuildOptions
from locpipe.fileio import WriteBatch
from locpipe.glossary import Glossary
from locpipe.model import Article
from locpipe.project import ArticleFiles, Project, detect_dialect, load_project
from locpipe.results import Kind, Outcome, Status
from locpipe.segment import SegmentOptions, segment_article
from locpipe.segment.base import decode_source
from locpipe.state import digest

from .conftest import SEED, write_project
from .test_golden import GOLDEN
from .test_properties import md_article, plain_article

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
KEY = "k" * 64
EVERYTHING = BuildOptions(min_translated=0)


def read_back(article: Article, data: bytes, key: str = KEY) -> Article | None:
    """``article`` through a cache file and back, as a later stage reads it."""
    cache = segcache.SegmentCache(Path("unused"))
    cache.add(article.name, KEY, segcache.encode(article))
    text, bom = decode_source(data, article.path)
    return cache.article(name=article.name, key=key, text=text, path=article.path, bom=bom)


def golden_articles() -> list[tuple[Article, bytes]]:
    found = []
    for source in sorted(GOLDEN.glob("*/article.*")):
        options = SegmentOptions(
            dialect=detect_dialect(source.parent, source.parent) or "commonmark"
        )
        path = f"articles/nl/{source.parent.name}{source.suffix}"
        data = source.read_bytes()
        found.append((segment_article(data, path=path, name="a", options=options), data))
    return found


@pytest.mark.parametrize(
    ("article", "data"), golden_articles(), ids=lambda v: getattr(v, "path", "")
)
def test_every_golden_article_reads_back_as_segmenting_gives_it(
    article: Article, data: bytes
) -> None:
    assert read_back(article, data) == article


@given(
    st.one_of(plain_article().map(lambda d: (d, ".txt")), md_article().map(lambda d: (d, ".md")))
)
def test_generated_articles_read_back_as_segmenting_gives_them(case: tuple[bytes, str]) -> None:
    data, suffix = case
    article = segment_article(data, path=f"articles/nl/a{suffix}", name="a")
    assert read_back(article, data) == article


def test_a_cut_is_used_only_for_its_key() -> None:
    data = SEED.read_bytes()
    article = segment_article(data, path="articles/nl/atacms.txt", name="atacms")
    assert read_back(article, data, key="another") is None


def tampered(change: object) -> Article | None:
    data = SEED.read_bytes()
    article = segment_article(data, path="articles/nl/atacms.txt", name="atacms")
    headings, cut = json.loads(segcache.encode(article))
    assert callable(change)
    change(cut)
    cache = segcache.SegmentCache(Path("unused"))
    cache.add("atacms", KEY, json.dumps([headings, cut]).encode())
    text, bom = decode_source(data, article.path)
    return cache.article(name="atacms", key=KEY, text=text, path=article.path, bom=bom)


def _first_unit(cut: list[object]) -> list[object]:
    return next(piece for piece in cut if isinstance(piece, list))  # type: ignore[misc]


def _shift_into_prefix(unit: list[object]) -> None:
    lengths = unit[8]
    assert isinstance(lengths, list)
    lengths[0] -= 1  # a prefix of -1 ...
    lengths[1] += 1  # ... and a text one longer: the same total


@pytest.mark.parametrize(
    "change",
    [
        lambda cut: cut.append(1),  # a piece past the end of the source
        lambda cut: cut.pop(),  # the end of the source left out
        lambda cut: cut.__setitem__(1, cut[1] + 1),  # a longer layout
        lambda cut: cut.__setitem__(3, cut[3] - 1),  # a shorter one
        lambda cut: cut.__setitem__(1, -1),
        lambda cut: _shift_into_prefix(_first_unit(cut)),  # adds up, but overlaps
        lambda cut: _first_unit(cut).__setitem__(0, "no such kind"),
        lambda cut: _first_unit(cut).__setitem__(1, "1"),
        lambda cut: _first_unit(cut).__setitem__(2, 10_000),  # no such section
        lambda cut: _first_unit(cut).__setitem__(2, -1),
        lambda cut: _first_unit(cut).__setitem__(8, [0, 1, 2]),
        lambda cut: _first_unit(cut).__setitem__(8, [0, 1, 0, 0, "no"]),
        lambda cut: cut.insert(0, "text"),
        lambda cut: cut.clear() or cut.append({"a": 1}),
    ],
)
def test_a_cut_that_is_not_the_sources_is_not_used(change: object) -> None:
    assert tampered(change) is None


@pytest.mark.parametrize("cut", ["[[", "[" * 100_000 + "]" * 100_000, '"text"', "{}"])
def test_a_cut_that_does_not_parse_is_not_used(tmp_path: Path, cut: str) -> None:
    path = tmp_path / "segments.cache"
    checksum = segcache._checksum(cut.encode())
    path.write_text(f"atacms\t{KEY}\t{checksum}\t{cut}\n", encoding="utf-8")
    cache = segcache.SegmentCache.read(path)
    text, bom = decode_source(SEED.read_bytes(), "articles/nl/atacms.txt")
    found = cache.article(name="atacms", key=KEY, text=text, path="articles/nl/atacms.txt", bom=bom)
    assert found is None


def test_a_damaged_cut_is_not_used(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    article = segment_article(data, path="articles/nl/atacms.txt", name="atacms")
    cut = segcache.encode(article)
    path = tmp_path / "segments.cache"
    # One digit changed: the pieces still add up, but the checksum no longer matches.
    damaged = cut.replace(b'"title",1,', b'"title",9,', 1)
    assert damaged != cut
    path.write_bytes(f"atacms\t{KEY}\t{segcache._checksum(cut)}\t".encode() + damaged + b"\n")
    text, bom = decode_source(data, article.path)
    cache = segcache.SegmentCache.read(path)
    assert cache.article(name="atacms", key=KEY, text=text, path=article.path, bom=bom) is None


@pytest.mark.parametrize(
    ("source", "escape"),
    [("Zeg: ja | nee: [", "yaml scalar"), ("123", "json string"), ("{", "toml string")],
)
def test_a_cut_whose_values_a_codec_refuses_is_not_used(source: str, escape: str) -> None:
    """A cut that gives a front matter escape to text that is no such value: whatever the
    codec raises, the cut is not used."""
    unit = ["paragraph", 1, None, None, escape, "\n", 0, [], [0, len(source), 0, 0, 0]]
    cache = segcache.SegmentCache(Path("unused"))
    cache.add("a", KEY, json.dumps([[], [unit]]).encode())
    assert cache.article(name="a", key=KEY, text=source, path="articles/nl/a.md", bom=False) is None


def test_the_file_keeps_the_articles_named_and_is_left_alone_when_nothing_changed(
    tmp_path: Path,
) -> None:
    path = tmp_path / ".locpipe" / "segments.cache"
    cache = segcache.SegmentCache(path)
    cache.add("a", "1", b"[1]")
    cache.add("dossier/b", "2", b"[2]")
    cache.save({"a", "dossier/b"})
    one, two = segcache._checksum(b"[1]"), segcache._checksum(b"[2]")
    assert path.read_text(encoding="utf-8") == f"a\t1\t{one}\t[1]\ndossier/b\t2\t{two}\t[2]\n"
    before = path.stat()

    again = segcache.SegmentCache.read(path)
    again.add("a", "1", b"[1]")  # as it was
    again.save({"a", "dossier/b"})
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

    again.save({"a"})  # dossier/b is gone
    assert path.read_text(encoding="utf-8") == f"a\t1\t{one}\t[1]\n"


def test_a_line_cut_short_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "segments.cache"
    whole = f"a\t1\t{segcache._checksum(b'[1]')}\t[1]\n"
    path.write_text(whole + "b\t2\tffffffff\t[", encoding="utf-8")
    cache = segcache.SegmentCache.read(path)
    cache.save({"a", "b"})
    assert path.read_text(encoding="utf-8") == whole


def test_the_key_holds_everything_a_cut_depends_on() -> None:
    key = segcache.cache_key("articles/nl/a.md", "d1", SegmentOptions())
    assert key is not None
    assert len({
        key,
        segcache.cache_key("articles/nl/b.md", "d1", SegmentOptions()),
        segcache.cache_key("articles/nl/a.md", "d2", SegmentOptions()),
        segcache.cache_key("articles/nl/a.md", "d1", SegmentOptions(dialect="hugo")),
    }) == 4  # fmt: skip


def test_an_edited_module_changes_the_fingerprint(tmp_path: Path) -> None:
    package = tmp_path / "locpipe"
    (package / "segment").mkdir(parents=True)
    (package / "model.py").write_text("A = 1\n", encoding="utf-8")
    (package / "segment" / "plain.py").write_text("B = 1\n", encoding="utf-8")
    first = segcache.folder_fingerprint(package)
    segcache.folder_fingerprint.cache_clear()
    os.utime(package / "segment" / "plain.py", ns=(1, 1))
    assert segcache.folder_fingerprint(package) not in (None, first)
    segcache.folder_fingerprint.cache_clear()
    assert segcache.folder_fingerprint(tmp_path / "missing") is None
    compiled = tmp_path / "compiled"
    (compiled / "segment").mkdir(parents=True)
    (compiled / "model.pyc").write_bytes(b"")
    assert segcache.folder_fingerprint(compiled) is None  # no source to tell versions by
    segcache.folder_fingerprint.cache_clear()


class CountingSegmenter:
    """segment_article as the runner calls it, counting the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> Article:
        self.calls += 1
        return segment_article(*args, **kwargs)  # type: ignore[arg-type]


def test_build_reads_the_cut_extract_left_and_builds_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path / "cached", ("en",))
    shutil.copy(SEED, root / "articles/nl/atacms.txt")
    shutil.copy(GOLDEN / "md-nested" / "article.md", root / "articles/nl/uitleg.md")
    shutil.copy(GOLDEN / "md-front-matter" / "article.md", root / "articles/nl/vragen.md")
    project = load_project(root)
    api.extract(project, ("en",), created=NOW)
    cuts = (root / ".locpipe/segments.cache").read_text(encoding="utf-8")
    assert [line.split("\t")[0] for line in cuts.splitlines()] == ["uitleg", "vragen"]
    uncached = tmp_path / "uncached"
    shutil.copytree(root, uncached)
    (uncached / ".locpipe/segments.cache").unlink()

    counting = CountingSegmenter()
    monkeypatch.setattr(runner, "segment_article", counting)
    api.build(project, ("en",), options=EVERYTHING)
    assert counting.calls == 1  # plain text is cut again: cheaper than reading its cut
    api.build(load_project(uncached), ("en",), options=EVERYTHING)
    assert counting.calls == 4
    for name in ("atacms.txt", "uitleg.md", "vragen.md"):
        assert (root / "articles/en" / name).read_bytes() == (
            uncached / "articles/en" / name
        ).read_bytes()

    # An edited source is segmented again, and its new cut kept.
    source = root / "articles/nl/uitleg.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nEen nieuwe alinea.\n", "utf-8")
    api.build(project, ("en",), options=EVERYTHING)
    assert counting.calls == 5  # the other two are as the last build left them
    assert b"Een nieuwe alinea." in (root / "articles/en/uitleg.md").read_bytes()
    api.build(project, ("en",), options=EVERYTHING, incremental=False)
    assert counting.calls == 8  # not incremental: every article segmented again

    # A deleted article's cut goes with it.
    source.unlink()
    api.build(project, ("en",), options=EVERYTHING)
    assert "uitleg" not in (root / ".locpipe/segments.cache").read_text(encoding="utf-8")


def test_plain_text_is_not_kept() -> None:
    assert segcache.cache_key("articles/nl/a.txt", "d1", SegmentOptions()) is None
    assert segcache.cache_key("articles/nl/a.TXT", "d1", SegmentOptions()) is None


class ConflictOnce(runner.ArticleWork):
    """A stage whose first try at each article meets a catalog saved meanwhile."""

    stage = "fake"

    def __init__(self, project: Project) -> None:
        super().__init__(project, Glossary(()))
        self.tried: set[str] = set()

    def outputs(self, files: ArticleFiles) -> dict[str, Path]:
        return {}

    def key(self, source: runner.Source, slot: str) -> str:
        return "key"

    def __call__(self, task: runner.Task, article: Article, batch: WriteBatch) -> runner.Done:
        name = task.source.files.name
        done = runner.Done(name)
        if name not in self.tried:
            self.tried.add(name)
            done.outcomes.append(Outcome(name, "en", Status.FAILED, name, "saved", Kind.CONFLICT))
        return done


def test_an_article_done_again_after_a_conflict_keeps_its_new_cut(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    shutil.copy(GOLDEN / "md-nested" / "article.md", root / "articles/nl/uitleg.md")
    project = load_project(root)
    (files,) = project.articles()
    data = files.source.read_bytes()
    task = runner.Task(runner.Source(files, data, digest(data)), {"en": "key"}, {})
    # In a run, the second try finds the article among the run's articles, not cut anew.
    (done,) = runner._run_chunk(
        ConflictOnce(project), [task], runner.ArticleCache(), segcache.SegmentCache(Path("x"))
    )
    assert done.outcomes == []
    assert done.cut is not None
