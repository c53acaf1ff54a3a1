"""Properties over generated HTML: the identity round trip, and a pseudo-translated build that
html5lib parses into the source's tree shape, in the target language."""

from __future__ import annotations

import html
from typing import Any

import html5lib
from hypothesis import given
from hypothesis import strategies as st

from locpipe.assemble import assemble_article
from locpipe.model import Escape

from .test_properties import _DUTCH, SETTINGS, identity_through_po, segment

VISIBLE = {"alt", "title", "aria-label", "placeholder", "content", "lang", "dir"}

space = st.sampled_from(["", " ", "\n", "\r\n", "\n  ", "\t"])
word = st.one_of(
    st.sampled_from(_DUTCH).map(lambda w: html.escape(w, quote=False)),
    st.sampled_from(
        ["&amp;", "&eacute;", "&nbsp;", "&lt;", "&gt;", "&#8364;", "&mdash;", "AT&T", "&ldquo;"]
    ),
    st.sampled_from(["<br>", "<br/>", "<!-- noot -->"]),
)
quote = st.sampled_from(['"', "'", ""])


def attribute(draw: st.DrawFn, name: str, value: str) -> str:
    """``name=value`` quoted at random (unquoted only where HTML allows it)."""
    mark = draw(quote)
    if not mark and (not value or set(value) & set(" \t\n\"'=<>`&")):
        mark = '"'
    escaped = value.replace("&", "&amp;").replace(mark, "&quot;" if mark == '"' else "&#39;")
    return f" {name}={mark}{escaped}{mark}"


@st.composite
def phrase(draw: st.DrawFn, depth: int = 0) -> str:
    """Text with inline elements, entities, line breaks and comments."""
    pieces = [draw(st.sampled_from(_DUTCH)).replace("&", "&amp;")]
    for _ in range(draw(st.integers(0, 8))):
        choice = draw(st.integers(0, 9))
        if choice < 6 or depth > 1:
            pieces.append(draw(word))
        elif choice == 6:
            tag = draw(st.sampled_from(["em", "strong", "b", "i", "span", "abbr", "q", "mark"]))
            pieces.append(f"<{tag}>{draw(phrase(depth + 1))}</{tag}>")
        elif choice == 7:
            href = attribute(
                draw, "href", draw(st.sampled_from(["/a", "#kop", "https://x.nl/a b"]))
            )
            pieces.append(f"<a{href}>{draw(phrase(depth + 1))}</a>")
        elif choice == 8:
            pieces.append(f"<code>{draw(st.sampled_from(['x &lt; 3', 'atacms()']))}</code>")
        else:
            pieces.append('<span translate="no">ATACMS</span>')
    return draw(space).join(pieces)


@st.composite
def block(draw: st.DrawFn, level: int = 0) -> str:
    """A block element holding phrases, lists, tables, figures, quotes or opaque content."""
    kind = draw(st.integers(0, 11 if level < 2 else 4))
    if kind == 0:
        heading = draw(st.sampled_from(["h2", "h3"]))
        ident = attribute(draw, "id", draw(st.sampled_from(["kop", "a", "b"])))
        return f"<{heading}{ident}>{draw(phrase())}</{heading}>"
    if kind in (1, 2):
        end = draw(st.sampled_from(["</p>", "</p>", ""]))  # HTML lets a <p> end by itself
        return f"<p{draw(st.sampled_from(['', ' class=lead']))}>{draw(phrase())}{end}"
    if kind == 3:
        return f"<div>{draw(phrase())}{draw(space)}{draw(block(level + 1))}</div>"
    if kind == 4:
        return "<!-- opmaak -->"
    if kind == 5:
        close = draw(st.sampled_from(["</li>", ""]))
        items = draw(st.lists(phrase(), min_size=1, max_size=4))
        inner = "".join(f"{draw(space)}<li>{item}{close}" for item in items)
        tag = draw(st.sampled_from(["ul", "ol"]))
        return f"<{tag}>{inner}{draw(space)}</{tag}>"
    if kind == 6:
        cells = "".join(f"<td>{draw(phrase())}" for _ in range(draw(st.integers(1, 3))))
        return f"<table><caption>{draw(phrase())}</caption><tr><th>Land{cells}</table>"
    if kind == 7:
        alt = attribute(draw, "alt", draw(st.sampled_from(_DUTCH)))
        caption = draw(phrase())
        return f"<figure><img src=a.jpg{alt}><figcaption>{caption}</figcaption></figure>"
    if kind == 8:
        return f"<blockquote>{draw(space)}<p>{draw(phrase())}</p>{draw(space)}</blockquote>"
    if kind == 9:
        return "<script>if (a < b) { toon('Wij gebruiken cookies'); }</script>"
    if kind == 10:
        return "<pre>Bereik:  300 km\n</pre><svg><title>Kaart</title></svg>"
    placeholder = attribute(draw, "placeholder", draw(st.sampled_from(_DUTCH)))
    return f'<label>{draw(phrase())}</label><input aria-label="Zoek"{placeholder}>'


@st.composite
def html_article(draw: st.DrawFn) -> bytes:
    """A document or a body fragment with a random mix of line endings, BOM and final newline."""
    body = draw(st.lists(block(), max_size=8))
    joined = "".join(draw(space) + item for item in body)
    if draw(st.booleans()):
        title = draw(phrase(2))
        description = attribute(draw, "content", draw(st.sampled_from(_DUTCH)))
        lang = attribute(draw, "lang", "nl")
        text = (
            f"<!DOCTYPE html>{draw(space)}<html{lang}><head><title>{title}</title>"
            f'<meta name="description"{description}></head>{draw(space)}'
            f"<body>{joined}{draw(space)}</body></html>{draw(space)}"
        )
    else:
        text = joined + draw(space)
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8")


@SETTINGS
@given(data=html_article(), suffix=st.sampled_from([".html", ".htm"]))
def test_html_survives_the_identity_round_trip_through_po(data: bytes, suffix: str) -> None:
    assert identity_through_po(data, suffix) == data


def shape(document: str) -> Any:
    """The element tree html5lib parses: names, nesting and the attributes not translated."""
    tree = html5lib.parse(document, namespaceHTMLElements=False)

    def walk(element: Any) -> Any:
        attributes = sorted((k, v) for k, v in element.attrib.items() if k not in VISIBLE)
        return (element.tag, attributes, [walk(child) for child in element])

    return walk(tree)


@SETTINGS
@given(data=html_article(), language=st.sampled_from(["en", "ar"]))
def test_a_pseudo_translated_build_keeps_the_source_tree_in_the_target_language(
    data: bytes, language: str
) -> None:
    article = segment(data, ".html")
    pseudo = {unit.key: f"[{unit.text}]" for unit in article.units}
    built = assemble_article(article, pseudo, language=language).text
    source = data.decode("utf-8").removeprefix("\ufeff")
    assert shape(built.removeprefix("\ufeff")) == shape(source)
    # Every unit of element content was altered, and shows once in the document's text.
    root = html5lib.parse(built, namespaceHTMLElements=False)
    if "<html" in source:
        assert root.attrib["lang"] == language
        assert root.attrib.get("dir") == ("rtl" if language == "ar" else None)
    shown = "".join(root.itertext())
    assert shown.count("[") == sum(unit.escape is Escape.HTML for unit in article.units)
