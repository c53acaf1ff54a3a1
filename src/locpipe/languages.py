"""Language tags, one rule everywhere: how they compare and which resources serve a language.

Tags are written as a project writes them (``pt_BR``) or as BCP 47 does (``pt-BR``); case
and separator never matter.  A resource tagged with a language serves a project language
when the tags are the same, when the resource is a regional variant of a project language
that names no region (an ``en-US`` glossary column serves ``en``), or when the resource
names the base language of a regional project language (a ``pt`` memory serves ``pt_BR``).
Sibling regions never serve each other (``pt-PT`` does not serve ``pt_BR``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from babel import Locale

T = TypeVar("T")


def language_key(tag: str) -> str:
    """A tag as compared: ``pt-BR``, ``pt_BR`` and ``pt_br`` are one.

    >>> language_key(" pt-BR ")
    'pt_br'
    """
    return tag.strip().replace("-", "_").casefold()


def is_known(tag: str) -> bool:
    """Whether babel (CLDR) knows a language tag, written either way (``pt_BR``, ``pt-BR``).

    The tags babel lists are looked up in the frozen table of
    :mod:`locpipe.language_names`, so that checking a project's languages does not load
    babel; any other spelling (``PT-br``, an alias) is still asked of babel's parser.

    >>> is_known("pt-BR"), is_known("PT-br"), is_known("nte"), is_known("")
    (True, True, False, False)
    """
    from .language_names import NAMES

    if not tag:
        return False
    return tag.replace("-", "_") in NAMES or babel_locale(tag) is not None


def english_name(tag: str) -> str:
    """The English name of a language, as a new catalog's Language-Team gives it; the tag
    itself when babel has none.

    The names of the locales babel lists are frozen in :mod:`locpipe.language_names` (babel
    loads all its English data to give one); any other spelling is asked of babel.

    >>> english_name("pt-BR"), english_name("PT-br"), english_name("li")
    ('Portuguese (Brazil)', 'Portuguese (Brazil)', 'li')
    """
    from .language_names import NAMES

    known = NAMES.get(tag.replace("-", "_"))
    if known is not None:
        return known or tag
    locale = babel_locale(tag)
    return (locale.english_name if locale is not None else None) or tag


@cache
def babel_locale(tag: str) -> Locale | None:
    """babel's locale for a tag written either way, or None when babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def base_language(tag: str) -> str:
    """The language without region or script: ``pt`` for ``pt_BR``.

    >>> base_language("sr-Latn-RS")
    'sr'
    """
    return language_key(tag).split("_", 1)[0]


def same_language(first: str, second: str) -> bool:
    """Whether two tags name the same language and region.

    >>> same_language("en_US", "en-us"), same_language("en", "en-US")
    (True, False)
    """
    return language_key(first) == language_key(second)


def serves(resource: str, language: str) -> bool:
    """Whether something tagged ``resource`` can stand for the project language ``language``.

    >>> [serves(tag, "en") for tag in ("en", "en-US", "EN-GB", "eng", "de")]
    [True, True, True, False, False]
    >>> [serves(tag, "pt_BR") for tag in ("pt-BR", "pt", "pt-PT")]
    [True, True, False]
    """
    have, want = language_key(resource), language_key(language)
    if have == want:
        return True
    have_base, want_base = base_language(have), base_language(want)
    return have_base == want_base and (want == want_base or have == have_base)


def find(tag: str, languages: Iterable[str]) -> str | None:
    """The language of ``languages`` that ``tag`` names, as it is spelled there.

    >>> find("pt-br", ["en", "pt_BR"]), find("pt", ["pt_BR"])
    ('pt_BR', None)
    """
    return next((code for code in languages if same_language(code, tag)), None)


def pick(tagged: Iterable[tuple[str, T]], language: str) -> T | None:
    """The value tagged with ``language`` itself, else the first one whose tag serves it.

    >>> pick([("pt", "generic"), ("pt-BR", "Brazilian")], "pt_BR")
    'Brazilian'
    >>> pick([("pt-PT", "European"), ("pt", "generic")], "pt_BR")
    'generic'
    """
    fallback: T | None = None
    found = False
    for tag, value in tagged:
        if same_language(tag, language):
            return value
        if not found and serves(tag, language):
            fallback, found = value, True
    return fallback
