"""Word counts: the documented rule, and how far it is from Translate Toolkit's pocount."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from translate.tools.pocount import wordcount as pocount_words

from locpipe.words import count_words

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ATACMS-raketten", 1),  # a hyphenated compound is one word, as CAT tools bill it
        ("zo'n vijftig", 2),
        ("2,5 miljard en 1.000 euro", 5),
        ("o.a. de VS", 3),
        ("wacht — en dan …", 3),  # punctuation alone is no word
        ("* * *", 0),
        ("[de krant](https://example.org/a-b/c.html 'titel') meldt", 3),
        ('<a href="https://x.nl">hier</a> &amp; daar', 2),
        ("`ATACMS` in **vet**", 3),
        ("Oekraïne en Zelensky\u2019s plan", 4),
        ("", 0),
    ],
)
def test_the_rule(text: str, words: int) -> None:
    assert count_words(text) == words


def test_close_to_pocount_on_the_example_articles() -> None:
    """pocount splits hyphenated compounds and counts link destinations; those are the only
    differences on real news."""
    templates = sorted((ROOT / "locales/templates").rglob("*.pot"))
    assert templates
    ours = theirs = 0
    for path in templates:
        for entry in polib.pofile(str(path)):
            ours += count_words(entry.msgid)
            theirs += pocount_words(entry.msgid)
            if "-" not in entry.msgid and "](" not in entry.msgid:
                assert count_words(entry.msgid) == pocount_words(entry.msgid), entry.msgid
    assert 0.95 * theirs <= ours <= theirs
