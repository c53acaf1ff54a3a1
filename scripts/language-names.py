"""Write src/locpipe/language_names.py: the English name of every locale babel knows.

A new catalog's ``Language-Team`` names its language in English ("Portuguese (Brazil)").
babel answers that only after loading its whole English locale data, some 20 ms that every
``extract`` paid for one header field; the names are frozen here instead, as the plural
rules are, and change only when this script is run on purpose:

    .venv/bin/python scripts/language-names.py > src/locpipe/language_names.py
    .venv/bin/ruff format src/locpipe/language_names.py
"""

from __future__ import annotations

import sys

import babel
from babel import Locale
from babel.localedata import locale_identifiers


def main() -> None:
    names = {code: Locale.parse(code).english_name or "" for code in locale_identifiers()}
    out = sys.stdout
    out.write(f'"""English names of locales, as babel {babel.__version__} gives them.\n\n')
    out.write("Written by scripts/language-names.py; do not edit by hand.\n")
    out.write('"""\n\n')
    out.write("# By babel's locale identifier; empty where babel has no name.\n")
    out.write("NAMES: dict[str, str] = {\n")
    for code in sorted(names):
        out.write(f"    {code!r}: {names[code]!r},\n")
    out.write("}\n")


if __name__ == "__main__":
    main()
