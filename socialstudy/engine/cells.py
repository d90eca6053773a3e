"""What an executed notebook's cells say about how its run ended, for the run's one line:
a cell that called ``sys.exit`` (papermill would take ``sys.exit(0)`` for success), the
cell a kernel died in."""

from __future__ import annotations


def ran_to_the_end(nb) -> None:
    """papermill takes ``sys.exit(0)`` in a cell for success: the cells after it never
    ran, and the run would store and publish the cut notebook. An error, in one line."""
    from papermill.exceptions import PapermillExecutionError
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "SystemExit":
                raise PapermillExecutionError(index, cell.execution_count, cell.source,
                                              "SystemExit", f"{out.evalue or 0}: the notebook"
                                              " ended here", out.traceback)


def last_started(nb) -> int | None:
    """The number of the last cell papermill started (counting code cells from 1, as
    "failed in cell N" does), if any: where the kernel was when it died (papermill marks
    that cell completed all the same; the cells after it have no start time)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    started = [(number, cell) for number, cell in enumerate(code, 1)
               if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    if not started:
        return None
    number, cell = started[-1]
    return cell.execution_count or number
