"""The terminal progress bar for long commands: core code reports progress through a
callback (`prep.export.anki.Progress`); drawing it is the command line's business."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import TaskID

    from prep.export.anki import Progress


@contextlib.contextmanager
def progress_bar(min_total: int = 500, lang: str = "en") -> Iterator[Progress | None]:
    """A rich progress bar on stderr for exports of at least `min_total` notes, only
    when stderr is a terminal (pipes and CI logs stay clean); else None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("{task.description:<10}" if lang != "zh" else "{task.description:<8}"),  # a Chinese word: 2 cells a character
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, TaskID] = {}
    labels = {"render": "渲染", "write": "写入"} if lang == "zh" else {"render": "Rendering", "write": "Writing"}

    def update(stage: str, done: int, total: int) -> None:
        if total < min_total:
            return
        if stage not in tasks:
            if not tasks:
                bar.start()
            tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
        if done == total or done % 50 == 0:
            bar.update(tasks[stage], completed=done)

    try:
        yield update
    finally:
        if tasks:
            bar.stop()
