"""The Python API as a batch job uses it: a short script runs the example project with an
engine passed in, and the results say what happened."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from locpipe import load_project, run_project
from locpipe.engines.fake import FakeEngine
from locpipe.results import Status

from .conftest import REPO

SCRIPT = """
import json, sys

from locpipe import load_project, run_project
from locpipe.engines.fake import FakeEngine

project = load_project(sys.argv[1])
engine = FakeEngine(lambda text: "(af) " + text)
result = run_project(project, ["af"], engine=engine)
print(json.dumps({
    "exit_code": result.exit_code,
    "sent": len(engine.sent),
    "machine": result.pretranslated.languages[0].machine,
    "written": [o.path for o in result.built.outcomes if o.status == "written"],
}))
sys.exit(result.exit_code)
"""


def example_without_afrikaans(root: Path) -> Path:
    """The repository's example project, with its Afrikaans catalogs and articles removed."""
    for name in ("articles", "glossary", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "locpipe.toml", root / "locpipe.toml")
    shutil.rmtree(root / "locales/af")
    shutil.rmtree(root / "articles/af")
    return root


def test_a_short_script_runs_the_example_with_a_fake_engine(tmp_path: Path) -> None:
    root = example_without_afrikaans(tmp_path / "example")
    script = tmp_path / "nightly.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["machine"] >= report["sent"] > 0  # a text in two articles is sent once
    assert report["written"] == ["articles/af/atacms.txt", "articles/af/uitleg/atacms.md"]
    published = (root / "articles/af/atacms.txt").read_text(encoding="utf-8")
    assert published.startswith("(af) ") and "ATACMS" in published
    assert (root / "articles/en/atacms.txt").read_bytes() == (
        REPO / "articles/en/atacms.txt"
    ).read_bytes()


def test_a_second_run_sends_nothing_and_changes_nothing(tmp_path: Path) -> None:
    root = example_without_afrikaans(tmp_path / "example")
    project = load_project(root)
    first = run_project(project, engine=FakeEngine(lambda text: "(af) " + text))
    assert first.exit_code == 0
    engine = FakeEngine({})  # any text sent would be a LookupError
    again = run_project(project, engine=engine)
    assert engine.sent == [] and again.exit_code == 0
    assert {o.status for o in again.extracted.outcomes + again.built.outcomes} == {Status.UNCHANGED}
