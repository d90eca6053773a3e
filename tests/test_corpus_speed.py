"""The text path at corpus scale (issue 16, "Speed"): the layout readers' cheap tests
answer as their full patterns on every line of the real texts, a line of running text is
no reader's, a large corpus read by several processes gives the same tables byte for
byte, and an error raised in a worker reaches the user as the same one-line StudyError.
Times are measured by ``python -m socialstudy bench --corpus``, never here."""

import inspect
import pickle
from pathlib import Path

import pytest
from real_fixtures import ROOT as REAL

from socialstudy import errors, paths
from socialstudy.core.registry import load_registry
from socialstudy.extract import layout_glued, layout_groups, layout_indicators, layout_words
from socialstudy.extract import pool as pool_module
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.extract.layout import is_sentence
from socialstudy.extract.layout_blocks import _cpl_kind, space_blocks
from socialstudy.extract.layout_model import YEAR
from socialstudy.extract.layout_space import classify
from socialstudy.tools.scale import write_corpus

TEXTS = sorted(paths.RAW.glob("*.txt")) + sorted(REAL.glob("*/report.txt"))


def _lines() -> list[str]:
    """Every line of the seeds and the real fixtures, also with their tabs turned into
    spaces, line breaks or nothing (the shapes the layout readers exist for)."""
    found = set()
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        for gap in ("\t", "   ", " ", "\n", ""):
            found.update(text.replace("\t", gap).split("\n"))
    return sorted(found)


LINES = _lines()


def test_the_cheap_tests_answer_as_the_full_patterns_on_every_line():
    glued_starts = {ln for ln in LINES if layout_glued._GLUED_ROW.match(ln.strip())}
    assert glued_starts, "the texts hold glued rows (Helsingborg, the re-laid-out seeds)"
    for line in LINES:
        text = line.strip()
        assert layout_words.split_glued(line) == [
            p.strip() for p in layout_words._GLUE.split(line) if p.strip()], line
        if line in glued_starts:  # the quick test before the pattern lets each one through
            assert text[-2:-1] == "," and text[-1].isdecimal(), line
        if len(YEAR.findall(text)) < 2:  # an indicator header needs two pieces with years
            pieces = layout_indicators.HEAD_PIECE.split(text)
            assert len([p for p in pieces if YEAR.search(p)]) < 2, line
        inline = layout_groups._INLINE.match(text)
        if inline and layout_groups.is_number_line(inline.group("nums")) \
                and len(layout_groups._tokens(inline.group("nums"))[0]) >= 2:
            assert layout_groups.inline_row(line), line


def test_a_line_of_running_text_is_no_readers():
    """segment() marks such lines taken before the readers look; each reader, asked
    about the line itself, would have left it too."""
    sentences = [ln for ln in LINES if is_sentence(ln) and "\t" not in ln]
    assert len(sentences) > 500
    for line in sentences:
        assert _cpl_kind(line) == "brk", line
        assert classify(1, line, True).kind == classify(1, line, False).kind == "other", line
        assert not layout_glued._GLUED_ROW.match(line.strip()), line
        assert layout_indicators.header([line], 0) is None, line
    for line in (s for s in sentences if len(s) <= 100):  # quadratic: the short ones
        assert all(layout_indicators._row(1, line.strip(), n, []) is None for n in (2, 5))


def _texts() -> list[list[str]]:
    """The seeds and real fixtures as they are and with their tabs turned into spaces
    (space-aligned tables), line breaks (one cell per line) or nothing (glued cells)."""
    texts = []
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        texts += [text.replace("\t", gap).split("\n") for gap in ("\t", "   ", "\n", "")]
    return texts


def test_lines_out_of_reach_of_any_row_change_no_space_aligned_block():
    found = 0
    for lines in _texts():
        used = [False] * len(lines)
        blocks = space_blocks(lines, used)
        assert blocks == space_blocks(lines, used, reach=None)
        found += len(blocks)
    assert found > 50


def _exception_classes() -> list[type]:
    return [c for _, c in inspect.getmembers(errors, inspect.isclass)
            if issubclass(c, BaseException) and c.__module__ == errors.__name__]


@pytest.mark.parametrize("cls", _exception_classes(), ids=lambda c: c.__name__)
def test_every_exception_survives_a_pickle_round_trip(cls):
    if issubclass(cls, errors.StudyError):
        raised = cls("has CR line endings", file="data/raw/x.txt", line=7,
                     fix="convert line endings to LF")
        back = pickle.loads(pickle.dumps(raised))
        assert (back.problem, back.file, back.line, back.fix) == (
            "has CR line endings", "data/raw/x.txt", 7, "convert line endings to LF")
        assert back.one_line == raised.one_line == \
            "data/raw/x.txt:7: has CR line endings — fix: convert line endings to LF"
    else:
        raised = cls("stopped")
        back = pickle.loads(pickle.dumps(raised))
    assert type(back) is cls and str(back) == str(raised) and back.args == raised.args


def test_small_runs_stay_in_one_process():
    assert pool_module.pool_size(len(load_registry())) == 1
    assert pool_module.pool_size(pool_module.PARALLEL_FROM - 1) == 1
    assert pool_module.pool_size(pool_module.PARALLEL_FROM) == pool_module.cores()
    assert pool_module.pool_size(3, workers=8) == 3


def _csv(extraction) -> dict[str, str]:
    return {name: getattr(extraction, name).to_csv(index=False)
            for name in ("tables", "facts", "rejects", "cells", "quality")}


@pytest.mark.heavy
def test_the_tables_are_byte_identical_whatever_the_number_of_workers(tmp_path, monkeypatch):
    reports = load_registry(write_corpus(9, tmp_path))
    alone = _csv(extract_and_clean(reports, workers=1))
    assert alone["facts"].count("\n") > 9 * 100
    for method, workers in (("fork", 2), ("spawn", 3)):
        monkeypatch.setattr(pool_module, "start_method", lambda m=method: m)
        assert _csv(extract_and_clean(reports, workers=workers)) == alone, (method, workers)


@pytest.mark.heavy
def test_an_error_in_a_worker_reaches_the_user_as_raised(tmp_path):
    """A copy saved with CR line endings: the same RawFileError (file, line 1, the fix),
    whether read in this process or in a worker."""
    registry = write_corpus(6, tmp_path)
    broken = tmp_path / sorted(p.name for p in tmp_path.glob("c00004_*"))[0]
    broken.write_bytes(broken.read_bytes().replace(b"\n", b"\r\n"))
    _rehash(registry, broken)
    reports = load_registry(registry)
    raised = []
    for workers in (1, 2):
        with pytest.raises(errors.RawFileError) as caught:
            extract_and_clean(reports, workers=workers)
        raised.append(caught.value)
    assert raised[0].one_line == raised[1].one_line
    assert (raised[1].file, raised[1].line) == (str(broken), 1)
    assert "dos2unix" in raised[1].fix


def _rehash(registry: Path, changed: Path) -> None:
    """Register the changed copy's new bytes (the registry refuses a stale hash)."""
    import hashlib

    import yaml
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    for entry in data["reports"]:
        if entry["file"] == changed.name:
            entry["sha256"] = hashlib.sha256(changed.read_bytes()).hexdigest()
    registry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
