"""A deterministic corpus of distinct Dutch articles, recombined from the seed article.

Even-numbered articles are plain text in the seed's shape (title, table of contents whose
lines come back as headings, heading + paragraph sections, two closing lines); odd-numbered
ones are Markdown (nested headings, paragraphs hard-wrapped at 80 columns, nested lists, a
table, fenced code). Article ``i`` depends only on the seed and ``i``'s predecessors, so the
first 50 articles of a 5,000-article corpus are those of a 50-article one.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "articles" / "nl" / "atacms.txt"


@dataclass(frozen=True)
class Vocabulary:
    """Headings, sentences and words taken from the seed article."""

    headings: tuple[str, ...]
    sentences: tuple[str, ...]
    words: tuple[str, ...]
    closing: tuple[str, str]


def read_vocabulary(path: Path = SEED_ARTICLE) -> Vocabulary:
    """Split the seed into its table-of-contents headings, body sentences and closing lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    # The seed's table of contents runs from line 3 up to the first heading's repetition.
    toc: list[str] = []
    for line in lines[2:]:
        if line in toc:
            break
        toc.append(line)
    paragraphs = [
        line for line in lines[2 + len(toc) :] if line and line not in toc and len(line) > 80
    ]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.?!])\s+", p) if s]
    words = sorted({w.strip(".,?!:;'\"()") for s in sentences for w in s.split()} - {""})
    closing = (lines[-3], lines[-1]) if lines[-2] == "" else (lines[-2], lines[-1])
    return Vocabulary(tuple(toc), tuple(sentences), tuple(words), closing)


def _heading(rng: random.Random, vocab: Vocabulary) -> str:
    # Half the headings are the seed's own, half are new word sequences, so titles repeat
    # across articles the way house style repeats them, but no two articles are alike.
    if rng.random() < 0.5:
        return rng.choice(vocab.headings)
    words = rng.sample(vocab.words, rng.randint(3, 6))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(["", "", "?"])


def _paragraph(rng: random.Random, vocab: Vocabulary, low: int = 1, high: int = 4) -> str:
    return " ".join(rng.sample(vocab.sentences, rng.randint(low, high)))


def text_article(rng: random.Random, vocab: Vocabulary) -> str:
    """One plain-text article in the seed's shape (the TOC runs straight into the first heading)."""
    title = _heading(rng, vocab) + ": " + _paragraph(rng, vocab, 1, 1).rstrip(".")
    headings: list[str] = []
    wanted = rng.randint(4, 10)
    while len(headings) < wanted:
        heading = _heading(rng, vocab)
        if heading not in headings:
            headings.append(heading)
    parts = [title, "", *headings]
    for heading in headings:
        parts += [heading, "", _paragraph(rng, vocab), ""]
    # Like the seed, the last line has no newline.
    parts += [vocab.closing[0], "", vocab.closing[1]]
    return "\n".join(parts)


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text,
        width=80,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_long_words=False,
        break_on_hyphens=False,
    )


def _inline(rng: random.Random, sentence: str) -> str:
    # Some emphasis and links, so inline markup is part of what tools must carry through.
    words = sentence.split()
    if len(words) > 4 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i] = f"**{words[i]}**"
    if len(words) > 6 and rng.random() < 0.2:
        i = rng.randrange(len(words) - 1)
        words[i] = f"[{words[i]}](https://example.org/{rng.randrange(1000)})"
    return " ".join(words)


def markdown_article(rng: random.Random, vocab: Vocabulary) -> str:
    """One Markdown article: nested headings, wrapped paragraphs, lists, a table, fenced code."""
    out = [f"# {_heading(rng, vocab)}", "", _wrap(_inline(rng, _paragraph(rng, vocab))), ""]
    sections = rng.randint(2, 4)
    table_at, code_at, list_at = (rng.randrange(sections) for _ in range(3))
    for s in range(sections):
        out += [f"## {_heading(rng, vocab)}", "", _wrap(_inline(rng, _paragraph(rng, vocab))), ""]
        if rng.random() < 0.6:
            out += [f"### {_heading(rng, vocab)}", "", _wrap(_paragraph(rng, vocab, 2, 5)), ""]
        if s == list_at:
            marker = rng.choice(["-", "1."])
            for n in range(rng.randint(2, 4)):
                bullet = f"{n + 1}." if marker == "1." else "-"
                out.append(_wrap(_inline(rng, _paragraph(rng, vocab, 1, 1)), f"{bullet} "))
                if n == 0:
                    for _ in range(rng.randint(1, 3)):
                        nested = _paragraph(rng, vocab, 1, 1)
                        out.append(_wrap(nested, " " * (len(bullet) + 1) + "- "))
            out.append("")
        if s == table_at:
            out += ["| Wapen | Aantal | Bron |", "| --- | ---: | --- |"]
            for _ in range(rng.randint(2, 4)):
                weapon = rng.choice(["ATACMS", "Storm Shadow", "HIMARS", "Patriot"])
                source = rng.choice(["Kremlin", "New York Times", "Kyiv Independent"])
                out.append(f"| {weapon} | {rng.randint(1, 60)} | {source} |")
            out.append("")
        if s == code_at:
            out += [
                "```json",
                f'{{"raketten": {rng.randint(1, 60)}, "bron": "{rng.choice(vocab.words)}"}}',
                "```",
                "",
            ]
    return "\n".join(out).rstrip("\n") + "\n"


def generate_corpus(directory: Path, count: int, *, seed: int = 2024) -> dict[str, list[Path]]:
    """Write ``count`` distinct articles under ``directory/txt`` and ``directory/md``."""
    vocab = read_vocabulary()
    rng = random.Random(seed)
    files: dict[str, list[Path]] = {"txt": [], "md": []}
    seen: set[str] = set()
    for fmt in files:
        (directory / fmt).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        fmt = "txt" if i % 2 == 0 else "md"
        make = text_article if fmt == "txt" else markdown_article
        text = make(rng, vocab)
        while text in seen:  # practically never; keeps "distinct" a guarantee
            text = make(rng, vocab)
        seen.add(text)
        path = directory / fmt / f"artikel-{i:05d}.{fmt}"
        path.write_text(text, encoding="utf-8")
        files[fmt].append(path)
    return files
