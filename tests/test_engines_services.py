"""google, mymemory, deepl and microsoft over real HTTP on loopback, and no global touched.

Each engine is pointed by its ``url`` setting at ``tests/service_server.py``, which speaks
the service's protocol; deepl goes through the official ``deepl`` client.  Every test ends
by checking that the process looks as it did before: no socket default timeout, deepl's
module settings as the package ships them.
"""

from __future__ import annotations

import platform
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
import requests

from locpipe import api, load_project
from locpipe.engines import Engine, EngineOutput, create_engine
from locpipe.engines.dispatch import RetryPolicy, dispatch
from locpipe.errors import EngineRejected, EngineUnavailable, EngineUnreachable

from .conftest import closed_port_url
from .service_server import ServiceServer

ENGINES = ("google", "mymemory", "deepl", "microsoft")
PATHS = {"google": "/m", "mymemory": "/get", "deepl": "", "microsoft": ""}
SECRET = "Geheim: de minister treedt morgen af"


def process_globals() -> dict[str, object]:
    """What an engine must leave as it found it."""
    import deepl

    return {
        "socket default timeout": socket.getdefaulttimeout(),
        "requests.request": requests.request,
        "requests.get": requests.get,
        **{
            f"deepl.http_client.{name}": getattr(deepl.http_client, name)
            for name in ("max_network_retries", "min_connection_timeout", "user_agent")
        },
    }


@pytest.fixture(scope="module")
def services_module() -> Iterator[ServiceServer]:
    server = ServiceServer()
    yield server
    server.close()


@pytest.fixture
def services(
    services_module: ServiceServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServiceServer]:
    """The server reset, keys in the environment, and the globals checked afterwards."""
    services_module.state.reset()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("DEEPL_AUTH_KEY", "test-key:fx")
    monkeypatch.setenv("MICROSOFT_TRANSLATOR_KEY", "test-key")
    before = process_globals()
    yield services_module
    assert process_globals() == before


def engine(name: str, url: str, *, timeout: float = 0.5, **settings: object) -> Engine:
    """The real engine ``name`` talking to ``url`` (the server, or a closed port)."""
    return create_engine(name, {"url": url + PATHS[name], **settings}, timeout=timeout)


@pytest.mark.parametrize("name", ENGINES)
def test_each_engine_translates_over_its_protocol(services: ServiceServer, name: str) -> None:
    translated = engine(name, services.url).translate(["De oorlog", "Geen steun"], "nl", "en")
    assert translated == ["The war", "No support"]
    # The keyless web services are asked one text at a time, the APIs a batch at once.
    assert len(services.state.requests) == (2 if name in ("google", "mymemory") else 1)


@pytest.mark.parametrize("name", ENGINES)
def test_the_engines_timeout_bounds_a_request_without_a_process_default(
    services: ServiceServer, name: str
) -> None:
    assert socket.getdefaulttimeout() is None
    services.state.faults.append("timeout")
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"within 0\.3 s"):
        engine(name, services.url, timeout=0.3).translate(["De oorlog"], "nl", "en")
    assert time.monotonic() - started < 1.5  # the server would have kept it 2 s
    assert len(services.state.requests) == 1  # and nobody retried behind our back


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("fault", ["429", "500", "503", "drop"])
def test_transient_faults_are_unavailable_and_sent_once(
    services: ServiceServer, name: str, fault: str
) -> None:
    services.state.faults.append(fault)
    with pytest.raises(EngineUnavailable) as caught:
        engine(name, services.url).translate([SECRET], "nl", "en")
    assert not isinstance(caught.value, EngineUnreachable)
    assert "minister" not in str(caught.value)
    assert len(services.state.requests) == 1


@pytest.mark.parametrize("name", ENGINES)
def test_a_closed_port_is_unreachable(services: ServiceServer, name: str) -> None:
    with pytest.raises(EngineUnreachable) as caught:
        engine(name, closed_port_url().rstrip("/")).translate([SECRET], "nl", "en")
    assert "minister" not in str(caught.value)


@pytest.mark.parametrize("name", ["deepl", "microsoft"])
def test_a_refused_key_is_rejected(services: ServiceServer, name: str) -> None:
    services.state.faults.append("403")
    with pytest.raises(EngineRejected, match="key"):
        engine(name, services.url).translate(["De oorlog"], "nl", "en")


def test_dispatch_retries_the_web_services_faults(services: ServiceServer) -> None:
    services.state.faults.extend(["503", "429", "timeout"])
    sources = ["De oorlog", "Geen steun", "Nieuwe raketten"]
    google = engine("google", services.url, timeout=0.3, requests_per_second=1000)
    result = dispatch(
        google,
        sources,
        source="nl",
        target="en",
        workers=1,
        policy=RetryPolicy(retries=4, backoff=0.01),
    )
    assert result.error is None and result.retries == 3
    assert result.translations["Nieuwe raketten"] == "New missiles"


def test_google_sends_the_pair_and_reads_the_result_element(services: ServiceServer) -> None:
    assert engine("google", services.url).translate(["Tekort aan {0}"], "nl", "en") == [
        "Shortage to {0}"
    ]
    sent = services.state.requests[0].query
    assert (sent["sl"], sent["tl"], sent["q"]) == (["nl"], ["en"], ["Tekort aan {0}"])


def test_google_without_a_result_in_its_page_is_rejected(services: ServiceServer) -> None:
    services.state.faults.append("empty")
    with pytest.raises(EngineRejected, match="no translation in its page"):
        engine("google", services.url).translate(["De oorlog"], "nl", "en")


@pytest.mark.parametrize("name", ["google", "mymemory"])
def test_an_unknown_language_is_rejected_before_any_request(
    services: ServiceServer, name: str
) -> None:
    with pytest.raises(EngineRejected, match="language pair nl-qqq not supported"):
        engine(name, services.url).translate(["De oorlog"], "nl", "qqq")
    assert services.state.requests == []


def test_mymemory_sends_locales_and_reads_the_status_in_its_body(
    services: ServiceServer,
) -> None:
    engine("mymemory", services.url).translate(["De oorlog"], "nl", "de")
    assert services.state.requests[0].query["langpair"] == ["nl-NL|de-DE"]
    services.state.faults.append("status-403")
    with pytest.raises(EngineRejected, match="refused the request"):
        engine("mymemory", services.url).translate(["De oorlog"], "nl", "en")
    services.state.faults.append("empty")
    with pytest.raises(EngineUnavailable, match="malformed"):
        engine("mymemory", services.url).translate(["De oorlog"], "nl", "en")


def test_deepl_sends_the_key_as_a_header_and_no_platform(services: ServiceServer) -> None:
    translated = engine("deepl", services.url).translate(["Steun voor <x>ATACMS</x>"], "nl", "en")
    assert translated == ["Support for <x>ATACMS</x>"]
    request = services.state.requests[0]
    assert request.headers["Authorization"] == "DeepL-Auth-Key test-key:fx"
    assert platform.platform() not in request.headers["User-Agent"]
    assert request.body["target_lang"] == "EN-GB" and request.body["ignore_tags"] == ["x"]
    assert "test-key" not in request.path and not request.query


def test_microsoft_sends_the_region_when_configured(services: ServiceServer) -> None:
    engine("microsoft", services.url, region="westeurope").translate(["De oorlog"], "nl", "en")
    request = services.state.requests[0]
    assert request.headers["Ocp-Apim-Subscription-Region"] == "westeurope"
    assert request.query["api-version"] == ["3.0"] and request.query["textType"] == ["html"]


def test_deepl_applies_agreed_translations_through_a_glossary_of_the_pair(
    services: ServiceServer, tmp_path: Path
) -> None:
    """Agreed translations are left in the text for a DeepL glossary made from them, made
    once, reused, and replaced when the glossary file changes; keep terms stay in <x>."""
    root = tmp_path / "p"
    (root / "articles/nl").mkdir(parents=True)
    (root / "articles/nl/a.txt").write_text(
        "Poetins reactie\n\nKyiv en Poetin zwijgen over ATACMS.\n", encoding="utf-8"
    )
    (root / "glossary").mkdir()
    terms = root / "glossary/terms.csv"
    terms.write_text(
        "term,rule,en,note\nPoetin,translate,Putin,\nKyiv,keep,,\nATACMS,keep,,\n",
        encoding="utf-8",
    )
    (root / "locpipe.toml").write_text(
        'source_language = "nl"\nlanguages = ["en"]\n\n[pretranslate]\nengine = "deepl"\n'
        f'\n[engine.deepl]\nurl = "{services.url}"\nrequests_per_second = 1000\n',
        encoding="utf-8",
    )
    project = load_project(root)
    api.extract(project)
    result = api.pretranslate(project)
    assert result.exit_code == 0 and result.languages[0].machine == 2
    (glossary,) = services.state.glossaries.values()
    assert glossary["entries"] == {"Poetin": "Putin"}
    assert (glossary["source_lang"], glossary["target_lang"]) == ("NL", "EN")
    sent = [
        text
        for r in services.state.requests
        if r.path == "/v2/translate"
        for text in r.body["text"]
    ]
    assert any("Poetin" in text for text in sent)  # left for the glossary, not masked
    assert all("<x>Kyiv</x>" in text for text in sent if "Kyiv" in text)
    po = polib.pofile(str(root / "locales/en/a.po"))
    # The fixture's dictionary lacks these words; the glossary did its part.
    assert {e.msgstr for e in po} == {"Putin's reactie", "Kyiv and Putin zwijgen over ATACMS."}

    # A changed glossary file gets a new DeepL glossary; the old one is deleted.
    terms.write_text(terms.read_text(encoding="utf-8").replace("Putin,", "Poutine,"), "utf-8")
    (root / "articles/nl/a.txt").write_text("Poetin zwijgt.\n", encoding="utf-8")
    api.extract(project)
    api.pretranslate(project)
    (replaced,) = services.state.glossaries.values()
    assert replaced["entries"] == {"Poetin": "Poutine"}


def test_mymemory_notes_a_memory_match_below_100_percent(services: ServiceServer) -> None:
    services.state.faults.append("match-0.82")
    [out] = engine("mymemory", services.url).translate(["De oorlog"], "nl", "en")
    assert out == "The war"
    assert isinstance(out, EngineOutput) and out.uncertain
    assert out.note == "MyMemory match 82%"
    [exact] = engine("mymemory", services.url).translate(["De oorlog"], "nl", "en")
    assert not isinstance(exact, EngineOutput)
