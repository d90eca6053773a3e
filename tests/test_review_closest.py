"""The review's similarity match (``tools.review_common.closest``) skips labels whose
upper bounds are below the threshold; its answer must equal scoring every label. Checked
on every first cell of Strängnäs 2023 (strangnas_2023_ar), where "Funktionshinderomsor"
and "Funktionshinderomsorg" name the same line."""

import difflib

from socialstudy.core.registry import by_doc_id, load_registry
from socialstudy.extract.tables import read_lines
from socialstudy.tools.review_common import SIMILAR, closest


def _every_label_scored(label, known):
    scored = [(k, difflib.SequenceMatcher(None, label, k).ratio()) for k in known]
    best = max(scored, key=lambda kv: kv[1], default=None)
    return best if best and best[1] >= SIMILAR else None


def test_closest_equals_scoring_every_label_on_a_real_report():
    lines = read_lines(by_doc_id(load_registry())["strangnas_2023_ar"].path)
    labels = sorted({t.split("\t")[0].strip() for t in lines if "\t" in t} - {""})
    assert {"Funktionshinderomsorg", "Funktionshinderomsor"} <= set(labels)  # lines 482, 497
    others = [k for k in labels if k != "Funktionshinderomsor"]
    got = closest("Funktionshinderomsor", others)
    assert got[0] == "Funktionshinderomsorg" and got[1] > 0.97
    for label in labels[:120]:
        assert closest(label + " x", labels) == _every_label_scored(label + " x", labels)
