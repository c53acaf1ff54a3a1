"""Pseudo-translation, as Translate Toolkit's podebug makes it: every text longer and marked.

A pseudo-translated article shows, before any translator is paid, what a real translation
will do to it: text that is not in a catalog stays Dutch and stands out among the marked
text, a layout that breaks when text grows by a third breaks here too, and a build of any
article must come out with the same structure as its source.  Only the letters of the
prose change (each becomes an accented look-alike) and the text is framed in ``⟦ ⟧`` and
padded; everything the masking keeps from engines (code, link destinations, tags, entities,
shortcodes, URLs) is kept byte for byte, so the markup a translator must keep is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .model import Article
from .protect import Markup, masked_spans

OPEN, CLOSE, PAD = "⟦", "⟧", "·"
EXPANSION = 0.35  # about a third: what localization guides plan for in text of sentence length
_PAD_WORD = 6  # padding comes in words of this length, so wrapping still has spaces to break at
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçďéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)


def pseudo_translate(
    text: str, *, markup: Markup = "markdown", expansion: float = EXPANSION
) -> str:
    """The text with its prose letters accented, framed in ``⟦ ⟧`` and padded to be about
    ``expansion`` longer; masked spans (code, links' destinations, tags) stay as they are.

    >>> pseudo_translate("Zie `code` en [de site](https://x.nl).")
    '⟦Žíé `code` éñ [ďé šíţé](https://x.nl). ······ ····⟧'
    >>> pseudo_translate("Regel een\\nregel twee", markup="plain", expansion=0)
    '⟦Ŕéĝéĺ ééñ\\nŕéĝéĺ ţŵéé⟧'
    """
    pieces: list[str] = []
    position = 0
    for span in masked_spans(text, markup=markup):
        pieces.append(text[position : span.start].translate(_ACCENTED))
        pieces.append(text[span.start : span.end])
        position = span.end
    pieces.append(text[position:].translate(_ACCENTED))
    padding = max(0, math.ceil(len(text) * expansion) - len(OPEN) - len(CLOSE))
    words = [PAD * _PAD_WORD] * (padding // (_PAD_WORD + 1))
    if padding % (_PAD_WORD + 1) > 1:
        words.append(PAD * (padding % (_PAD_WORD + 1) - 1))
    return OPEN + "".join(pieces) + "".join(f" {word}" for word in words) + CLOSE


def pseudo_translations(
    article: Article, *, expansion: float = EXPANSION
) -> Mapping[tuple[str | None, str], str]:
    """A pseudo-translation of every entry of an article, ready for ``assemble_article``."""
    from .segment import text_markup

    markup = text_markup(article.path)
    return {
        unit.key: pseudo_translate(unit.text, markup=markup, expansion=expansion)
        for unit in article.units
    }
