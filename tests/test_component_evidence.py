"""'Plus an unknown part of X' cites the line where the report shows that the mixed line X
holds that component (crosswalks/component_evidence.csv), not X's description of another
of its parts: each quote is checked at its line, and the lines are pinned here."""

from __future__ import annotations

import dataclasses

import pytest

from socialstudy import paths
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures import like_with_like
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import findings
from socialstudy.narrative.caveats import mixed_parts

ACTIVITY = findings.read(paths.Outputs().processed, "cost_by_activity")
IFO = "Individ- och familjeomsorg (IFO)"
YEARS = {"haninge_2024_ar": 2024, "huddinge_2024_vb": 2024, "strangnas_2023_ar": 2023}


def test_each_component_cites_its_own_line(reports):
    held = like_with_like.component_evidence(reports)
    # 000_…txt 730 'Andra linjen vuxen, ekonomiskt bistånd, …' (a unit of IFO, section 726);
    # 733 'Första linjen består av: Mottagning barn, unga och vuxna samt ekonomiskt bistånd'
    assert held[("haninge_2024_ar", IFO, "economic_assistance")] == [730, 733]
    # 758 'Andra linjen vuxen består av: … socialpsykiatri …, boende socialpsykiatri stödboende'
    assert held[("haninge_2024_ar", IFO, "disability_support")] == [758]
    # 004_…txt 564 'interna mellanhavanden mellan myndighet och äldreomsorg';
    # 413 'Underskottet förklaras även av höga kostnader inom LSS vuxna'
    assert held[("strangnas_2023_ar", "Myndighet", "elderly_care")] == [564]
    assert held[("strangnas_2023_ar", "Myndighet", "disability_support")] == [413]
    lines = {r.doc_id: read_lines(r.path) for r in reports}
    assert "samt ekonomiskt bistånd" in lines["haninge_2024_ar"][733 - 1]
    assert "ekonomiskt bistånd" not in lines["haninge_2024_ar"][758 - 1]


def test_mixed_parts_cite_the_amount_and_the_evidence(reports):
    parts = mixed_parts(ACTIVITY, YEARS, reports)
    # 370: IFO -474,6 mnkr; its economic-assistance case work at 730 and 733, not 758
    assert parts[("haninge_2024_ar", "economic_assistance")] == (
        [(IFO, "474600")], [370, 730, 733])
    assert parts[("haninge_2024_ar", "disability_support")] == ([(IFO, "474600")], [370, 758])
    assert parts[("strangnas_2023_ar", "elderly_care")] == (
        [("Myndighet", "310100")], [399, 564])
    # a line without evidence of its own parts keeps its own description (Strängnäs's IFO,
    # 400; 116 describes the whole committee)
    assert parts[("strangnas_2023_ar", "children_young_people")][1][-2:] == [400, 116]


def test_every_component_a_remit_caveat_names_has_evidence(reports):
    """Each category that sets a committee apart in the default run and also sits in a mixed
    line has its own evidence row for that line."""
    held = like_with_like.component_evidence(reports)
    diffs = like_with_like.remit_differences(remit_by_report(reports), ACTIVITY, YEARS)
    mixed = ACTIVITY[(ACTIVITY.fit == "mixed") & (ACTIVITY.net_cost_tkr != "")
                     & (ACTIVITY.period == "full_year")]
    checked = 0
    for d in diffs.itertuples():
        for m in mixed[mixed.doc_id == d.doc_id].itertuples():
            if int(m.fiscal_year) == YEARS[d.doc_id] and d.category in m.components.split("+"):
                assert (d.doc_id, m.report_label, d.category) in held
                checked += 1
    assert checked == 4  # Haninge's IFO: LSS, economic assistance; Strängnäs's Myndighet: two


def test_a_quote_off_its_line_stops_the_run(reports, monkeypatch):
    rows = like_with_like.rows_by_report("component_evidence.csv", reports)
    row, report = rows[0]
    moved = [(dataclasses.replace(row, quote_line="759"), report)]
    monkeypatch.setattr(like_with_like, "rows_by_report", lambda name, reps: moved)
    with pytest.raises(CrosswalkError, match="not on line 759"):
        like_with_like.component_evidence(reports)
