"""Machine translation engines behind one small interface.

An engine translates a batch of texts from one language to another and says, through its
:class:`Protection`, how glossary terms must be wrapped so that it leaves them alone.
Adding an engine is adding one module that defines an :class:`Engine` subclass and
registering its name in :data:`ENGINES`.

This module owns the names and the settings: :func:`check_name` and :func:`check_settings`
are the only validation of them (``locpipe.toml`` and ``--engine`` go through them), and
:func:`create_engine` is the only factory.  :func:`engine_for` builds a project's engine
for a language in one call, so that callers can construct it up front and pass it in.
Tests script :class:`locpipe.engines.fake.FakeEngine`, which no configuration can select.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
import math
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..errors import ConfigError, EngineRejected

if TYPE_CHECKING:
    from ..project import Project

# name -> "module:Class", imported only when used so start-up stays fast.
ENGINES: dict[str, str] = {
    "apertium": "apertium:ApertiumEngine",
    "libre": "libre:LibreEngine",
    "google": "online:GoogleEngine",
    "mymemory": "online:MyMemoryEngine",
    "deepl": "deepl:DeepLEngine",
    "microsoft": "microsoft:MicrosoftEngine",
    "openai": "openai:OpenAIEngine",
}


class EngineOutput(str):
    """A translation with what the engine said about it: words it did not know, how well a
    memory it drew on matched.  It is a ``str`` everywhere else (and in the cache)."""

    note: str
    uncertain: bool

    def __new__(cls, text: str, *, note: str = "", uncertain: bool = False) -> EngineOutput:
        made = super().__new__(cls, text)
        made.note, made.uncertain = note, uncertain
        return made


class Hints(NamedTuple):
    """What an engine that reads instructions (an LLM) is told about one text it translates."""

    title: str | None = None  # the article's title
    context: str | None = None  # the unit's kind and section, as its #. comment says
    glossary: tuple[str, ...] = ()  # one rule per term in the text: keep, translate as, never
    violation: str | None = None  # why its previous translation failed verification


class Protection(NamedTuple):
    """One form in which protected spans (glossary terms, masked Markdown) travel through an
    engine untouched.

    ``markup`` engines receive HTML/XML, so the rest of the text is escaped and each span's
    target form is wrapped in an element the engine copies verbatim (``open`` ...
    ``close``).  ``plain`` sends the target form as it is, unwrapped: the last resort for
    an engine that mangles both markup and tokens, checked by verification afterwards.
    Other forms send plain text with the span replaced by a numbered token (``token`` with
    ``{n}``), which is restored afterwards.  ``escaped_output`` says whether a markup engine
    answers with markup-escaped text (LibreTranslate answers unescaped).
    """

    markup: bool = False
    open: str = ""
    close: str = ""
    token: str = "{{{n}}}"
    plain: bool = False
    escaped_output: bool = True

    @property
    def name(self) -> str:
        """How the form is named in notes and reports: ``markup <code>``, ``tokens {n}``."""
        if self.plain:
            return "plain"
        return f"markup {self.open}" if self.markup else f"tokens {self.token.format(n='n')}"

    def wrap(self, index: int, target: str) -> str:
        """What is sent in place of span number ``index`` whose target form is ``target``."""
        if self.plain:
            return target
        if self.markup:
            from html import escape  # here: every command loads this package, few send markup

            return f"{self.open}{escape(target, quote=False)}{self.close}"
        return self.token.format(n=index)

    def escape(self, text: str) -> str:
        """Text outside spans, as the engine must receive it."""
        if not self.markup:
            return text
        from html import escape

        return escape(text, quote=False)

    def unescape(self, text: str) -> str:
        """The inverse of :meth:`escape`, on the engine's output."""
        if not (self.markup and self.escaped_output):
            return text
        from html import unescape

        return unescape(text)

    @property
    def pattern(self) -> re.Pattern[str]:
        """Finds protected spans in engine output (group 1: the index or the target form)."""
        if self.markup:
            return re.compile(f"{re.escape(self.open)}(.*?){re.escape(self.close)}", re.S)
        before, _, after = self.token.partition("{n}")
        before, after = before.replace("{{", "{"), after.replace("}}", "}")
        return re.compile(rf"{re.escape(before)}\s*(\d+)\s*{re.escape(after)}")


# What a setting's type is called in an error message.
SettingType = type | tuple[type, ...]
_NUMBER = (int, float)
_TYPE_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "a boolean"}


class Engine(ABC):
    """A machine translation engine: translates a batch of texts between two languages."""

    name: ClassVar[str]
    protection: ClassVar[Protection] = Protection()
    # The forms to try, in order, for a unit whose output fails verification in the one
    # before; the first is ``protection``.  See pretranslate.
    fallback_forms: ClassVar[tuple[Protection, ...]] = (Protection(plain=True),)
    # Whether the engine reads Hints (title, section, glossary rules, a violation to fix):
    # pretranslate then sets them, and asks once more with the violation named.
    reads_hints: ClassVar[bool] = False
    # Whether agreed translations are left in the text for the engine's own glossary to
    # apply (DeepL), rather than replaced by placeholders; keep terms are still protected.
    steers_by_glossary: ClassVar[bool] = False
    # The agreed translations of the language being translated, source term -> target.
    agreed: Mapping[str, str] = MappingProxyType({})
    owner: str = "-"  # who the agreed translations are for: a short hash of the project
    required_settings: ClassVar[tuple[str, ...]] = ()  # keys its table must set
    hints: Mapping[str, Hints] = MappingProxyType({})  # by the text as sent
    max_batch: ClassVar[int] = 1  # texts per request
    max_chars: ClassVar[int] = 5000  # characters per request
    requests_per_second: ClassVar[float] = 5.0
    # The keys its [engine.<name>] table may set, with their types; check_settings
    # refuses any other key, so a misspelt setting is an error rather than ignored.
    setting_types: ClassVar[Mapping[str, SettingType]] = MappingProxyType(
        {"requests_per_second": _NUMBER}
    )

    def __init__(self, settings: Mapping[str, Any], *, timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout

    @property
    def rate(self) -> float:
        """Requests a second at most: the ``requests_per_second`` setting or the default."""
        return float(self.settings.get("requests_per_second", self.requests_per_second))

    @abstractmethod
    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate texts; raise EngineUnavailable (retry later) or EngineRejected."""

    key_env: ClassVar[str | None] = None  # the environment variable holding the key, if any

    def api_key(self) -> str | None:
        """The key, from the environment variable the settings (or the engine) name.

        Keys are read from the environment only, so they never land in a file or a log.
        An engine without a key variable needs none.
        """
        name = self.settings.get("api_key_env") or self.key_env
        if not name:
            return None
        key = os.environ.get(str(name))
        if not key:
            raise EngineRejected(f"{self.name}: no API key: set the environment variable {name}")
        return key

    def secrets(self) -> list[str]:
        """The key values this engine is configured with (none if unset), to redact."""
        name = self.settings.get("api_key_env") or self.key_env
        key = os.environ.get(str(name)) if name else None
        return [key] if key else []

    def code(self, language: str) -> str:
        """The engine's code for a language (most take ISO 639-1 as is)."""
        return language.replace("_", "-").split("-")[0].lower()

    @property
    def forms(self) -> tuple[Protection, ...]:
        """Every protection form, first choice first."""
        return (self.protection, *(f for f in self.fallback_forms if f != self.protection))

    def in_form(self, form: Protection) -> Engine:
        """This engine sending spans in ``form``: a shallow copy sharing its settings."""
        clone = copy.copy(self)
        clone.protection = form  # type: ignore[misc]
        return clone

    @property
    def cache_name(self) -> str:
        """The engine as the translation cache knows it: with the settings that change its
        answers (its model, its server) and the agreed translations its own glossary applies.
        """
        # The settings that change answers (a model, a server), not how they are asked for.
        quiet = {"api_key_env", "requests_per_second", "requests_per_minute", "tokens_per_minute"}
        settings = sorted((k, str(v)) for k, v in self.settings.items() if k not in quiet)
        agreed = sorted(self.agreed.items()) if self.steers_by_glossary else []
        if not settings and not agreed:
            return self.name
        identity = json.dumps([settings, agreed], ensure_ascii=False).encode()
        return f"{self.name}+{hashlib.sha256(identity).hexdigest()[:16]}"

    def with_agreed(self, agreed: Mapping[str, str], *, owner: str = "-") -> Engine:
        """This engine told the agreed translations of the target language (of the project
        ``owner`` names): a shallow copy."""
        clone = copy.copy(self)
        clone.agreed = MappingProxyType(dict(agreed))
        clone.owner = owner
        return clone

    def with_hints(self, hints: Mapping[str, Hints]) -> Engine:
        """This engine told ``hints`` about the texts it will translate: a shallow copy."""
        clone = copy.copy(self)
        clone.hints = MappingProxyType(dict(hints))
        return clone


def with_settings(**types: SettingType) -> Mapping[str, SettingType]:
    """An engine's ``setting_types``: the common ones (``requests_per_second``) and ``types``."""
    return MappingProxyType({**Engine.setting_types, **types})


# Raises the error for one key: ``fail(key, message)``; project.py passes one that adds
# the file and line.
Fail = Callable[[str, str], ConfigError]


def _plain(key: str, message: str) -> ConfigError:
    return ConfigError(f"{key}: {message}")


def check_name(name: object, *, key: str = "engine", fail: Fail = _plain) -> str:
    """``name`` if it names an engine, else the ConfigError ``fail(key, ...)`` makes.

    >>> check_name("libre")
    'libre'
    >>> check_name("babelfish", key="--engine")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    locpipe.errors.ConfigError: --engine: unknown engine 'babelfish' (known: apertium, deepl, ...)
    """
    if isinstance(name, str) and name in ENGINES:
        return name
    raise fail(key, f"unknown engine {name!r} (known: {', '.join(sorted(ENGINES))})")


def engine_class(name: str) -> type[Engine]:
    """The :class:`Engine` subclass registered under ``name`` (checked with check_name)."""
    module_name, class_name = ENGINES[check_name(name)].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    found: type[Engine] = getattr(module, class_name)
    return found


def check_settings(
    name: str, settings: Mapping[str, object], *, fail: Fail | None = None
) -> dict[str, object]:
    """The settings of engine ``name``, each key known and of its type, else a ConfigError.

    ``fail(key, message)`` makes the error for one key; by default it names the key as
    ``engine.<name>.<key>``.  Values are never quoted, since a key pasted where the name
    of its environment variable belongs must not reach a log.

    >>> check_settings("libre", {"url": "http://localhost:5000/", "requests_per_second": 2})
    {'url': 'http://localhost:5000/', 'requests_per_second': 2}
    >>> check_settings("libre", {"requests_per_second": "fast"})
    Traceback (most recent call last):
    ...
    locpipe.errors.ConfigError: engine.libre.requests_per_second: must be a number, not a string
    """
    if fail is None:

        def fail(key: str, message: str) -> ConfigError:
            return ConfigError(f"engine.{name}.{key}: {message}")

    engine_type = engine_class(name)
    types = engine_type.setting_types
    for key in engine_type.required_settings:
        if key not in settings:
            raise fail(key, f"required: [engine.{name}] must set {key}")
    for key, value in settings.items():
        expected = types.get(key)
        if expected is None:
            raise fail(key, f"unknown setting for {name} (known: {', '.join(sorted(types))})")
        problem = _setting_problem(key, value, expected)
        if problem:
            raise fail(key, problem)
    return dict(settings)


def _setting_problem(key: str, value: object, expected: SettingType) -> str | None:
    """What is wrong with one setting's value, or None."""
    allowed = expected if isinstance(expected, tuple) else (expected,)
    # TOML's true is a Python int; it is a number only where bool is listed.
    if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
        wanted = "a number" if set(allowed) == set(_NUMBER) else _TYPE_NAMES[allowed[0]]
        return f"must be {wanted}, not {_TYPE_NAMES.get(type(value), f'a {type(value).__name__}')}"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if key == "requests_per_second" and isinstance(value, int | float) and value <= 0:
        return "must be a positive number (requests a second)"
    if key == "requests_per_second" and isinstance(value, int | float) and value < 0.001:
        # Slower than one request in 1000 s is no rate; 1e-320 would make the wait infinite.
        return "must be at least 0.001 (requests a second)"
    positive = ("requests_per_minute", "tokens_per_minute", "batch_size")
    if key in positive and isinstance(value, int | float) and value <= 0:
        return "must be a positive number"
    if key == "temperature" and isinstance(value, int | float) and not 0 <= value <= 2:
        return "must be between 0 and 2"
    if isinstance(value, str):
        if not value.strip():
            return "must not be empty"
        if key == "api_key_env" and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            return "must be the name of an environment variable, such as DEEPL_AUTH_KEY"
        if key == "url" and not re.match(r"https?://[^/\s]", value):
            return "must be an http:// or https:// URL"
    return None


def create_engine(
    name: str, settings: Mapping[str, Any] | None = None, *, timeout: float = 30.0
) -> Engine:
    """The engine registered under ``name``, with its settings checked: the one factory."""
    engine_type = engine_class(name)
    return engine_type(check_settings(name, settings or {}), timeout=timeout)


def engine_for(project: Project, language: str, *, override: str | None = None) -> Engine:
    """The engine a project configures for ``language`` (or ``override``), ready to pass in.

    Its settings are the project's ``[engine.<name>]`` table and its timeout the
    ``[pretranslate]`` one, exactly what ``pretranslate`` would build itself.
    """
    return project_engine(project, override or project.pretranslate.engine_for(language))


def project_engine(project: Project, name: str) -> Engine:
    """The engine ``name`` with the project's ``[engine.<name>]`` settings and timeout."""
    return create_engine(name, project.settings_for(name), timeout=project.pretranslate.timeout)
