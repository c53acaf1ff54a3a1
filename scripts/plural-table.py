"""Write src/locpipe/plural_table.py: the Plural-Forms of every language locpipe can name.

Run it only to change the table on purpose (see "Plural forms" in the README).  It asks the
installed GNU ``msginit`` for gettext's conventional rule of every language babel knows, and
takes babel's CLDR rule for the languages gettext's table lacks.  A CLDR category that only
compact numbers select (operands ``e`` and ``c``: "1,2 mln") is left out, because a gettext
count is always an integer written in full; babel 2.19 began to give it a form of its own.

    .venv/bin/python scripts/plural-table.py > src/locpipe/plural_table.py
    .venv/bin/ruff format src/locpipe/plural_table.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import babel
from babel import Locale
from babel.localedata import locale_identifiers
from babel.messages.plurals import get_plural
from babel.plural import PluralRule, to_gettext

TEMPLATE = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def gettext_rule(code: str, template: Path) -> str | None:
    """The Plural-Forms msginit writes for ``code``, or None when its table lacks the language."""
    result = subprocess.run(
        ["msginit", "--no-translator", "-l", code, "-i", str(template), "-o", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    text = result.stdout.replace('"\n"', "")
    match = re.search(r"Plural-Forms: (.*?)\\n", text)
    return match.group(1) if match else None


def cldr_rule(code: str) -> str:
    """CLDR's rule for ``code`` in gettext's syntax, without the compact-number categories."""
    rules = Locale.parse(code).plural_form.rules
    integer = {tag: rule for tag, rule in rules.items() if not re.search(r"\b[ec]\b", rule)}
    if integer == rules:
        return str(get_plural(code))
    return to_gettext(PluralRule(integer))


def main() -> None:
    identifiers = [code for code in locale_identifiers() if code.count("_") <= 1]
    version = subprocess.run(
        ["msginit", "--version"], capture_output=True, text=True, check=True
    ).stdout.split("\n")[0]
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "t.pot"
        template.write_text(TEMPLATE, encoding="utf-8")
        gettext = {code: rule for code in identifiers if (rule := gettext_rule(code, template))}
    # A regional rule is kept only where it differs from its language's.
    gettext = {
        code: rule
        for code, rule in gettext.items()
        if "_" not in code or gettext.get(code.split("_")[0]) != rule
    }
    known = {code.split("_")[0] for code in gettext}
    cldr: dict[str, str] = {}
    for code in identifiers:
        if code.split("_")[0] in known:
            continue
        rule = cldr_rule(code)
        if "_" not in code or cldr.get(code.split("_")[0]) != rule:
            cldr[code] = rule
    out = sys.stdout
    out.write(f'"""Plural-Forms by language: {version}\'s table, then CLDR through babel ')
    out.write(f"{babel.__version__}.\n\nWritten by scripts/plural-table.py; do not edit by hand.\n")
    out.write('"""\n\n')
    for name, table, origin in (
        ("GETTEXT", gettext, "GNU gettext's conventional rules, as msginit writes them"),
        ("CLDR", cldr, "CLDR's rules for the languages gettext's table lacks"),
    ):
        out.write(f"# {origin}.\n{name}: dict[str, str] = {{\n")
        for code in sorted(table):
            out.write(f"    {code!r}: {table[code]!r},\n")
        out.write("}\n\n")


if __name__ == "__main__":
    main()
