"""Apertium: local, offline, rule-based; the example project's engine for Afrikaans.

Measured on Debian's apertium-afr-nld: ``-u`` does not remove the unknown-word marks
(``*``, ``#``, ``@`` before a word), so we remove them; in ``-f html`` mode the content of
``<apertium-notrans>`` is copied verbatim while ``translate="no"`` is ignored.  To tell a
mark from a real ``*``/``#``/``@`` in the text, those characters are sent inside
``<apertium-notrans>`` too: every one left outside it afterwards is a mark.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import EngineRejected, EngineUnavailable
from . import Engine, EngineOutput, Protection, with_settings

NOTRANS_OPEN, NOTRANS_CLOSE = "<apertium-notrans>", "</apertium-notrans>"
# A separator apertium treats as formatting and copies exactly; it lets one process
# translate a whole batch.
_SEPARATOR = '<hr class="locpipe-separator">'
_MARKED = re.compile(r"[*#@](?=\w)")
_MARK_CHARS = re.compile(r"[*#@]+")
_NOTRANS = re.compile(f"({re.escape(NOTRANS_OPEN)}.*?{re.escape(NOTRANS_CLOSE)})", re.S)
# ISO 639-1 -> the ISO 639-3 codes apertium's mode names use.
_ISO3 = {"nl": "nld", "af": "afr", "en": "eng", "de": "deu", "es": "spa", "fr": "fra"}


class ApertiumEngine(Engine):
    """``apertium -u -f html <pair>`` on a batch of texts, one process per batch."""

    name = "apertium"
    protection = Protection(markup=True, open=NOTRANS_OPEN, close=NOTRANS_CLOSE)
    max_batch = 200
    max_chars = 200_000
    requests_per_second = 1000.0
    setting_types = with_settings(command=str)  # the apertium executable

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        executable = shutil.which(str(self.settings.get("command") or "apertium"))
        if executable is None:
            raise EngineRejected(
                "apertium: not installed (Debian: apt-get install apertium apertium-afr-nld)"
            )
        pair = f"{_ISO3.get(self.code(source), source)}-{_ISO3.get(self.code(target), target)}"
        if not self._has_pair(executable, pair):
            raise EngineRejected(f"apertium: no language pair {pair} installed")
        marked = [
            _MARK_CHARS.sub(lambda m: f"{NOTRANS_OPEN}{m.group()}{NOTRANS_CLOSE}", text)
            for text in texts
        ]
        joined = f"\n{_SEPARATOR}\n".join(marked)
        try:
            done = subprocess.run(
                [executable, "-u", "-f", "html", pair],
                input=joined,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise EngineUnavailable(f"apertium: no answer within {self.timeout:g} s") from exc
        if done.returncode != 0:
            detail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise EngineRejected(f"apertium {pair}: {detail[0]}")
        pieces = done.stdout.split(_SEPARATOR)
        if len(pieces) != len(texts):
            raise EngineUnavailable(f"apertium {pair}: output did not keep the batch apart")
        return [_signalled(piece.strip("\n")) for piece in pieces]

    def _has_pair(self, executable: str, pair: str) -> bool:
        """Whether the pair's mode file is installed (``apertium -l`` lists them)."""
        try:
            listed = subprocess.run(
                [executable, "-l"], capture_output=True, text=True, timeout=self.timeout
            ).stdout.split()
        except (OSError, subprocess.TimeoutExpired):
            listed = []
        return pair in listed or any(
            (Path(folder) / f"{pair}.mode").exists()
            for folder in ("/usr/share/apertium/modes", "/usr/local/share/apertium/modes")
        )


def _signalled(text: str) -> EngineOutput:
    """The output without its marks, noting how many words apertium did not know.

    >>> out = _signalled("*Oekraïense troepe by @Koersk")
    >>> str(out), out.note, out.uncertain
    ('Oekraïense troepe by Koersk', '2 words unknown to apertium', True)
    """
    unknown = sum(
        len(_MARKED.findall(part))
        for part in _NOTRANS.split(text)
        if not part.startswith(NOTRANS_OPEN)
    )
    note = f"{unknown} word{'s' * (unknown != 1)} unknown to apertium" if unknown else ""
    return EngineOutput(_unmark(text), note=note, uncertain=bool(unknown))


def _unmark(text: str) -> str:
    """Remove unknown-word marks outside notrans spans, then unwrap the real characters.

    >>> _unmark("*Oekraïense <apertium-notrans>#</apertium-notrans>1 @Koersk")
    'Oekraïense #1 Koersk'
    """
    out = []
    for part in _NOTRANS.split(text):
        if not part.startswith(NOTRANS_OPEN):
            out.append(_MARKED.sub("", part))
        elif _MARK_CHARS.fullmatch(inner := part[len(NOTRANS_OPEN) : -len(NOTRANS_CLOSE)]):
            out.append(inner)
        else:
            out.append(part)  # a glossary term: restored by the caller
    return "".join(out)
