"""One progress bar for long CLI runs: done/total, rate, elapsed and time left.

What it does: builds a rich ``Progress`` on stderr whose columns are the
task's description, the bar, ``done/total``, the rate in the run's own unit
("12.3 documents/s", measured over the recent past) and the elapsed and
remaining time. What it does not do: decide when a bar is shown (callers
pass ``disable`` when stderr is not a terminal or output is JSON).
"""

from __future__ import annotations

from typing import Any


def progress_bar(unit: str, *, disable: bool = False, transient: bool = False) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class RateColumn(TextColumn):
        def render(self, task):
            from rich.text import Text

            # While running: rich's recent-window rate. Once done: the whole run's
            # average (the window's rate explodes when results arrive in one batch).
            if task.finished and task.finished_time:
                speed = task.completed / task.finished_time
            else:
                speed = task.speed
            return Text(f"{speed:,.1f} {unit}/s" if speed else f"– {unit}/s", style="progress.data.speed")

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    RateColumn(""), TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("left"),
                    TimeRemainingColumn(), console=Console(stderr=True), disable=disable, transient=transient)
