"""Segmentation: cut a source article into translation units and the layout around them.

One module per input format, all producing the same :class:`~locpipe.model.Article`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import SegmentationError
from ..model import Article
from .base import assign_sections_and_contexts, decode_source, screen_units

if TYPE_CHECKING:
    from ..protect import Markup

# The Markdown each site generator parses; see segment/dialects.py.
DIALECTS = ("commonmark", "docusaurus", "mkdocs", "hugo", "jekyll")
FORMATS = {".txt": "plain", ".md": "markdown", ".mdx": "mdx", ".html": "html", ".htm": "html"}
# The inline syntax of each format's units, which decides what is masked from engines.
_MARKUP: dict[str, Markup] = {
    "plain": "plain", "markdown": "markdown", "mdx": "markdown", "html": "html"
}  # fmt: skip


def text_markup(path: str | PurePath) -> Markup:
    """The inline syntax of the units of the article at ``path``, by its extension."""
    return _MARKUP.get(FORMATS.get(PurePosixPath(path).suffix.lower(), "plain"), "plain")


@dataclass(frozen=True, slots=True)
class SegmentOptions:
    """What a project can tell the segmenters: for HTML, the classes that mark text never to
    translate and the attributes whose values a reader sees; for Markdown, the site generator
    whose syntax the article is written in (see :data:`DIALECTS`) and the front matter keys
    whose values a reader sees besides the dialect's own (``[markdown]`` in locpipe.toml)."""

    no_translate_classes: tuple[str, ...] = ("notranslate",)
    visible_attributes: tuple[str, ...] = ("alt", "title", "aria-label", "placeholder")
    dialect: str = "commonmark"
    front_matter_keys: tuple[str, ...] = ()


DEFAULT_OPTIONS = SegmentOptions()


def segment_article(
    data: bytes, *, path: str, name: str, options: SegmentOptions = DEFAULT_OPTIONS
) -> Article:
    """Decode an article's bytes and cut them into units by the format its extension names."""
    text, bom = decode_source(data, path)
    fmt = FORMATS.get(PurePosixPath(path).suffix.lower())
    try:
        if fmt == "plain":
            from .plain import segment_plain

            parts = segment_plain(text)
        elif fmt in ("markdown", "mdx"):
            from .frontmatter import front_matter_keys
            from .markdown import segment_markdown

            parts = segment_markdown(
                text,
                mdx=fmt == "mdx",
                dialect=options.dialect,
                visible_attributes=options.visible_attributes,
                front_matter_keys=front_matter_keys(options.dialect, options.front_matter_keys),
            )
        elif fmt == "html":
            from .html import segment_html

            parts = segment_html(
                text,
                no_translate_classes=options.no_translate_classes,
                visible_attributes=options.visible_attributes,
            )
        else:
            raise SegmentationError(f"unknown article format (known: {', '.join(FORMATS)})")
    except SegmentationError as exc:
        exc.path = path
        raise
    parts = assign_sections_and_contexts(screen_units(parts))
    return Article(path=path, name=name, parts=parts, bom=bom)
