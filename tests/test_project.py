"""The project contract: locpipe.toml, its defaults, and one clear error per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locpipe.errors import ConfigError
from locpipe.project import init_project, load_project


def make(tmp_path: Path, config: str) -> Path:
    (tmp_path / "articles" / "nl").mkdir(parents=True)
    (tmp_path / "locpipe.toml").write_text(config, encoding="utf-8")
    return tmp_path


def test_defaults(tmp_path: Path) -> None:
    project = load_project(make(tmp_path, 'source_language = "nl"\nlanguages = ["en", "de"]\n'))
    assert project.articles_dir == tmp_path.resolve() / "articles" / "nl"
    assert project.template_path("sub/x") == tmp_path.resolve() / "locales/templates/sub/x.pot"
    assert project.catalog_path("de", "x") == tmp_path.resolve() / "locales/de/x.po"


@pytest.mark.parametrize(
    ("config", "message", "line"),
    [
        ('source_language = "nl"\nlanguages = ["en"]\ncolour = "red"\n', "colour: unknown key", 3),
        ('source_language = "nl"\nlanguages = ["en", "xx-nope"]\n', "not a language code", 2),
        ('source_language = "zz"\nlanguages = ["en"]\n', "source_language:", 1),
        ('source_language = "nl"\nlanguages = []\n', "languages: must be a non-empty list", 2),
        ('source_language = "nl"\nlanguages = ["nl"]\n', "cannot also be a target", 2),
        ('source_language = "nl"\nlanguages = ["en"]\narticles = "missing"\n', "does not exist", 3),
        ('source_language = "nl"\nlanguages = ["en"]\noutput = "out"\n', "must contain {lang}", 3),
        (
            'source_language = "nl"\nlanguages = ["en"]\noutput = "articles/nl/{lang}"\n',
            "inside the articles folder",
            3,
        ),
        ('source_language = "nl"\nlanguages = ["en"\n', "not valid TOML", 2),
    ],
)
def test_config_errors_name_file_key_and_line(
    tmp_path: Path, config: str, message: str, line: int
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(make(tmp_path, config))
    assert message in str(caught.value)
    assert caught.value.line == line
    assert str(caught.value).startswith(
        f"{(tmp_path / 'locpipe.toml').resolve().as_posix()}:{line}: "
    )


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no locpipe\.toml"):
        load_project(tmp_path)


def test_init_creates_a_loadable_project_and_refuses_to_overwrite(tmp_path: Path) -> None:
    init_project(tmp_path, source_language="nl", languages=("en", "pt_BR"))
    project = load_project(tmp_path)
    assert project.languages == ("en", "pt_BR")
    before = (tmp_path / "locpipe.toml").read_bytes()
    with pytest.raises(ConfigError, match="already exists"):
        init_project(tmp_path, source_language="nl", languages=("de",))
    assert (tmp_path / "locpipe.toml").read_bytes() == before


def test_init_rejects_bad_language_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--languages"):
        init_project(tmp_path, source_language="nl", languages=("klingon!",))
    assert not (tmp_path / "locpipe.toml").exists()


_SEGMENT = st.sampled_from(["a", "b", "ab", "a b", "..", "é", "x.md", "nl"])


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shown") / "proj"
    root.mkdir()
    init_project(root, source_language="nl", languages=("en",))
    return root


@given(inside=st.booleans(), sibling=st.booleans(), segments=st.lists(_SEGMENT, max_size=4))
def test_a_path_is_shown_relative_to_the_root_as_relative_to_shows_it(
    project_root: Path, inside: bool, sibling: bool, segments: list[str]
) -> None:
    """Cutting the root's string off a path gives what Path.relative_to gives, and a path
    outside the project (in a sibling folder whose name starts with the root's, too) is
    shown whole."""
    project = load_project(project_root)
    base = project_root if inside else project_root.parent / ("proj-x" if sibling else "other")
    path = base.joinpath(*segments)
    try:
        expected = path.relative_to(project.root).as_posix()
    except ValueError:
        expected = path.as_posix()
    assert project.relative(path) == expected


def test_articles_are_the_files_rglob_finds_in_its_order(tmp_path: Path) -> None:
    # Names whose order as strings differs from their order as paths ("a-b" < "a/b" as
    # strings, "a" < "a-b" as path parts), links to files and to folders, a broken link,
    # hidden files and folders, and suffixes in capitals or without a name before them.
    root = make(tmp_path, 'source_language = "nl"\nlanguages = ["en"]\n')
    articles = root / "articles" / "nl"
    outside = tmp_path / "elders"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "x.txt").write_text("X\n", encoding="utf-8")
    (outside / "y.md").write_text("# Y\n", encoding="utf-8")
    for name in (
        "a/b.txt", "a-b.txt", "a/c/d.md", "a.b/e.mdx", "Z.TXT", ".verborgen.txt",
        ".map/f.html", "..txt", ".txt", "g.", "h.htm", "i.pdf", "j.txt.bak", "k/l/m.txt",
    ):  # fmt: skip
        (articles / name).parent.mkdir(parents=True, exist_ok=True)
        (articles / name).write_text("Titel\n", encoding="utf-8")
    (articles / "link.md").symlink_to(outside / "y.md")
    (articles / "linked-folder").symlink_to(outside / "deep")
    (articles / "broken.txt").symlink_to(outside / "missing.txt")
    project = load_project(root)

    found = [(f.source, f.name, f.reference) for f in project.articles()]

    expected = []
    for path in sorted(project.articles_dir.rglob("*")):
        if path.suffix.lower() in (".txt", ".md", ".mdx", ".html", ".htm") and path.is_file():
            relative = path.relative_to(project.articles_dir).as_posix()
            name = relative[: -len(path.suffix)]
            expected.append((path, name, f"articles/nl/{relative}"))
    assert found == expected
    assert "linked-folder/x" not in [name for _, name, _ in found]
    assert "link" in [name for _, name, _ in found]


def test_no_articles_folder_means_no_articles(tmp_path: Path) -> None:
    project = load_project(make(tmp_path, 'source_language = "nl"\nlanguages = ["en"]\n'))
    (tmp_path / "articles" / "nl").rmdir()
    assert list(project.articles()) == []
