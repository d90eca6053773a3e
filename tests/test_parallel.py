"""Steps side by side: notebooks 02–04 read only facts.csv (steps.yml), so the runner runs
them two at a time; the table may not let two such steps write one file, files written
side by side are attributed by declared writes, and a forced run overlaps them."""

import re

import pytest

from socialstudy import paths
from socialstudy.engine import dag, runner
from socialstudy.errors import StudyError

ROOT = paths.ROOT


def test_notebooks_02_to_04_wait_only_for_01_and_the_summary_for_all():
    waits = dag.waits(dag.load_table())
    assert waits["02_cost_structure"] == waits["03_staffing"] == waits["04_goals"] \
        == {"01_extract_clean"}
    assert waits["05_summary"] == {"01_extract_clean", "02_cost_structure", "03_staffing",
                                   "04_goals"}
    assert waits["publish"] == set(waits["05_summary"]) | {"05_summary"}


def test_a_file_written_by_two_steps_that_may_run_at_once_is_refused(tmp_path):
    text = dag.TABLE.read_text(encoding="utf-8")
    table = tmp_path / "steps.yml"  # notebook 04 declaring the figure index again
    table.write_text(text.replace("      - figures/indicator_attainment.svg\n",
                                  "      - figures/indicator_attainment.svg\n"
                                  "      - figures/index.csv\n"), encoding="utf-8")
    with pytest.raises(StudyError) as caught:
        dag.load_table(table)
    assert str(caught.value).startswith(f"{table}: steps 03_staffing and 04_goals may run "
                                        "at once and both write figures/index.csv")


def test_files_written_side_by_side_are_attributed_by_declared_writes():
    table = dag.load_table()
    wave = [table.step("02_cost_structure"), table.step("04_goals")]
    written = {"data/processed/goals.csv", "figures/cost_type_shares.png"} | \
        {w for step in wave for w in step.writes}
    owned = dag.attribute(wave, written)
    assert "data/processed/goals.csv" in owned["04_goals"]
    assert "figures/cost_type_shares.png" in owned["02_cost_structure"]
    assert not owned["02_cost_structure"] & owned["04_goals"]
    with pytest.raises(StudyError, match="one of the steps 02_cost_structure, 04_goals "
                                         r"\(run side by side\) wrote figures/extra.png"):
        dag.attribute(wave, written | {"figures/extra.png"})
    with pytest.raises(StudyError, match="step 04_goals did not write "
                                         "data/processed/goals.csv"):
        dag.attribute(wave, written - {"data/processed/goals.csv"})


def test_figure_index_lists_every_declared_figure_before_any_is_drawn(tmp_path, figures):
    index = figures.write_index(tmp_path)
    assert index.read_bytes() == (ROOT / "figures/index.csv").read_bytes()
    assert len(index.read_text().splitlines()) == 1 + 7
    assert not list(tmp_path.glob("*.png"))


@pytest.mark.slow
def test_forced_run_overlaps_02_to_04(forced_build):
    """(Its bytes equal the committed study's, which `make study` built with the steps
    side by side too: tests/test_pipeline.py, on this same build.)"""
    if runner.KERNELS < 2:
        pytest.skip("one core: the runner runs one notebook at a time")
    _, killed, _ = forced_build  # the forced rebuild of tests/conftest.py
    log = killed["stderr"]
    at = {m.group(1, 2): m.start() for m in
          re.finditer(r"\] (0[2-4]_\w+): (running|done)", log)}
    assert at[("03_staffing", "running")] < at[("02_cost_structure", "done")]
    assert at[("04_goals", "running")] < max(at[("02_cost_structure", "done")],
                                             at[("03_staffing", "done")])
    assert "Executing" not in log[at[("03_staffing", "running")]:
                                  at[("04_goals", "done")]]  # no interleaved bars
