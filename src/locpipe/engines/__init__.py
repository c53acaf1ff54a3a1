"""Machine translation engines behind one small interface.

An engine translates a batch of texts from one language to another and says, through its
:class:`Protection`, how glossary terms must be wrapped so that it leaves them alone.
Adding an engine is adding one module that defines an :class:`Engine` subclass and
registering its name in :data:`ENGINES`.
"""

from __future__ import annotations

import html
import importlib
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ConfigError, EngineRejected

# name -> "module:Class", imported only when used so start-up stays fast.
ENGINES: dict[str, str] = {
    "apertium": "apertium:ApertiumEngine",
    "libre": "libre:LibreEngine",
    "google": "online:GoogleEngine",
    "mymemory": "online:MyMemoryEngine",
    "deepl": "deepl:DeepLEngine",
    "microsoft": "microsoft:MicrosoftEngine",
}


@dataclass(frozen=True, slots=True)
class Protection:
    """How a glossary term travels through an engine untouched.

    ``markup`` engines receive HTML/XML, so the rest of the text is escaped and the term's
    agreed target form is wrapped in an element the engine copies verbatim (``open`` ...
    ``close``).  Other engines receive plain text with the term replaced by a numbered
    token (``token`` with ``{n}``), which is restored to the target form afterwards.
    """

    markup: bool = False
    open: str = ""
    close: str = ""
    token: str = "{{{n}}}"

    def wrap(self, index: int, target: str) -> str:
        """What is sent in place of term number ``index`` whose target form is ``target``."""
        if self.markup:
            return f"{self.open}{html.escape(target, quote=False)}{self.close}"
        return self.token.format(n=index)

    def escape(self, text: str) -> str:
        """Text outside terms, as the engine must receive it."""
        return html.escape(text, quote=False) if self.markup else text

    def unescape(self, text: str) -> str:
        """The inverse of :meth:`escape`, on the engine's output."""
        return html.unescape(text) if self.markup else text

    @property
    def pattern(self) -> re.Pattern[str]:
        """Finds protected spans in engine output (group 1: the index or the target form)."""
        if self.markup:
            return re.compile(f"{re.escape(self.open)}(.*?){re.escape(self.close)}", re.S)
        before, _, after = self.token.partition("{n}")
        before, after = before.replace("{{", "{"), after.replace("}}", "}")
        return re.compile(rf"{re.escape(before)}\s*(\d+)\s*{re.escape(after)}")


class Engine(ABC):
    """A machine translation engine: translates a batch of texts between two languages."""

    name: ClassVar[str]
    protection: ClassVar[Protection] = Protection()
    max_batch: ClassVar[int] = 1  # texts per request
    max_chars: ClassVar[int] = 5000  # characters per request
    requests_per_second: ClassVar[float] = 5.0

    def __init__(self, settings: Mapping[str, Any], *, timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout

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

    def code(self, language: str) -> str:
        """The engine's code for a language (most take ISO 639-1 as is)."""
        return language.replace("_", "-").split("-")[0].lower()


def check_engine_name(name: str, *, option: str = "engine") -> str:
    """The name, when an engine is registered under it; a ConfigError naming ``option`` else."""
    if name not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise ConfigError(f"{option} {name}: unknown engine (known: {known})")
    return name


def create_engine(name: str, settings: Mapping[str, Any], *, timeout: float = 30.0) -> Engine:
    """Instantiate an engine by its configured name."""
    try:
        module_name, class_name = ENGINES[name].split(":")
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ConfigError(f"unknown engine {name!r} (known: {known})") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    engine_class: type[Engine] = getattr(module, class_name)
    return engine_class(settings, timeout=timeout)
