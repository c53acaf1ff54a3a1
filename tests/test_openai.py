"""The openai engine against an OpenAI-compatible server on 127.0.0.1: the glossary in the
prompt, one translation per id, a violation named on the retry, and every glossary rule
passed on the seed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from locpipe.cli import main
from locpipe.engines import create_engine
from locpipe.provenance import read_provenance

from .conftest import GLOSSARY, SEED
from .libre_server import MANGLED
from .openai_server import OpenAIServer

KEEP = ("ATACMS", "Storm Shadow", "Kyiv")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    running = OpenAIServer()
    yield running
    running.close()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def openai_project(root: Path, url: str, **settings: object) -> Path:
    """The seed, its glossary, and the openai engine at ``url`` for every language."""
    (root / "articles/nl").mkdir(parents=True)
    shutil.copy(SEED, root / "articles/nl/atacms.txt")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary/terms.csv")
    extra = "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    (root / "locpipe.toml").write_text(
        'source_language = "nl"\nlanguages = ["en", "de", "af"]\n\n'
        '[pretranslate]\nengine = "openai"\nbackoff = 0.01\nretries = 1\ntimeout = 5\n\n'
        f'[engine.openai]\nurl = "{url}"\nmodel = "test-model"\n'
        f"requests_per_second = 1000\n{extra}",
        encoding="utf-8",
    )
    assert invoke("extract", "--project", str(root)).exit_code == 0
    return root


def test_the_seed_passes_every_glossary_rule_with_the_glossary_in_the_prompt(
    server: OpenAIServer, tmp_path: Path
) -> None:
    root = openai_project(tmp_path / "p", server.url)
    result = invoke("run", "--project", str(root), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "27 machine-translated, 0 failed verification" in result.stdout
    request = server.state.requests[0]
    assert request["model"] == "test-model"
    assert request["response_format"] == {"type": "json_object"}
    system = request["messages"][0]["content"]
    assert "from Dutch into English" in system and "Placeholders such as ⟦1⟧" in system
    items = server.state.items()
    rules = {rule for item in items for rule in item.get("glossary", ())}
    assert "ATACMS: keep as it is (Army Tactical Missile System; never spelled out)" in rules
    assert "Poetin: translate as Putin" in rules
    assert all(item.get("article_title") for item in items)
    assert any(item.get("context", "").startswith("paragraph, section: ") for item in items)
    published = (root / "articles/en/atacms.txt").read_text(encoding="utf-8")
    assert all(term in published for term in KEEP)
    assert not any(wrong in published for wrong in MANGLED.values())
    assert "Putin" in published and "Poetin" not in published


def test_a_unit_that_fails_is_asked_again_once_with_the_violation_named(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.state.mode = "sabotage"
    root = openai_project(tmp_path / "p", server.url)
    result = invoke("pretranslate", "--project", str(root), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "27 machine-translated, 0 failed verification" in result.stdout
    retried = [item for item in server.state.items() if "previous_attempt_failed" in item]
    assert retried
    assert all("was lost" in item["previous_attempt_failed"] for item in retried)
    # Only the units that failed were asked again, each once.
    texts = [item["text"] for item in retried]
    assert len(texts) == len(set(texts))
    po = polib.pofile(str(root / "locales/en/atacms.po"))
    assert all(read_provenance(entry).passed for entry in po)


@pytest.mark.parametrize("mode", ["shift", "merge", "missing", "prose"])
def test_an_answer_that_does_not_match_the_items_fills_nothing(
    server: OpenAIServer, tmp_path: Path, mode: str
) -> None:
    server.state.mode = mode
    root = openai_project(tmp_path / "p", server.url)
    result = invoke("pretranslate", "--project", str(root), "--lang", "en")
    assert result.exit_code == 1
    assert "openai: " in result.stderr and "Traceback" not in result.output
    po = polib.pofile(str(root / "locales/en/atacms.po"))
    assert not any(entry.msgstr for entry in po)  # nothing shifted into the wrong entry


def test_settings_are_checked_key_by_key(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "articles/nl").mkdir(parents=True)
    (root / "locpipe.toml").write_text(
        'source_language = "nl"\nlanguages = ["en"]\n\n[engine.openai]\nurl = "http://x"\n',
        encoding="utf-8",
    )
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 2
    assert "engine.openai.model: required" in result.stderr
    with pytest.raises(Exception, match="temperature: must be between 0 and 2"):
        create_engine("openai", {"model": "m", "temperature": 3})


def test_the_key_goes_in_a_header_from_the_environment_only(
    server: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCPIPE_TEST_OPENAI_KEY", "sk-test-123")
    engine = create_engine(
        "openai",
        {"url": server.url, "model": "m", "api_key_env": "LOCPIPE_TEST_OPENAI_KEY"},
        timeout=5,
    )
    assert engine.translate(["De oorlog"], "nl", "en") == ["The war"]
    assert "sk-test-123" not in json.dumps(server.state.requests)
