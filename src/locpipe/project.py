"""The project on disk: ``locpipe.toml``, its folders, and where each article's files live."""

from __future__ import annotations

import functools
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from . import languages as language_tags
from .errors import ConfigError
from .fileio import read_bytes, write_atomic
from .segment import DIALECTS, SegmentOptions

CONFIG_NAME = "locpipe.toml"
ARTICLE_SUFFIXES = (".txt", ".md", ".mdx", ".html", ".htm")
DEFAULTS = {
    "articles": "articles/{source}",
    "locales": "locales",
    "output": "articles/{lang}",
    "glossary": "glossary",
}
KNOWN_KEYS = {"source_language", "languages", "markdown_dialect", *DEFAULTS}
# Tables that later stages own; accepted here so a config written for them still loads.
KNOWN_TABLES = {"pretranslate", "engine", "check", "html", "dialects", "markdown"}
# A site generator's own configuration, by the dialect it implies; the first found, from
# the articles folder upwards, decides.  A Hugo config.toml is told by its keys.
_SITE_CONFIGS = (
    ("docusaurus", ("docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs",
                    "docusaurus.config.cjs")),
    ("mkdocs", ("mkdocs.yml", "mkdocs.yaml")),
    ("hugo", ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config/_default/hugo.toml")),
    ("jekyll", ("_config.yml", "_config.yaml")),
)  # fmt: skip
_HUGO_CONFIGS = ("config.toml", "config.yaml", "config.yml", "config/_default/config.toml")
# Compiled by re on first use: only a project with a Hugo configuration file needs it.
_HUGO_KEYS = (
    r"(?m)^\s*(?:baseURL|languageCode|defaultContentLanguage|contentDir|\[params\]|\[markup\]"
    r"|\[\[menu\.|\[menus?\])"
)


# A named tuple rather than a frozen dataclass, for the reason model.Line gives.
class ArticleFiles(NamedTuple):
    """Where one article's source, template, catalogs and outputs live."""

    source: Path
    name: str  # path under the articles folder without extension, POSIX separators
    reference: str  # the source path relative to the project root, as PO references show it


@dataclass(frozen=True, slots=True)
class PretranslateConfig:
    """The ``[pretranslate]`` table: which engine serves which language, and how hard to try."""

    engine: str = "google"
    engines: tuple[tuple[str, str], ...] = ()  # (language, engine) overrides
    fuzzy_threshold: float = 75.0
    workers: int = 4
    retries: int = 4
    timeout: float = 30.0
    backoff: float = 0.5
    # Days before a unit that failed verification in every form is sent again, while its
    # source, the glossary and the engine's settings stay the same.
    retry_failed_after: float = 7.0
    budget: float | None = None  # seconds for all machine translation of a run

    def engine_for(self, language: str) -> str:
        """The engine configured for a target language."""
        return dict(self.engines).get(language, self.engine)


_PRETRANSLATE_TYPES: dict[str, tuple[type, ...]] = {
    "engine": (str,),
    "engines": (dict,),
    "fuzzy_threshold": (int, float),
    "workers": (int,),
    "retries": (int,),
    "timeout": (int, float),
    "backoff": (int, float),
    "retry_failed_after": (int, float),
    "budget": (int, float),
}


_PRETRANSLATE_MAXIMA = {
    "workers": 64,
    "retries": 100,
    "timeout": 3600,  # an hour for one request
    "backoff": 3600,
    "budget": 7 * 24 * 3600,
    "retry_failed_after": 3650,  # days
}


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """The ``[check]`` table: severities by check name, and the bounds of the length check."""

    severity: tuple[tuple[str, str], ...] = ()  # (check, "error" | "warning" | "off")
    min_length_ratio: float = 0.5
    max_length_ratio: float = 2.0
    min_length: int = 20

    @property
    def severities(self) -> dict[str, str]:
        """The configured severities by check name."""
        return dict(self.severity)


@dataclass(frozen=True, slots=True)
class Project:
    """A loaded, validated ``locpipe.toml`` with absolute paths."""

    root: Path
    source_language: str
    languages: tuple[str, ...]
    articles_dir: Path
    locales_dir: Path
    output_pattern: str
    glossary_dir: Path
    pretranslate: PretranslateConfig = PretranslateConfig()
    engine_settings: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    check: CheckConfig = CheckConfig()
    segmenting: SegmentOptions = field(default_factory=SegmentOptions)
    # (folder under the articles folder, dialect), most specific first
    dialect_folders: tuple[tuple[str, str], ...] = ()

    def segment_options(self, article: ArticleFiles) -> SegmentOptions:
        """The segmenting options for one article: its folder's dialect, if one is set."""
        for folder, dialect in self.dialect_folders:
            if article.name.startswith(f"{folder}/"):
                return replace(self.segmenting, dialect=dialect)
        return self.segmenting

    def settings_for(self, engine: str) -> dict[str, object]:
        """The ``[engine.<name>]`` table for an engine (empty if none)."""
        return dict(dict(self.engine_settings).get(engine, ()))

    @property
    def cache_path(self) -> Path:
        """The machine translation cache, ``.locpipe/cache.sqlite``."""
        return self.root / ".locpipe" / "cache.sqlite"

    @property
    def state_path(self) -> Path:
        """What earlier runs did, ``.locpipe/state.json``, so re-runs skip unchanged work."""
        return self.root / ".locpipe" / "state.json"

    @property
    def segments_path(self) -> Path:
        """Each article as it was last cut into units, ``.locpipe/segments.cache``, so that
        a later stage need not segment it again."""
        return self.root / ".locpipe" / "segments.cache"

    @property
    def config_path(self) -> Path:
        """The project's ``locpipe.toml``."""
        return self.root / CONFIG_NAME

    @property
    def tm_dir(self) -> Path:
        """Imported translation memories, ``tm/*.tmx``, that pretranslation reuses."""
        return self.root / "tm"

    def template_path(self, name: str) -> Path:
        """``locales/templates/<name>.pot``."""
        return _joined(_joined(self.locales_dir, "templates"), f"{name}.pot")

    def catalog_path(self, language: str, name: str) -> Path:
        """``locales/<lang>/<name>.po``."""
        return _joined(_joined(self.locales_dir, language), f"{name}.po")

    def output_path(self, language: str, article: ArticleFiles) -> Path:
        """``<output>/<name>.<ext>`` for one language."""
        folder = _joined(self.root, self.output_pattern.format(lang=language))
        return _joined(folder, article.name + _suffix(os.path.basename(article.source)))

    def contains(self, path: Path, *, absent: bool = False) -> bool:
        """Whether ``path``, with every link resolved, lies inside the project.

        A file that does not exist yet is judged by its folder; so is one the caller knows
        is ``absent`` (a folder listing said so), without looking.
        """
        # As strings: a stage asks this of every file it reads or writes.
        text = os.fspath(path)
        if not _folder_inside(os.path.dirname(text), self.root):
            return False
        if absent:
            return True
        return not os.path.islink(text) or Path(os.path.realpath(text)).is_relative_to(self.root)

    def relative(self, path: Path) -> str:
        """A path as shown to users and in PO references: relative to the root, POSIX."""
        # Most paths are a file of the project: cut the root off the string, where
        # relative_to would take both paths apart (a stage shows a few paths an article).
        text, root = os.fspath(path), os.fspath(self.root)
        if os.sep == "/" and text.startswith(root) and text[len(root) : len(root) + 1] == "/":
            return text[len(root) + 1 :]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def articles(self) -> Iterator[ArticleFiles]:
        """Every source article, sorted by path.

        What ``sorted(articles_dir.rglob("*"))`` would list, kept where ``is_file()``:
        folders linked into it are not entered, files linked into it count.  Walked with
        ``os.scandir``, whose entries know a file from a folder without a ``stat`` each, as
        strings; a ``Path`` is made only for each article (the walk and its ``Path``
        objects took 3% of an extract).
        """
        folder = self.relative(self.articles_dir)
        prefix = "" if folder == "." else f"{folder}/"
        for parts, path in sorted(_files_under(os.fspath(self.articles_dir), ()), key=_ORDER):
            # ATACMS.TXT from a Windows share is as much an article as atacms.txt.
            suffix = _suffix(parts[-1])
            if suffix.lower() in ARTICLE_SUFFIXES:
                relative = "/".join(parts)
                yield ArticleFiles(
                    source=Path(path), name=relative[: -len(suffix)], reference=prefix + relative
                )


def _files_under(folder: str, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each file below ``folder``, as its names below it (which sort as paths sort) and its
    path; folders linked into it are not entered, and one that cannot be listed is skipped,
    as ``Path.rglob`` does."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for entry in entries:
        try:
            if entry.is_file():
                yield (*parts, entry.name), entry.path
            elif entry.is_dir(follow_symlinks=False):
                yield from _files_under(entry.path, (*parts, entry.name))
        except OSError:  # gone meanwhile, or a link that cannot be followed
            continue


def _case_folded(item: tuple[tuple[str, ...], str]) -> tuple[str, ...]:
    return tuple(map(os.path.normcase, item[0]))


# The order of Path objects: by their parts, which Windows compares case-insensitively.
_ORDER = _case_folded if os.path.normcase("A") != "A" else None


def _suffix(name: str) -> str:
    """A file name's extension, as ``PurePath.suffix`` gives it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


@functools.lru_cache(maxsize=4096)
def _folder_inside(folder: str, root: Path) -> bool:
    """Whether a folder, its links resolved, lies inside ``root``; cached, since every
    article of a folder asks."""
    return Path(os.path.realpath(folder)).is_relative_to(root)


@functools.lru_cache(maxsize=8192)
def _joined(folder: Path, name: str) -> Path:
    """``folder / name``, made once: a template's or a language's folder, which every
    article of a stage asks for, and each article's file, asked for a few times a stage
    (planning, then the work, then its report).  Each time, a new ``Path`` was parsed, then
    turned back into a string and hashed, in 4% of a build.  A folder is asked for just
    before each of its files, so it stays among the recently used."""
    return folder / name


def load_project(root: Path) -> Project:
    """Read and validate ``root/locpipe.toml``."""
    root = root.resolve()
    config_path = root / CONFIG_NAME
    display = config_path.as_posix()
    try:
        raw = _universal_newlines(read_bytes(config_path).decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            "no locpipe.toml here: run 'locpipe init' or pass --project DIR", path=display
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=display) from exc
    try:
        config = tomllib.loads(raw)
    except RecursionError as exc:
        # tomllib parses nested arrays and tables recursively: thousands of [[[ exhaust
        # the stack long before they make a sensible configuration.
        raise ConfigError("not valid TOML: nested too deeply", path=display) from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else len(raw.splitlines())
        message = re.sub(r"\s*\((at|at end of) [^)]*\)$", "", str(exc))
        raise ConfigError(f"not valid TOML: {message}", path=display, line=line) from exc

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", path=display, line=_key_line(raw, key))

    for key, value in config.items():
        if key not in KNOWN_KEYS and not (key in KNOWN_TABLES and isinstance(value, dict)):
            known = ", ".join(sorted(KNOWN_KEYS | KNOWN_TABLES))
            raise fail(key, f"unknown key (known keys: {known})")

    source = _language(config.get("source_language"), "source_language", fail)
    languages_value = config.get("languages")
    if not isinstance(languages_value, list) or not languages_value:
        raise fail("languages", 'must be a non-empty list of language codes, e.g. ["en", "de"]')
    languages = tuple(_language(code, "languages", fail) for code in languages_value)
    if source in languages:
        raise fail("languages", f"the source language {source!r} cannot also be a target")
    if len(set(languages)) != len(languages):
        raise fail("languages", "a language is listed twice")

    paths: dict[str, str] = {}
    for key, default in DEFAULTS.items():
        value = config.get(key, default.format(source=source, lang="{lang}"))
        if not isinstance(value, str) or not value:
            raise fail(key, "must be a folder path (a string)")
        paths[key] = value
    if "{lang}" not in paths["output"]:
        raise fail("output", "must contain {lang}, e.g. 'articles/{lang}'")
    try:
        paths["output"].format(lang="xx")
    except (KeyError, IndexError, ValueError) as exc:
        raise fail("output", "only {lang} may appear in braces") from exc

    for key, value in paths.items():
        # Nothing outside the project is read or written, whatever links or ".." say.
        where = value.format(lang=languages[0]) if key == "output" else value
        folder = Path(os.path.realpath(root / where))
        if not folder.is_relative_to(root):
            raise fail(key, f"folder {value!r} is outside the project; it must be inside it")
    articles_dir = root / paths["articles"]
    if not articles_dir.is_dir():
        raise fail("articles", f"folder {paths['articles']!r} does not exist")
    # Every file of the articles folder is a source: localized articles written there
    # would be read back as Dutch ones by the next stage.
    sources = Path(os.path.realpath(articles_dir))
    for language in languages:
        if Path(os.path.realpath(root / paths["output"].format(lang=language))).is_relative_to(
            sources
        ):
            raise fail(
                "output",
                f"folder {paths['output']!r} is inside the articles folder "
                f"{paths['articles']!r}, whose every article is read as a source",
            )
    glossary_dir = root / paths["glossary"]
    if "glossary" in config and not glossary_dir.is_dir():
        raise fail("glossary", f"folder {paths['glossary']!r} does not exist")

    def fail_in(table: str, prefix: str = "") -> Callable[[str, str], ConfigError]:
        """``fail`` for a key of ``[table]``, located in that table ("" is the table)."""

        def fail_key(key: str, message: str) -> ConfigError:
            line = _table_key_line(raw, table, key)
            return ConfigError(f"{prefix}{key}: {message}", path=display, line=line)

        return fail_key

    pretranslate = _pretranslate_config(
        config.get("pretranslate", {}), languages, fail_in("pretranslate")
    )
    check = _check_config(config.get("check", {}), fail_in("check"))
    segmenting = _html_config(config.get("html", {}), fail_in("html"))
    dialect = config.get("markdown_dialect")
    if dialect is None:
        dialect = detect_dialect(articles_dir, root) or "commonmark"
    elif dialect not in DIALECTS:
        raise fail("markdown_dialect", f"must be one of {', '.join(DIALECTS)}")
    segmenting = replace(segmenting, dialect=dialect)
    segmenting = _markdown_config(config.get("markdown", {}), segmenting, fail_in("markdown"))

    def fail_folder(folder: str, message: str) -> ConfigError:
        # Folder keys are quoted paths, which _table_key_line does not take apart.
        key = re.compile(rf"\s*[\"']?{re.escape(folder)}[\"']?\s*=")
        lines = enumerate(raw.splitlines(), start=1)
        line = next((n for n, text in lines if key.match(text)), None)
        line = line or _table_key_line(raw, "dialects", "")
        return ConfigError(f"dialects: {folder}: {message}", path=display, line=line)

    dialect_folders = _dialect_folders(config.get("dialects", {}), fail_folder)
    engine_tables = _engine_settings(config.get("engine", {}), fail_in)
    return Project(
        root=root,
        source_language=source,
        languages=languages,
        articles_dir=articles_dir,
        locales_dir=root / paths["locales"],
        output_pattern=paths["output"],
        glossary_dir=glossary_dir,
        pretranslate=pretranslate,
        check=check,
        engine_settings=engine_tables,
        segmenting=segmenting,
        dialect_folders=dialect_folders,
    )


def segment_options_for_file(path: Path) -> SegmentOptions:
    """The options a file is segmented with: those of the project whose articles it is one of
    (the nearest ``locpipe.toml`` above it), else the dialect its site's configuration
    implies."""
    path = path.resolve()
    for folder in path.parents:
        if (folder / CONFIG_NAME).is_file():
            project = load_project(folder)
            if path.is_relative_to(project.articles_dir):
                name = PurePosixPath(path.relative_to(project.articles_dir).as_posix())
                files = ArticleFiles(path, str(name.with_suffix("")), project.relative(path))
                return project.segment_options(files)
            # Not one of its articles: the project's options, in the dialect of the site
            # the file stands in, if any.
            detected = detect_dialect(path.parent, folder)
            return replace(project.segmenting, dialect=detected or project.segmenting.dialect)
    anchor = Path(path.anchor)
    return SegmentOptions(dialect=detect_dialect(path.parent, anchor) or "commonmark")


def detect_dialect(folder: Path, root: Path) -> str | None:
    """The dialect a site generator's configuration implies, searched from ``folder`` up to
    ``root`` (both included; up to the file system's root when ``folder`` is outside it)."""
    folder = folder.resolve()
    while True:
        for dialect, names in _SITE_CONFIGS:
            if any((folder / name).is_file() for name in names):
                return dialect
        for name in _HUGO_CONFIGS:
            path = folder / name
            if path.is_file() and re.search(_HUGO_KEYS, _read_quietly(path)):
                return "hugo"
        if folder == root or folder.parent == folder:
            return None
        folder = folder.parent


def _universal_newlines(text: str) -> str:
    """Text with CRLF and CR line endings made LF, as a file opened as text reads it."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read_quietly(path: Path) -> str:
    """A small configuration file's text, or "" when it cannot be read: detection only."""
    try:
        return _universal_newlines(read_bytes(path).decode("utf-8", errors="replace"))[:65536]
    except OSError:
        return ""


def _dialect_folders(
    table: dict[str, object], fail: Callable[[str, str], ConfigError]
) -> tuple[tuple[str, str], ...]:
    """Validate the ``[dialects]`` table: ``"folder/under/articles" = "dialect"``."""
    found = []
    for folder, dialect in table.items():
        if dialect not in DIALECTS:
            raise fail(folder, f"must be one of {', '.join(DIALECTS)}")
        parts = PurePosixPath(folder).parts
        if not parts or folder.startswith("/") or ".." in parts or "\\" in folder:
            raise fail(folder, "must be a folder under the articles folder, such as 'blog'")
        found.append(("/".join(parts), str(dialect)))
    # The deepest folder decides, so "docs/blog" wins over "docs".
    return tuple(sorted(found, key=lambda item: -item[0].count("/")))


def _html_config(
    table: dict[str, object], fail: Callable[[str, str], ConfigError]
) -> SegmentOptions:
    """Validate the ``[html]`` table: the no-translate classes and the visible attributes."""
    defaults = SegmentOptions()
    found: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if key not in ("no_translate_classes", "visible_attributes"):
            raise fail(
                key, "unknown key in [html] (known: no_translate_classes, visible_attributes)"
            )
        if not isinstance(value, list) or not all(
            isinstance(item, str) and re.fullmatch(r"[\w:.-]+", item) for item in value
        ):
            raise fail(key, "must be a list of class or attribute names")
        found[key] = tuple(value)
    return SegmentOptions(
        no_translate_classes=found.get("no_translate_classes", defaults.no_translate_classes),
        visible_attributes=found.get("visible_attributes", defaults.visible_attributes),
    )


def _markdown_config(
    table: dict[str, object], options: SegmentOptions, fail: Callable[[str, str], ConfigError]
) -> SegmentOptions:
    """Validate the ``[markdown]`` table: the front matter keys that extend the dialect's."""
    for key, value in table.items():
        # Imported only for a table that has keys: most projects have none, and the front
        # matter reader compiles a good many patterns.
        from .segment.frontmatter import is_key_path

        if key != "front_matter_keys":
            raise fail(key, "unknown key in [markdown] (known: front_matter_keys)")
        if not isinstance(value, list) or not all(
            isinstance(item, str) and is_key_path(item) for item in value
        ):
            raise fail(key, 'must be a list of key paths, e.g. ["summary", "seo.description"]')
        options = replace(options, front_matter_keys=tuple(value))
    return options


def _engine_settings(
    tables: dict[str, object], fail_in: Callable[[str, str], Callable[[str, str], ConfigError]]
) -> tuple[tuple[str, tuple[tuple[str, object], ...]], ...]:
    """Validate the ``[engine.<name>]`` tables: a known engine, and only its settings."""
    from .engines import check_name, check_settings

    checked = []
    for name, table in tables.items():
        fail = fail_in(f"engine.{name}", f"engine.{name}")
        check_name(name, key="", fail=fail)  # located at the table's header
        if not isinstance(table, dict):
            raise fail("", "must be a table of settings")
        settings = check_settings(name, table, fail=fail_in(f"engine.{name}", f"engine.{name}."))
        checked.append((name, tuple(sorted(settings.items()))))
    return tuple(checked)


def _pretranslate_config(
    table: dict[str, object],
    languages: tuple[str, ...],
    fail: Callable[[str, str], ConfigError],
) -> PretranslateConfig:
    """Validate the ``[pretranslate]`` table."""
    from .engines import check_name

    for key, value in table.items():
        expected = _PRETRANSLATE_TYPES.get(key)
        if expected is None:
            known = ", ".join(sorted(_PRETRANSLATE_TYPES))
            raise fail(key, f"unknown key in [pretranslate] (known: {known})")
        if not isinstance(value, expected) or isinstance(value, bool):
            raise fail(key, f"has the wrong type ({type(value).__name__})")
        # TOML has nan and inf; neither is a timeout, a backoff or a threshold.
        if isinstance(value, float) and not math.isfinite(value):
            raise fail(key, "must be a finite number")
    config = PretranslateConfig()
    engine = check_name(table.get("engine", config.engine), key="engine", fail=fail)
    engines = table.get("engines", {})
    assert isinstance(engines, dict)
    for name in engines.values():
        check_name(name, key="engines", fail=fail)
    for language in engines:
        if language not in languages:
            raise fail("engines", f"{language!r} is not one of the project's languages")

    def number(key: str) -> float:
        value = table.get(key, getattr(config, key))
        assert isinstance(value, int | float)  # the types were checked above
        return float(value)

    threshold = number("fuzzy_threshold")
    if not 0 < threshold <= 100:
        raise fail("fuzzy_threshold", "must be a percentage between 0 and 100")
    if number("workers") < 1:
        raise fail("workers", "must be at least 1")
    if number("timeout") <= 0:
        raise fail("timeout", "must be a positive number of seconds")
    for key in ("retries", "backoff", "retry_failed_after"):
        if number(key) < 0:
            raise fail(key, "must not be negative")
    budget = float(table["budget"]) if "budget" in table else None  # type: ignore[arg-type]
    if budget is not None and budget <= 0:
        raise fail("budget", "must be a positive number of seconds")
    # Upper bounds keep absurd values (workers = 1e20) from failing deep inside a thread
    # pool or a socket call with a traceback.
    for key, most in _PRETRANSLATE_MAXIMA.items():
        if key in table and number(key) > most:
            raise fail(key, f"must be at most {most:g}")
    return PretranslateConfig(
        engine=engine,
        engines=tuple(sorted((str(k), str(v)) for k, v in engines.items())),
        fuzzy_threshold=threshold,
        workers=int(number("workers")),
        retries=int(number("retries")),
        timeout=number("timeout"),
        backoff=number("backoff"),
        retry_failed_after=number("retry_failed_after"),
        budget=budget,
    )


def _check_config(table: dict[str, object], fail: Callable[[str, str], ConfigError]) -> CheckConfig:
    """Validate the ``[check]`` table: ``severity = { length = "error", ... }`` and bounds."""
    defaults = CheckConfig()
    known = ("severity", "min_length_ratio", "max_length_ratio", "min_length")
    for key, value in table.items():
        if key not in known:
            raise fail(key, f"unknown key in [check] (known: {', '.join(known)})")
        if key != "severity" and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise fail(key, f"must be a number, not {type(value).__name__}")
        if isinstance(value, float) and not math.isfinite(value):
            raise fail(key, "must be a finite number")
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise fail("severity", 'must be a table such as { length = "error" }')
    if severity:
        # Imported only when needed: extract and pretranslate never run the checks.
        from .checks import CHECKS, SEVERITIES

        for name, level in severity.items():
            if name not in CHECKS:
                checks = ", ".join(sorted(CHECKS))
                raise fail("severity", f"{name}: unknown check (known: {checks})")
            if level not in SEVERITIES:
                raise fail("severity", f"{name}: must be one of {', '.join(SEVERITIES)}")
    low = float(table.get("min_length_ratio", defaults.min_length_ratio))  # type: ignore[arg-type]
    high = float(table.get("max_length_ratio", defaults.max_length_ratio))  # type: ignore[arg-type]
    if not 0 <= low < high:
        raise fail("min_length_ratio", "must be at least 0 and below max_length_ratio")
    return CheckConfig(
        severity=tuple(sorted((str(k), str(v)) for k, v in severity.items())),
        min_length_ratio=low,
        max_length_ratio=high,
        min_length=int(table.get("min_length", defaults.min_length)),  # type: ignore[call-overload]
    )


def _language(value: object, key: str, fail: Callable[[str, str], ConfigError]) -> str:
    """A language code babel knows, returned as written (it names folders)."""
    if not isinstance(value, str) or not value:
        raise fail(key, "must be a language code such as 'nl' or 'pt_BR'")
    if not language_tags.is_known(value):
        raise fail(key, f"{value!r} is not a language code babel knows")
    return value


def _key_line(raw: str, key: str) -> int | None:
    """The line where a top-level key is set, for error messages (TOML parsers give none)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=|^\s*\[{re.escape(key)}[.\]]")
    for number, line in enumerate(raw.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _table_key_line(raw: str, table: str, key: str) -> int | None:
    """The line setting ``key`` of ``[table]`` (dotted, e.g. ``engine.libre``); else the
    line that opens the table; else None.  ``key`` "" asks for the table's own line.

    >>> raw = '[pretranslate]\\ntimeout = 1\\n[engine.libre]\\ntimeout = 2'
    >>> _table_key_line(raw, "engine.libre", "timeout")
    4
    >>> _table_key_line('[engine]\\nlibre = { url = 3 }', "engine.libre", "url")
    2
    """
    target = f"{table}.{key}" if key else table
    header = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
    assignment = re.compile(r"^\s*([\w.\"' -]+?)\s*=")
    current, opened = "", None
    for number, line in enumerate(raw.splitlines(), start=1):
        if found := header.match(line):
            current = _dotted(found.group(1))
            if current == table and opened is None:
                opened = number
        elif found := assignment.match(line):
            path = _dotted(f"{current}.{found.group(1)}" if current else found.group(1))
            if path == target:
                return number
            if path == table and opened is None:  # an inline table: key = { ... }
                opened = number
    return opened


def _dotted(key: str) -> str:
    """A TOML key path without quotes or spaces: ``engine . "libre"`` -> ``engine.libre``."""
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def init_project(root: Path, *, source_language: str, languages: tuple[str, ...]) -> list[Path]:
    """Create a project skeleton; return the paths created.  Refuses to touch an existing one."""
    config_path = root / CONFIG_NAME
    if config_path.exists():
        raise ConfigError("a project already exists here", path=config_path.as_posix())

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"--{key.replace('_', '-')}: {message}")

    _language(source_language, "source_language", fail)
    for code in languages:
        _language(code, "languages", fail)
    listed = ", ".join(f'"{code}"' for code in languages)
    config = (
        f'source_language = "{source_language}"\n'
        f"languages = [{listed}]\n"
        f'articles = "articles/{source_language}"\n'
        'locales = "locales"\n'
        'output = "articles/{lang}"\n'
        'glossary = "glossary"\n'
    )
    created = []
    for folder in (root / "articles" / source_language, root / "locales", root / "glossary"):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    write_atomic(config_path, config.encode("utf-8"))
    created.append(config_path)
    return created
