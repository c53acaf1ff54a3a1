"""How the runner cuts a stage's items into chunks for its worker processes.

The items of a stage are articles' results passed through (``Done``) and articles to work
on (``Task``); an article can give both (build, when one language of several is out of
date). Chunks are measured in articles, which is what ``expected`` counts.
"""

from __future__ import annotations

from pathlib import Path

from locpipe import runner
from locpipe.project import ArticleFiles
from locpipe.runner import Done, Source, Task


def _task(name: str) -> Task:
    files = ArticleFiles(Path(f"articles/nl/{name}.txt"), name, f"articles/nl/{name}.txt")
    return Task(Source(files, b"Tekst.\n", "digest"), {"en": "key"}, {})


def _articles(chunk: list[Task | Done]) -> list[str]:
    names = [item.article if isinstance(item, Done) else item.source.files.name for item in chunk]
    return list(dict.fromkeys(names))


def test_an_article_with_a_result_and_a_task_counts_once() -> None:
    names = [f"artikel-{number:03}" for number in range(250)]
    one_each: list[Task | Done] = [_task(name) for name in names]
    two_each: list[Task | Done] = [item for name in names for item in (Done(name), _task(name))]
    alone = [len(chunk) for chunk in runner._chunks(one_each, expected=250, jobs=2)]
    chunks = list(runner._chunks(two_each, expected=250, jobs=2))
    # The same articles a chunk as when each article is one item: the chunks shrink only
    # over the last articles, not from halfway through the run.
    assert [len(_articles(chunk)) for chunk in chunks] == alone
    assert [item for chunk in chunks for item in chunk] == two_each
    # An article's items stay in one chunk, its result before its task.
    assert sum(len(_articles(chunk)) for chunk in chunks) == len(names)
