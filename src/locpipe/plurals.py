"""The Plural-Forms header a new catalog gets, from a table that only changes on purpose.

GNU gettext's conventional rules come first: ``msgfmt`` and PO editors judge plural forms by
them.  Languages gettext's table lacks take CLDR's rule, frozen in :mod:`plural_table` when it
was written, so that a babel release cannot change what locpipe writes.
"""

from __future__ import annotations

from .languages import base_language, language_key
from .plural_table import CLDR, GETTEXT

# What gettext's own documentation gives as the rule of a language it knows nothing about.
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def plural_forms(language: str) -> str:
    """The Plural-Forms of ``language`` (a tag such as ``pt-BR`` or ``pt_BR``).

    >>> plural_forms("pt-BR") == GETTEXT["pt_BR"]
    True
    >>> plural_forms("pt_PT") == GETTEXT["pt"]
    True
    >>> plural_forms("af") == CLDR["af"]
    True
    >>> plural_forms("tlh") == DEFAULT_PLURAL_FORMS
    True
    >>> plural_forms("pt-br") == GETTEXT["pt_BR"]
    True
    """
    code, base = language_key(language), base_language(language)
    for table in (_GETTEXT, _CLDR):
        rule = table.get(code) or table.get(base)
        if rule:
            return rule
    return DEFAULT_PLURAL_FORMS


# The tables by language_key, so that pt-br, pt_BR and PT-br find the same rule.
_GETTEXT = {language_key(code): rule for code, rule in GETTEXT.items()}
_CLDR = {language_key(code): rule for code, rule in CLDR.items()}
