"""The real apertium engine (Debian's apertium-afr-nld) on the seed, for Afrikaans.

CI installs apertium, so there the test must run: it is skipped only where the binary or
the nld-afr mode is missing, and never when the CI environment variable is set.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
from click.testing import CliRunner

from locpipe import catalog
from locpipe.cli import main
from locpipe.model import EntryState

from .conftest import GLOSSARY, SEED, write_project

# Apertium marks a word it does not know with *, # or @ in front of it.
UNKNOWN_WORD = re.compile(r"[*#@]\w")


def test_run_translates_the_seed_to_afrikaans_keeping_the_glossary(
    apertium: None, tmp_path: Path
) -> None:
    root = write_project(tmp_path, ("en", "de", "af"), engine="apertium")
    shutil.copy(SEED, root / "articles/nl/atacms.txt")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary/terms.csv")

    result = CliRunner().invoke(main, ["run", "--project", str(root), "--lang", "af"])
    assert result.exit_code == 0, result.output
    assert "pretranslate af (apertium): 27 entries" in result.stdout

    po_path = root / "locales/af/atacms.po"
    po = polib.pofile(str(po_path))
    machine = [entry for entry in po if catalog.entry_state(entry) is EntryState.MACHINE]
    assert len(machine) >= 0.9 * len(po)
    for entry in po:
        assert not UNKNOWN_WORD.search(entry.msgstr), entry.msgstr
        for term in ("ATACMS", "Storm Shadow", "Kyiv", "Koersk", "Poetin"):
            if term in entry.msgid:
                assert term in entry.msgstr, (term, entry.msgstr)
    done = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr

    article = (root / "articles/af/atacms.txt").read_text(encoding="utf-8")
    source = SEED.read_text(encoding="utf-8")
    for term in ("ATACMS", "Storm Shadow", "Kyiv"):
        assert article.count(term) == source.count(term), term
    assert "Kiev" not in article and "Atacms" not in article
