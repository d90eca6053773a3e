"""What is read once and kept (the crosswalks, the registry and its hashes, the crossfoot
caveats) is read again after any edit: also one that keeps the file's size and
modification time, as an edit within one tick of the file system's clock does, both while
a file is fresh (known by its bytes) and once it has settled (known by its stat, whose
ctime every write moves)."""

import os
import shutil
import time
from pathlib import Path

import pytest

from socialstudy import paths
from socialstudy.core import filecache
from socialstudy.core.registry import load_registry
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.errors import HashMismatchError, RawFileError
from socialstudy.extract.tables import read_lines
from socialstudy.measures import crossfoot

HANINGE = "000_7601200e7e1b7bea.txt"


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (as long) and give the file back its modification time."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.fixture(params=["fresh", "settled"])
def settle(request, monkeypatch):
    """Wait until the files written so far count as settled (known by their stat), or not."""
    def wait() -> None:
        if request.param == "settled":
            monkeypatch.setattr(filecache, "SETTLED_NS", 50_000_000)
            time.sleep(0.1)
    return wait


def _activities(folder: Path) -> dict[str, str]:
    return {(r.municipality, r.report_label): r.category
            for r in read_crosswalk("activities.csv", folder)}


def test_a_crosswalk_edit_keeping_size_and_mtime_is_read(tmp_path, settle):
    # activities.csv line 7: Haninge's 'Socialnämnden' is the committee total
    path = tmp_path / "activities.csv"
    shutil.copyfile(paths.CROSSWALKS / "activities.csv", path)
    settle()
    first = read_crosswalk("activities.csv", tmp_path)
    assert _activities(tmp_path)[("Haninge", "Socialnämnden")] == "total"
    assert read_crosswalk("activities.csv", tmp_path) is first, "kept while unchanged"
    _same_size_edit(path, "Haninge,Socialnämnden,,total,", "Haninge,Socialnämnden,,other,")
    assert _activities(tmp_path)[("Haninge", "Socialnämnden")] == "other"


def test_a_raw_file_edit_keeping_size_and_mtime_is_refused(raw, settle):
    settle()
    assert [r.doc_id for r in load_registry(raw / "reports.yml")][0] == "haninge_2024_ar"
    # Haninge's 2024 net cost, 1 243,4 mnkr (000:372), becomes 1 243,5
    _same_size_edit(raw / HANINGE, "<b>Socialnämnden</b>\t<b>-1 243,4",
                    "<b>Socialnämnden</b>\t<b>-1 243,5")
    with pytest.raises(HashMismatchError, match=f"{HANINGE} .*changed after registration"):
        load_registry(raw / "reports.yml")


def test_a_report_text_edit_keeping_size_and_mtime_is_read_and_checked(tmp_path, settle):
    path = tmp_path / HANINGE
    shutil.copyfile(paths.RAW / HANINGE, path)
    settle()
    assert read_lines(path)[371].startswith("<b>Socialnämnden</b>\t<b>-1 243,4</b>")
    _same_size_edit(path, "<b>Socialnämnden</b>\t<b>-1 243,4", "<b>Socialnämnden</b>\t<b>-1\t243,4")
    assert read_lines(path)[371].startswith("<b>Socialnämnden</b>\t<b>-1\t243,4</b>")
    # 'ä' (2 bytes) decomposed: 'a' and a combining diaeresis (3 bytes), the tab dropped
    _same_size_edit(path, "<b>Socialnämnden</b>\t<b>-1\t243,4",
                    "<b>Socialna\u0308mnden</b>\t<b>-1243,4")
    with pytest.raises(RawFileError, match="decomposed letters"):
        read_lines(path)


def test_the_same_registry_text_elsewhere_points_at_its_own_files(raw):
    here, there = load_registry(paths.REGISTRY), load_registry(raw / "reports.yml")
    assert [r.doc_id for r in here] == [r.doc_id for r in there]
    assert here[0].path == paths.RAW / HANINGE and there[0].path == raw / HANINGE
    (raw / HANINGE).unlink()
    with pytest.raises(Exception, match=f"{HANINGE} is missing"):
        load_registry(raw / "reports.yml")


def test_crossfoot_caveats_follow_an_edit_of_quality_csv(tmp_path, settle):
    for name in ("quality.csv", "facts.csv"):
        shutil.copyfile(paths.Outputs().processed / name, tmp_path / name)
    settle()
    key = ("haninge_2024_ar", 372, 2023, "full_year", "actual")
    # quality.csv line 99: the parts of 000:372 sum to 1 149,6 against the printed 1 154,0
    assert "sum to 1149.6 mnkr against the printed total of 1154.0" in crossfoot.load(tmp_path)[key]
    _same_size_edit(tmp_path / "quality.csv", "-1149600,-1154000", "-1149700,-1154000")
    assert "sum to 1149.7 mnkr against the printed total of 1154.0" in crossfoot.load(tmp_path)[key]
