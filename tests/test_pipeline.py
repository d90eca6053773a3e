"""The runner: parameters checked before any notebook runs, honest scopes for other years,
caching, and a rebuild that reproduces the committed outputs byte for byte."""

import filecmp
import subprocess
import sys

import pytest

from socialstudy import paths, pipeline
from socialstudy.errors import ParameterError
from socialstudy.scope import resolve


def test_unknown_year_fails_before_execution(reports, facts):
    with pytest.raises(ParameterError, match=r"2010.*2020, 2022, 2023, 2024"):
        resolve(2010, "all", reports, facts)


def test_unknown_municipality_fails_listing_the_known_ones(reports, facts):
    with pytest.raises(ParameterError, match="Stockholm.*Haninge, Huddinge, Strängnäs"):
        resolve("latest", "Stockholm", reports, facts)


def test_cli_error_is_one_clear_message(tmp_path):
    done = subprocess.run([sys.executable, "-m", "socialstudy", "run", "--year", "2010"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: data/raw/reports.yml: no report gives outcomes for 2010")
    assert "Traceback" not in done.stderr


def test_latest_uses_each_municipalitys_newest_full_year(reports, facts):
    table = resolve("latest", "all", reports, facts).table()
    assert dict(zip(table.municipality, table.fiscal_year)) == {
        "Haninge": 2024, "Huddinge": 2024, "Strängnäs": 2023}


def test_2023_uses_prior_year_columns(reports, facts):
    scope = resolve(2023, "all", reports, facts)
    assert {m: s.doc_id for m, s in scope.selections.items()} == {
        "Haninge": "haninge_2024_ar", "Huddinge": "huddinge_2024_vb",
        "Strängnäs": "strangnas_2023_ar"}
    assert not scope.has_part_year


def test_2020_is_flagged_part_year(reports, facts):
    scope = resolve(2020, "all", reports, facts)
    assert scope.has_part_year
    assert scope.selections["Haninge"].period == "jan_apr"
    assert scope.selections["Huddinge"].doc_id is None


def test_municipality_names_are_case_insensitive(reports, facts):
    scope = resolve("latest", "huddinge,STRÄNGNÄS", reports, facts)
    assert list(scope.selections) == ["Huddinge", "Strängnäs"]


@pytest.fixture(scope="module")
def rebuild(tmp_path_factory):
    out = paths.Outputs(tmp_path_factory.mktemp("rebuild"))
    first = pipeline.run(outputs=out, force=True, progress=False)
    second = pipeline.run(outputs=out, progress=False)
    return out, first, second


def test_rebuild_reproduces_committed_outputs_byte_for_byte(rebuild):
    out, first, _ = rebuild
    assert [r.status for r in first] == ["ran"] * len(pipeline.NOTEBOOKS)
    for name in ("data/processed", "figures"):
        committed = sorted(str(p.relative_to(paths.ROOT / name))
                           for p in (paths.ROOT / name).rglob("*") if p.is_file())
        rebuilt = sorted(str(p.relative_to(out.root / name))
                         for p in (out.root / name).rglob("*") if p.is_file())
        assert rebuilt == committed, name
        match, mismatch, errors = filecmp.cmpfiles(paths.ROOT / name, out.root / name,
                                                   committed, shallow=False)
        assert mismatch == [] and errors == [], f"{name}: {mismatch} {errors}"


def test_unchanged_rerun_skips_every_notebook(rebuild):
    _, _, second = rebuild
    assert [r.status for r in second] == ["skipped"] * len(pipeline.NOTEBOOKS)


def test_failure_names_notebook_and_cell_and_keeps_it(tmp_path, monkeypatch):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from socialstudy.errors import StudyError
    source = tmp_path / "notebooks"
    source.mkdir()
    params = new_code_cell('year = "latest"\nmunicipalities = "all"\nout_dir = ""')
    params.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[params, new_code_cell("1 / 0")])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, source / "broken.ipynb")
    monkeypatch.setattr(pipeline.paths, "NOTEBOOKS", source)
    with pytest.raises(StudyError, match=r"notebook broken.ipynb failed in cell \d+ "
                                         r"\(ZeroDivisionError"):
        pipeline.run(outputs=paths.Outputs(tmp_path / "out"), notebooks=("broken.ipynb",),
                     progress=False)
    kept = tmp_path / "out" / "build" / "year=latest" / "broken.ipynb"
    assert kept.exists() and "ZeroDivisionError" in kept.read_text(encoding="utf-8")
