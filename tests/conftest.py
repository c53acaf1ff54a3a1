"""Shared fixtures: a project folder in tmp_path holding the seed article, and a
LibreTranslate-compatible server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .libre_server import LibreServer

# Property tests run 100 examples each by default (pyproject.toml selects the "ci" profile),
# the same examples on every run, so that a red CI always means a change broke something;
# `./scripts/test --hypothesis-profile=deep` runs 2,000 fresh ones each, for a nightly or
# on-demand run that looks for what nobody has found yet.  Neither has a deadline: the
# tests never judge speed (bench/ does), and a loaded machine must not fail them.
settings.register_profile("ci", max_examples=100, derandomize=True, deadline=None)
settings.register_profile(
    "deep", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "articles" / "nl" / "atacms.txt"
GLOSSARY = REPO / "glossary" / "terms.csv"


def write_project(
    root: Path, languages: tuple[str, ...] = ("en", "de"), *, engine: str = "apertium"
) -> Path:
    """A minimal project: locpipe.toml and an empty articles folder.

    Its engine is local (apertium) so that no test ever reaches an online service.
    """
    listed = ", ".join(f'"{code}"' for code in languages)
    (root / "articles" / "nl").mkdir(parents=True, exist_ok=True)
    (root / "locpipe.toml").write_text(
        f'source_language = "nl"\nlanguages = [{listed}]\n\n[pretranslate]\nengine = "{engine}"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project in tmp_path with the seed article as articles/nl/atacms.txt."""
    root = write_project(tmp_path / "project")
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    return root


def write_libre_project(
    root: Path,
    url: str,
    languages: tuple[str, ...] = ("en", "de", "af"),
    *,
    glossary: bool = True,
    **pretranslate: float,
) -> Path:
    """A project with the seed article whose engine is the LibreTranslate server at ``url``.

    ``glossary`` copies the repository's glossary in (its columns name en, de and af, hence
    the languages).  Backoff and timeout are small so that fault tests are fast; other
    ``[pretranslate]`` settings (``workers``, ``retries``) can be given.
    """
    settings = {"backoff": 0.01, "timeout": 0.5, **pretranslate}
    listed = ", ".join(f'"{code}"' for code in languages)
    lines = [
        'source_language = "nl"',
        f"languages = [{listed}]",
        "",
        "[pretranslate]",
        'engine = "libre"',
        *(f"{key} = {value!r}" for key, value in settings.items()),
        "",
        "[engine.libre]",
        f'url = "{url}"',
    ]
    (root / "articles" / "nl").mkdir(parents=True, exist_ok=True)
    (root / "locpipe.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    if glossary:
        (root / "glossary").mkdir(exist_ok=True)
        shutil.copy(GLOSSARY, root / "glossary" / "terms.csv")
    return root


def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def libre_session() -> Iterator[LibreServer]:
    """One LibreTranslate-compatible server on 127.0.0.1 for the whole run."""
    server = LibreServer()
    yield server
    server.close()


@pytest.fixture
def libre(libre_session: LibreServer, monkeypatch: pytest.MonkeyPatch) -> LibreServer:
    """The server with its counters, faults and settings reset, and no request in flight."""
    state = libre_session.state
    state.reset()  # also wakes handlers still sleeping out an earlier "timeout" fault
    deadline = time.monotonic() + 5
    while state.active and time.monotonic() < deadline:
        time.sleep(0.01)
    state.max_active = 0
    # A proxy configured in the environment must not see loopback requests.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return libre_session


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    """Every file under a folder with its bytes, to prove a command changed nothing."""

    def take(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    return take


_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def no_network_but_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach an online service: any address off this machine is refused."""
    import socket

    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if (
            isinstance(host, str)
            and not host.startswith(_LOOPBACK)
            and self.family != socket.AF_UNIX
        ):
            raise ConnectionRefusedError(f"tests may not connect to {host}")
        real_connect(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and not host.startswith(_LOOPBACK):
            raise socket.gaierror(f"tests may not resolve {host}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def run_msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    """The real GNU ``msgfmt --check`` on a PO or POT file."""
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def assert_msgfmt_clean(path: Path) -> None:
    """msgfmt accepts the file without a single warning."""
    done = run_msgfmt(path)
    assert done.returncode == 0 and done.stderr == "", f"{path}: {done.stderr}"


APERTIUM_INSTALL = "apt-get install apertium apertium-afr-nld (scripts/test does it as root)"


def apertium_has_nld_afr() -> bool:
    executable = shutil.which("apertium")
    if executable is None:
        return False
    listed = subprocess.run([executable, "-l"], capture_output=True, text=True, timeout=30)
    return "nld-afr" in listed.stdout.split()


@pytest.fixture
def apertium() -> None:
    available = apertium_has_nld_afr()
    if os.environ.get("CI"):
        assert available, f"apertium or its nld-afr mode is missing: {APERTIUM_INSTALL}"
    elif not available:
        pytest.skip(f"apertium or its nld-afr mode is missing: {APERTIUM_INSTALL}")
