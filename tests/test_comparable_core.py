"""Remit per report, the comparable core and the deviation without named items: real
values pinned with the raw lines they rest on (issue 17)."""

import pytest

from socialstudy.core.scope import Selection
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare, core, remit
from socialstudy.measures.adjustments import adjustments, without
from socialstudy.measures.per_inhabitant import per_inhabitant
from socialstudy.narrative import core_text

H24, H20 = "haninge_2024_ar", "haninge_2020_d1"
HU, ST = "huddinge_2024_vb", "strangnas_2023_ar"
SELS = {H24: Selection("Haninge", 2024, H24, "full_year", ""),
        HU: Selection("Huddinge", 2024, HU, "full_year", ""),
        ST: Selection("Strängnäs", 2023, ST, "full_year", "")}


@pytest.fixture(scope="module")
def remits(reports):
    return remit.remit_by_report(reports)


@pytest.fixture(scope="module")
def activity(numbered_facts, reports):
    return compare.cost_by_activity(numbered_facts, reports)


@pytest.fixture(scope="module")
def inhabitants(numbered_facts, reports):
    return per_inhabitant(numbered_facts, reports).astype(str)


@pytest.mark.parametrize("doc_id, category, status, line", [
    (H20, "elderly_care", "partial", 288),   # Avdelning Beställare funktionsnedsättning och äldre
    (H24, "elderly_care", "no", 103),
    (H20, "disability_support", "yes", 322),
    (HU, "economic_assistance", "partial", 624),   # emergency aid via Socialjouren only
    (HU, "disability_support", "partial", 502),    # (ej LSS/SFB)
    (ST, "elderly_care", "yes", 419)])
def test_remit_is_judged_per_report(remits, reports, doc_id, category, status, line):
    row = remits[(remits.doc_id == doc_id) & (remits.category == category)].iloc[0]
    assert (row.in_remit, int(row.source_line)) == (status, line)
    path = next(r.path for r in reports if r.doc_id == doc_id)
    assert row.evidence in read_lines(path)[line - 1]


def test_haninge_2020_and_2024_differ(remits):
    assert remit.remit_of(remits, H20)["elderly_care"] != remit.remit_of(remits, H24)[
        "elderly_care"]


@pytest.mark.parametrize("docs", [[H24, HU, ST], [H24, HU], [H24, ST], [H24]])
def test_haninge_ifo_holds_economic_assistance_case_work(activity, remits, inhabitants,
                                                          reports, docs):
    """Haninge's IFO line (370, 474.6 mnkr) also holds the case work of economic assistance:
    its reception sits in IFO's 'Första linjen' (733) and a second-line unit is named
    'Andra linjen vuxen, ekonomiskt bistånd, integration och arbetsmarknadscenter' (730).
    The core's range does not move in any selection of the four reports: where economic
    assistance is outside the core, disability support (socialpsykiatri, 758) already made
    IFO touch it – counted out (low) and in (high), 2.6–535.0 mnkr; where both are in the
    core (Haninge with Strängnäs, or alone), IFO is counted in. Only the caveat changes:
    it names economic assistance beside disability support."""
    lines = read_lines(next(r.path for r in reports if r.doc_id == H24))
    assert "Mottagning barn, unga och vuxna samt ekonomiskt bistånd" in lines[733 - 1]
    assert lines[730 - 1].startswith("Andra linjen vuxen, ekonomiskt bistånd")
    ifo = activity[(activity.doc_id == H24) & (activity.source_line.astype(str) == "370")
                   & (activity.fiscal_year.astype(str) == "2024")].iloc[0]
    assert (str(ifo.net_cost_tkr), ifo.components) == (
        "474600", "children_young_people+adults_substance_abuse+economic_assistance+"
        "disability_support+other")
    frame = _core(activity, remits, inhabitants, docs)
    line = frame[(frame.doc_id == H24) & (frame.report_label == ifo.report_label)].iloc[0]
    row = frame[(frame.doc_id == H24) & (frame.row_kind == "core")].iloc[0]
    if "economic_assistance" in frame.core_categories.iloc[0]:
        assert line.in_core == "in"
        assert "Individ- och familjeomsorg (IFO)" not in row.note
    else:
        assert line.in_core == "touches"
        assert [row.core_low_tkr, row.core_high_tkr] == ["2600", "535000"]
        assert ("'Individ- och familjeomsorg (IFO)' 474.6 mnkr (line 370) also holds economic "
                "assistance and disability support – the report gives no split") in row.note


def _core(activity, remits, inhabitants, docs):
    return core.comparable_core(activity, remits, inhabitants, [SELS[d] for d in docs])


def test_default_core(activity, remits, inhabitants):
    frame = _core(activity, remits, inhabitants, [H24, HU, ST])
    assert frame.core_categories.iloc[0] == ("children_young_people+adults_substance_abuse+"
                                             "administration+other")
    rows = frame[frame.row_kind == "core"].set_index("doc_id")
    # Haninge: committee 2.6 (line 368) in; staff units 57.8 (line 367) serve the whole
    # administration, which also runs elderly care for another committee (line 103), and IFO
    # 474.6 (line 370, also socialpsykiatri) touch the core -> range 2.6-535.0
    assert rows.loc[H24, ["core_low_tkr", "core_high_tkr", "status"]].tolist() == [
        "2600", "535000", "range"]
    assert rows.loc[H24, ["per_inhabitant_low_kr", "per_inhabitant_high_kr"]].tolist() == [
        "26", "5303"]
    assert ("'Förvaltningsdirektör och staber' 57.8 mnkr (line 367) also serves or may hold "
            "disability support, economic assistance and elderly care") in rows.loc[H24, "note"]
    # Huddinge: lines 496-499, 501, 503 in; 500 (economic assistance) and 502 out; its
    # administration (line 496) is the committee's political costs only
    assert rows.loc[HU, ["core_low_tkr", "core_high_tkr", "status"]].tolist() == [
        "406803", "406803", "complete"]
    assert rows.loc[HU, "per_inhabitant_low_kr"] == "3559"
    # Strängnäs: only the committee's own 2.0 (line 397) in; Socialkontoret 9.9 (398) and
    # Administration och digitalisering 25.7 (404) serve all six areas (line 122, 423);
    # Myndighet 310.1 (399) touches; IFO 67.6 (400) may carry economic assistance, which
    # the report puts in no named line (line 572); no 2023 population
    assert rows.loc[ST, ["core_low_tkr", "core_high_tkr"]].tolist() == ["2000", "415300"]
    assert "not available" in rows.loc[ST, "note"]
    assert ("'Individ och familjeomsorg' 67.6 mnkr (line 400) also serves or may hold economic "
            "assistance") in rows.loc[ST, "note"]
    lines = frame[frame.row_kind == "line"].set_index(["doc_id", "source_line"]).in_core
    assert [lines[(H24, n)] for n in (367, 368, 370)] == ["touches", "in", "touches"]
    assert [lines[(ST, n)] for n in (397, 398, 399, 400, 404)] == [
        "in", "touches", "touches", "touches", "touches"]
    assert lines[(HU, 496)] == "in" and lines[(HU, 500)] == "out" and lines[(HU, 502)] == "out"


def test_core_reach_quotes_stand_on_their_lines(reports):
    reach = core.reaches(reports)
    row = reach[(H24, "Förvaltningsdirektör och staber")]
    assert (int(row.quote_line), row.reaches) == (
        103, "disability_support+economic_assistance+elderly_care")
    path = next(r.path for r in reports if r.doc_id == H24)
    # line 103: the administration is organised in disability care, IFO and elderly care,
    # "med stöd från två staber"
    assert "samt äldreomsorg, med stöd från två staber" in read_lines(path)[102]
    assert int(reach[(ST, "Individ och familjeomsorg")].quote_line) == 572


def test_haninge_huddinge_caveat_names_lss_and_economic_assistance(activity, remits,
                                                                   inhabitants):
    frame = _core(activity, remits, inhabitants, [H24, HU]).astype(str)
    text = " ".join(core_text.remit_differences(frame, remits))
    assert "economic assistance: Haninge carries it: 'Försörjningsstöd' 145.7 mnkr" in text
    assert "'Funktionshinderomsorg' 562.6 mnkr [000_7601200e7e1b7bea.txt:371]" in text
    assert "Huddinge only partly: 'Ekonomiskt bistånd' 2.7 mnkr" in text


@pytest.mark.parametrize("doc_id, dev, budget, line, expected", [
    (H24, -71900, 1171500, 353, (-120300, -10.27)),   # one-off 39.7 + reserve 8.7 (374)
    (HU, 4488, 501533, 680, (-15512, -3.09)),  # 20 mnkr top-up, % of the printed budget
    (ST, -35500, 867100, 423, (-55200, -6.37))])      # buffers on management, line 398
def test_deviation_without_named_items(reports, doc_id, dev, budget, line, expected):
    items = adjustments(reports)
    items = items[items.doc_id == doc_id]
    assert line in set(items.quote_line.astype(int))
    value, pct = without(dev, budget, items)
    assert (round(value), round(pct, 2)) == expected


def test_core_key_figure_names_the_touching_lines(activity, remits, inhabitants):
    from socialstudy.narrative import summary
    frame = _core(activity, remits, inhabitants, [H24, HU]).astype(str)
    # the range's ends are the lines counted out and in: 57.8 (line 367) and 474.6 (line 370)
    assert summary._core(frame, SELS[H24]) == (
        "26–5303 (range: 'Förvaltningsdirektör och staber' 57.8 mnkr (line 367) also serves "
        "or may hold disability support, economic assistance and elderly care (staff units of "
        "the whole administration, which also runs elderly care for another committee, line "
        "103); 'Individ- och familjeomsorg (IFO)' 474.6 mnkr (line 370) also holds economic "
        "assistance and disability support – the report gives no split: each counted out (low) "
        "and in (high) [000_7601200e7e1b7bea.txt:367, 370])"
        " (core: children and young people, adults: substance abuse, administration, other; "
        "its 'other' here: labour-market centre and integration"
        " (IFO unit 'Andra linjen vuxen, ekonomiskt bistånd, integration och "
        "arbetsmarknadscenter', whose economic-assistance case work counts as economic "
        "assistance) and family law (IFO's 'Första linjen'), all inside the IFO "
        "line [000_7601200e7e1b7bea.txt:730, 733])")
    # Huddinge's core per inhabitant 3559 kr names the core and what its 'other' holds
    assert summary._core(frame, SELS[HU]) == (
        "3559 (core: children and young people, adults: substance abuse, administration, other; "
        "its 'other' here: family law and counselling, violence in close relationships and "
        "refugee reception; no labour-market line [002_ed79cea0b5e49fc0.txt:498, 503, 633])")
