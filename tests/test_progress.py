"""The progress bar's rate is what the run did: a burst of results at the end
does not turn 77 documents in 105 s into "661.7 documents/s"."""

from __future__ import annotations

from nlp.progress import progress_bar


def _rate_text(progress, task_id) -> str:
    task = progress.tasks[task_id]
    rate_column = next(c for c in progress.columns if type(c).__name__ == "RateColumn")
    return rate_column.render(task).plain


def test_finished_rate_is_done_over_elapsed():
    now = [0.0]
    progress = progress_bar("documents", disable=True)
    progress.get_time = lambda: now[0]
    task_id = progress.add_task("extract", total=10)
    for step in range(5):  # one document every 20 s
        now[0] = 20.0 * (step + 1)
        progress.advance(task_id, 1)
    for _ in range(5):  # the last five arrive together (one batch)
        now[0] += 0.001
        progress.advance(task_id, 1)
    assert progress.tasks[task_id].finished
    assert _rate_text(progress, task_id) == "0.1 documents/s"
