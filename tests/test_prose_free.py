"""Articles with nothing to translate: a Hugo section's ``_index.md`` that is only front
matter, an empty file.  They get no catalog, every localized tree gets them as they are,
and the run exits 0; the project's own front matter keys come from ``[markdown]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from locpipe import api
from locpipe.cli import main
from locpipe.engines.fake import FakeEngine
from locpipe.errors import ConfigError
from locpipe.project import load_project
from locpipe.results import EXIT_OK, Status

from .conftest import write_project

# A Hugo site's content, as its sections hold it: _index.md files of front matter alone,
# in each of Hugo's three formats, beside articles with prose.
TREE = {
    "_index.md": '+++\nweight = 1\ntype = "home"\n[cascade]\nbanner = "zon.jpg"\n+++\n',
    "blog/_index.md": "---\nlayout: list\nweight: 2\n---\n",
    "over/_index.md": '{\n  "weight": 3,\n  "menu": "main"\n}\n',
    "blog/leeg.md": "",
    "blog/bericht.md": "---\ntitle: Een bericht\ndate: 2024-03-12\n---\n\nDe eerste zin.\n",
    "over/team.md": '+++\ntitle = "Het team"\n+++\n\nWie wij zijn.\n',
}
PROSE_FREE = ("_index", "blog/_index", "over/_index", "blog/leeg")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "site")
    # The site's own configuration: locpipe reads the articles as Hugo does.
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for name, text in TREE.items():
        path = root / "articles" / "nl" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def engine() -> FakeEngine:
    return FakeEngine(lambda text: f"EN {text}")


def test_front_matter_only_files_are_copied_to_every_language_and_the_run_exits_0(
    site: Path,
) -> None:
    project = load_project(site)
    assert project.segmenting.dialect == "hugo"
    result = api.run_project(project, engine=engine())
    assert result.exit_code == EXIT_OK, [o.detail for s in result.stages for o in s.problems]

    templates = {o.article: o for o in result.extracted.outcomes if o.language is None}
    for name in PROSE_FREE:
        assert templates[name].status is Status.PROSE_FREE
        assert not (site / "locales" / "templates" / f"{name}.pot").exists()
        for language in ("en", "de"):
            assert not (site / "locales" / language / f"{name}.po").exists()
    copied = {
        (o.article, o.language) for o in result.built.outcomes if o.status is Status.PROSE_FREE
    }
    assert copied == {(name, lang) for name in PROSE_FREE for lang in ("en", "de")}

    for language in ("en", "de"):
        for name, text in TREE.items():
            built = (site / "articles" / language / name).read_text(encoding="utf-8")
            if name.replace(".md", "") in PROSE_FREE:
                assert built == text
            else:
                assert "EN " in built
        assert (
            (site / "articles" / language / "over/team.md")
            .read_text(encoding="utf-8")
            .startswith('+++\ntitle = "EN Het team"\n+++\n')
        )

    again = api.run_project(project, engine=engine())
    assert again.exit_code == EXIT_OK
    assert {o.status for o in again.built.outcomes} == {Status.UNCHANGED}


def test_stats_check_and_the_cli_treat_prose_free_articles_as_done(site: Path) -> None:
    project = load_project(site)
    api.run_project(project, engine=engine())

    stats = api.stats(project)
    assert stats.exit_code == EXIT_OK
    rows = {(r.article, r.language): r for r in stats.rows}
    assert rows["_index", "en"].prose_free and rows["_index", "en"].publishable(80)
    assert not rows["over/team", "en"].prose_free
    assert api.check(project).exit_code == EXIT_OK

    runner = CliRunner()
    shown = runner.invoke(main, ["stats", "--project", str(site)])
    assert shown.exit_code == 0
    assert "nothing to translate: build copies it as it is" in shown.output
    (site / ".locpipe" / "state.json").unlink()  # so build does every article again
    built = runner.invoke(main, ["build", "--project", str(site)])
    assert built.exit_code == 0, built.output
    assert "8 prose-free" in built.output
    payload = json.loads(
        runner.invoke(main, ["stats", "--project", str(site), "--format", "json"]).output
    )
    (english,) = [lang for lang in payload["languages"] if lang["language"] == "en"]
    index = next(a for a in english["articles"] if a["article"] == "_index")
    assert index == {"article": "_index", "catalog": None, "publishable": True, "error": None}


def test_an_article_with_a_translatable_key_is_not_prose_free(site: Path) -> None:
    (site / "locpipe.toml").write_text(
        (site / "locpipe.toml").read_text(encoding="utf-8")
        + '\n[markdown]\nfront_matter_keys = ["banner", "cascade.banner"]\n',
        encoding="utf-8",
    )
    project = load_project(site)
    assert project.segmenting.front_matter_keys == ("banner", "cascade.banner")
    result = api.extract(project)
    templates = {o.article: o.status for o in result.outcomes if o.language is None}
    assert templates["_index"] is Status.WRITTEN
    assert templates["blog/_index"] is Status.PROSE_FREE


@pytest.mark.parametrize(
    ("table", "message", "line"),
    [
        ('front_matter_keys = "title"', "front_matter_keys: must be a list of key paths", 4),
        ('front_matter_keys = ["seo description"]', "must be a list of key paths", 4),
        ('dialect_keys = ["x"]', "dialect_keys: unknown key in [markdown]", 4),
    ],
)
def test_markdown_config_errors_name_the_key_and_line(
    tmp_path: Path, table: str, message: str, line: int
) -> None:
    root = write_project(tmp_path / "p")
    config = root / "locpipe.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "\n\n[pretranslate]", "\n[markdown]\n" + table + "\n\n[pretranslate]"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert message in str(caught.value)
    assert caught.value.line == line
