"""Engines from configuration: one registry, one factory, settings checked key by key.

Every mistake in an ``[engine.<name>]`` table or in ``[pretranslate]`` is one
``locpipe.toml:LINE: key: message`` error at load time, exit status 2 through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from locpipe.cli import main
from locpipe.engines import (
    ENGINES,
    check_name,
    check_settings,
    create_engine,
    engine_class,
    engine_for,
)
from locpipe.engines.libre import LibreEngine
from locpipe.errors import ConfigError
from locpipe.project import load_project

HEAD = 'source_language = "nl"\nlanguages = ["en", "af"]\n'


def make(root: Path, body: str) -> Path:
    """A project whose locpipe.toml is HEAD (two lines) followed by ``body``."""
    (root / "articles" / "nl").mkdir(parents=True, exist_ok=True)
    (root / "locpipe.toml").write_text(HEAD + body, encoding="utf-8")
    return root


# (body after the two-line head, what the error says, its line)
MISTAKES = [
    ('[engine.libre]\nurl = "http://x/"\ncolour = "red"\n', "engine.libre.colour: unknown", 5),
    ('[engine.libre]\nrequests_per_second = "fast"\n', "must be a number, not a string", 4),
    ("[engine.libre]\nrequests_per_second = nan\n", "must be a finite number", 4),
    ("[engine.libre]\nrequests_per_second = inf\n", "must be a finite number", 4),
    ("[engine.libre]\nrequests_per_second = 0\n", "must be a positive number", 4),
    ("[engine.libre]\nrequests_per_second = -2.5\n", "must be a positive number", 4),
    ("[engine.libre]\nrequests_per_second = true\n", "not a boolean", 4),
    ("[engine.deepl]\napi_key_env = 42\n", "engine.deepl.api_key_env: must be a string", 4),
    ('[engine.deepl]\napi_key_env = "abc-123:fx"\n', "name of an environment variable", 4),
    ('[engine.deepl]\napi_key_env = ""\n', "must not be empty", 4),
    ('[engine.microsoft]\nregion = ["westeurope"]\n', "engine.microsoft.region: must be a", 4),
    ('[engine.libre]\nurl = "localhost:5000"\n', "must be an http:// or https:// URL", 4),
    ('[engine.apertium]\nurl = "http://x/"\n', "unknown setting for apertium", 4),
    ('[engine.google]\napi_key_env = "KEY"\n', "unknown setting for google", 4),
    ('\n[engine.babelfish]\nurl = "http://x/"\n', "engine.babelfish: unknown engine", 4),
    ("[engine]\nlibre = 3\n", "engine.libre: must be a table", 4),
    ("[engine]\nlibre = { requests_per_second = nan }\n", "finite", 4),
    ('[engine.libre]\n"requests_per_second" = -1\n', "positive", 4),
    # Settings of one table are found in that table, not in an earlier one.
    ("[pretranslate]\ntimeout = 5\n[engine.apertium]\ntimeout = 5\n", "apertium.timeout", 6),
    # [pretranslate] numbers
    ("[pretranslate]\ntimeout = nan\n", "timeout: must be a finite number", 4),
    ("[pretranslate]\nbackoff = inf\n", "backoff: must be a finite number", 4),
    ("[pretranslate]\nfuzzy_threshold = -inf\n", "fuzzy_threshold: must be a finite", 4),
    ('[pretranslate]\ntimeout = "30"\n', "timeout: has the wrong type (str)", 4),
    ('[pretranslate]\nengine = "babelfish"\n', "engine: unknown engine 'babelfish'", 4),
    ('[pretranslate]\nengines = { af = "babelfish" }\n', "engines: unknown engine", 4),
    # [check] numbers, found in their table
    ("[pretranslate]\nworkers = 2\n[check]\nmin_length = nan\n", "min_length: must be a finite", 6),
    ("[check]\nmax_length_ratio = inf\n", "max_length_ratio: must be a finite number", 4),
]


@pytest.mark.parametrize(("body", "message", "line"), MISTAKES)
def test_load_project_names_file_line_and_key(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    root = make(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert message in str(caught.value)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{(root / 'locpipe.toml').resolve().as_posix()}:{line}: ")


@pytest.mark.parametrize(("body", "message", "line"), MISTAKES)
def test_the_cli_reports_one_line_and_exits_2(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    root = make(tmp_path, body)
    result = CliRunner().invoke(main, ["pretranslate", "--project", str(root), "--dry-run"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1
    assert f"locpipe.toml:{line}: " in result.stderr and message in result.stderr


def test_a_key_pasted_into_api_key_env_is_not_repeated(tmp_path: Path) -> None:
    root = make(tmp_path, '[engine.deepl]\napi_key_env = "0f1e2d3c-aaaa-bbbb:fx"\n')
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert "0f1e2d3c" not in str(caught.value)


def test_good_settings_load_and_reach_the_engine(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        "[pretranslate]\n"
        'engine = "libre"\n'
        'engines = { af = "apertium" }\n'
        "timeout = 7\n"
        "\n"
        "[engine.libre]\n"
        'url = "http://127.0.0.1:5000/"\n'
        'api_key_env = "LIBRE_KEY"\n'
        "requests_per_second = 2.5\n"
        "\n"
        "[engine.apertium]\n"
        'command = "/usr/bin/apertium"\n',
    )
    project = load_project(root)
    engine = engine_for(project, "en")
    assert isinstance(engine, LibreEngine)
    assert engine.timeout == 7.0 and engine.rate == 2.5
    assert engine.settings["url"] == "http://127.0.0.1:5000/"
    assert engine_for(project, "af").name == "apertium"
    assert engine_for(project, "af").settings == {"command": "/usr/bin/apertium"}
    assert engine_for(project, "af", override="libre").name == "libre"


def test_engine_for_refuses_an_unknown_override(tmp_path: Path) -> None:
    project = load_project(make(tmp_path, ""))
    with pytest.raises(ConfigError, match="unknown engine 'babelfish'"):
        engine_for(project, "en", override="babelfish")


def test_every_registered_engine_is_created_and_declares_its_settings() -> None:
    for name in ENGINES:
        required = {key: "x" for key in engine_class(name).required_settings}
        engine = create_engine(name, required)
        assert engine.name == name == engine_class(name).name
        assert "requests_per_second" in engine.setting_types
        # Every key the engine reads is one it declares (api_key_env only where keys are).
        keyed = ("libre", "deepl", "microsoft", "openai")
        assert ("api_key_env" in engine.setting_types) == (name in keyed)


def test_the_factory_checks_settings_given_in_code() -> None:
    with pytest.raises(ConfigError, match=r"^engine\.libre\.timeout: unknown setting"):
        create_engine("libre", {"timeout": 3})
    with pytest.raises(ConfigError, match="unknown engine 'fake'"):
        create_engine("fake", {})


def test_check_name_and_check_settings_take_a_fail() -> None:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"<{key}> {message}", path="x.toml", line=9)

    with pytest.raises(ConfigError) as caught:
        check_name("nope", key="--engine", fail=fail)
    assert str(caught.value).startswith("x.toml:9: <--engine> unknown engine 'nope'")
    with pytest.raises(ConfigError, match=r"^x\.toml:9: <url> must be"):
        check_settings("libre", {"url": 5}, fail=fail)
    assert check_name("deepl") == "deepl"
