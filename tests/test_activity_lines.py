"""Every activity line of the four reports: its category and fit rest on the report's own
description of the line (crosswalks/activities.csv), and the cited raw line holds that
description. Pinned (doc_id, table line) -> (label, category, fit, description line)."""

import pytest
from conftest import one

from socialstudy.core.registry import by_doc_id
from socialstudy.crosswalks import matching
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare

PINNED = {
    ("haninge_2020_d1", 284): ("Förvaltningsgemensam verksamhet", "administration", "exact", 484),
    ("haninge_2020_d1", 285): ("Socialnämnd", "administration", "partial", 310),
    ("haninge_2020_d1", 286): ("Avdelning Arbete och försörjning", "mixed", "mixed", 376),
    ("haninge_2020_d1", 287): ("Avdelning Individ- och familjeomsorg (IFO)", "mixed", "mixed", 339),
    ("haninge_2020_d1", 288): (
        "Avdelning Beställare funktionsnedsättning och äldre",
        "mixed", "mixed", 322),
    ("haninge_2020_d1", 289): (
        "Avdelning Boende och boendestöd funktionsnedsättning",
        "disability_support", "exact", 423),
    ("haninge_2020_d1", 290): (
        "Avdelning Stöd och serviceinsatser",
        "disability_support", "exact", 444),
    ("haninge_2020_d1", 291): (
        "Avdelning Vård- och omsorgsboende och HSL",
        "health_care", "partial", 464),
    ("haninge_2020_d1", 292): ("Totalt", "total", "exact", 292),
    ("haninge_2020_d1", 327): (
        "Insatser enl. SoL för personer med psykisk funktionsnedsättning (inkl. Mötesplats 25)",
        "disability_support", "exact", 327),
    ("haninge_2020_d1", 328): ("Insatser enl. SoL för vuxna", "disability_support", "partial", 640),
    ("haninge_2020_d1", 329): ("Insatser enl. LSS", "disability_support", "exact", 329),
    ("haninge_2020_d1", 330): (
        "Avdelningsledning och övrig verksamhet",
        "administration", "partial", 330),
    ("haninge_2020_d1", 331): ("Totalt", "total", "exact", 331),
    ("haninge_2020_d1", 346): ("Barnenhet", "children_young_people", "exact", 346),
    ("haninge_2020_d1", 347): ("Ensamkommande barn", "other", "exact", 341),
    ("haninge_2020_d1", 348): (
        "Mottagning och förebyggande barn och unga",
        "children_young_people", "exact", 348),
    ("haninge_2020_d1", 349): (
        "Placering och rekrytering",
        "children_young_people", "partial", 366),
    ("haninge_2020_d1", 350): ("Familjerätt och serviceinsatser", "other", "partial", 350),
    ("haninge_2020_d1", 351): ("Ungdomsenhet", "children_young_people", "exact", 364),
    ("haninge_2020_d1", 352): ("Vuxen", "adults_substance_abuse", "partial", 690),
    ("haninge_2020_d1", 353): ("Öppenvård", "mixed", "mixed", 740),
    ("haninge_2020_d1", 354): ("Boende", "adults_substance_abuse", "partial", 339),
    ("haninge_2020_d1", 355): ("Boende för ensamkommande", "other", "exact", 355),
    ("haninge_2020_d1", 356): ("Avdelningsledning", "administration", "exact", 356),
    ("haninge_2020_d1", 357): ("Totalt", "total", "exact", 357),
    ("haninge_2020_d1", 381): (
        "Ekonomiskt bistånd och hemlöshet",
        "economic_assistance", "partial", 376),
    ("haninge_2020_d1", 382): ("Arbetsmarknadsåtgärder", "other", "exact", 376),
    ("haninge_2020_d1", 383): ("Avdelningsledning", "administration", "exact", 383),
    ("haninge_2020_d1", 384): ("Totalt", "total", "exact", 384),
    ("haninge_2020_d1", 428): ("Boende LSS", "disability_support", "exact", 423),
    ("haninge_2020_d1", 429): ("Boende SoL", "disability_support", "exact", 423),
    ("haninge_2020_d1", 430): ("Boendestöd och korttidsboende", "disability_support", "exact", 423),
    ("haninge_2020_d1", 431): (
        "Avdelningsledning och övrig verksamhet",
        "administration", "partial", 431),
    ("haninge_2020_d1", 432): ("Totalt", "total", "exact", 432),
    ("haninge_2020_d1", 450): (
        "Insatser inom SoL (inkl. Mötesplats 25)",
        "disability_support", "partial", 444),
    ("haninge_2020_d1", 451): ("Insatser inom LSS", "disability_support", "exact", 451),
    ("haninge_2020_d1", 452): (
        "Personlig assistans enligt LSS & SFB",
        "disability_support", "exact", 444),
    ("haninge_2020_d1", 453): ("Avdelningsledning", "administration", "exact", 453),
    ("haninge_2020_d1", 454): ("Totalt", "total", "exact", 454),
    ("haninge_2020_d1", 483): ("Nämndens kostnader", "administration", "partial", 483),
    ("haninge_2020_d1", 484): (
        "Förvaltningsgemensam verksamhet inkl. förvaltningschef",
        "administration", "exact", 484),
    ("haninge_2020_d1", 485): ("Beställare funktionsnedsättning och äldre", "mixed", "mixed", 322),
    ("haninge_2020_d1", 486): ("Individ- och familjeomsorg", "mixed", "mixed", 339),
    ("haninge_2020_d1", 487): ("Arbete och försörjning", "mixed", "mixed", 376),
    ("haninge_2020_d1", 488): (
        "Boende och boendestöd funktionsnedsättning",
        "disability_support", "exact", 423),
    ("haninge_2020_d1", 489): ("Stöd och serviceinsatser", "disability_support", "exact", 444),
    ("haninge_2020_d1", 490): ("Vård- och omsorgsboende och HSL", "health_care", "partial", 464),
    ("haninge_2020_d1", 491): ("Totalt", "total", "exact", 491),
    ("haninge_2020_d1", 510): ("Totalt", "total", "exact", 510),
    ("haninge_2020_d1", 628): ("Totalt", "total", "exact", 628),
    ("haninge_2020_d1", 645): ("Totalt", "total", "exact", 645),
    ("haninge_2020_d1", 688): ("Totalt", "total", "exact", 688),
    ("haninge_2020_d1", 725): ("Totalt", "total", "exact", 725),
    ("haninge_2020_d1", 742): ("Totalt", "total", "exact", 742),
    ("haninge_2020_d1", 757): ("Totalt", "total", "exact", 757),
    ("haninge_2020_d1", 768): ("Totalt", "total", "exact", 768),
    ("haninge_2020_d1", 779): ("Totalt", "total", "exact", 779),
    ("haninge_2020_d1", 790): ("Totalt", "total", "exact", 790),
    ("haninge_2020_d1", 807): ("Arbete och försörjning", "mixed", "mixed", 376),
    ("haninge_2020_d1", 813): ("Totalt", "total", "exact", 813),
    ("haninge_2020_d1", 826): ("Arbete och försörjning", "mixed", "mixed", 376),
    ("haninge_2020_d1", 845): ("Arbete och försörjning", "mixed", "mixed", 376),
    ("haninge_2020_d1", 851): ("Totalt", "total", "exact", 851),
    ("haninge_2024_ar", 367): ("Förvaltningsdirektör och staber", "administration", "exact", 103),
    ("haninge_2024_ar", 368): ("Socialnämnd", "administration", "partial", 374),
    ("haninge_2024_ar", 369): ("Försörjningsstöd", "economic_assistance", "partial", 376),
    ("haninge_2024_ar", 370): ("Individ- och familjeomsorg (IFO)", "mixed", "mixed", 758),
    ("haninge_2024_ar", 371): ("Funktionshinderomsorg", "disability_support", "partial", 380),
    ("haninge_2024_ar", 372): ("Socialnämnden", "total", "exact", 372),
    ("haninge_2024_ar", 393): ("Individ- och familjeomsorg", "mixed", "mixed", 758),
    ("haninge_2024_ar", 394): ("Funktionshinderomsorg", "disability_support", "partial", 380),
    ("haninge_2024_ar", 731): ("Totalt", "total", "exact", 731),
    ("haninge_2024_ar", 789): ("Totalt", "total", "exact", 789),
    ("huddinge_2024_vb", 461): ("Årets resultat", "total", "exact", 461),
    ("huddinge_2024_vb", 496): ("Nämnd- & styrelseverksamhet", "administration", "exact", 514),
    ("huddinge_2024_vb", 497): ("Barn & ungdomsvård", "children_young_people", "exact", 535),
    ("huddinge_2024_vb", 498): ("Familjerätt & familjerådgivning", "other", "exact", 571),
    ("huddinge_2024_vb", 499): (
        "Vård för vuxna med missbruksproblem",
        "adults_substance_abuse", "exact", 593),
    ("huddinge_2024_vb", 500): ("Ekonomiskt bistånd", "economic_assistance", "partial", 624),
    ("huddinge_2024_vb", 501): ("Övriga insatser till vuxna", "other", "exact", 633),
    ("huddinge_2024_vb", 502): (
        "Insatser till personer med funktionsnedsättning (ej LSS/SFB)",
        "disability_support", "exact", 653),
    ("huddinge_2024_vb", 503): ("Flyktningmottagande", "other", "exact", 671),
    ("huddinge_2024_vb", 505): ("Årets resultat", "total", "exact", 505),
    ("huddinge_2024_vb", 511): ("Nämnd- & styrelseverksamhet", "administration", "exact", 514),
    ("huddinge_2024_vb", 519): ("Barn & ungdomsvård", "children_young_people", "exact", 535),
    ("huddinge_2024_vb", 568): ("Familjerätt & familjerådgivning", "other", "exact", 571),
    ("huddinge_2024_vb", 583): (
        "Vård för vuxna med missbruksproblem",
        "adults_substance_abuse", "exact", 593),
    ("huddinge_2024_vb", 618): ("Ekonomiskt bistånd", "economic_assistance", "partial", 624),
    ("huddinge_2024_vb", 630): ("Övriga insatser till vuxna", "other", "exact", 633),
    ("huddinge_2024_vb", 650): (
        "Insatser till personer med funktionsnedsättning (ej LSS/SFB)",
        "disability_support", "exact", 653),
    ("huddinge_2024_vb", 668): ("Flyktningmottagande", "other", "exact", 671),
    ("strangnas_2023_ar", 397): ("Socialnämnden", "administration", "exact", 397),
    ("strangnas_2023_ar", 398): ("Socialkontoret", "administration", "partial", 423),
    ("strangnas_2023_ar", 399): ("Myndighet", "mixed", "mixed", 413),
    ("strangnas_2023_ar", 400): ("Individ och familjeomsorg", "mixed", "mixed", 116),
    ("strangnas_2023_ar", 401): ("Äldreomsorg", "elderly_care", "partial", 417),
    ("strangnas_2023_ar", 402): ("Hälso- och Sjukvård", "health_care", "exact", 421),
    ("strangnas_2023_ar", 403): ("Funktionshinder", "disability_support", "partial", 423),
    ("strangnas_2023_ar", 404): (
        "Administration och digitalisering SK",
        "administration", "exact", 122),
    ("strangnas_2023_ar", 405): ("Socialnämnden", "total", "exact", 405),
    ("strangnas_2023_ar", 428): ("Socialnämnden", "total", "exact", 428),
    ("strangnas_2023_ar", 476): ("Socialnämnden", "administration", "exact", 476),
    ("strangnas_2023_ar", 477): ("Socialkontoret", "administration", "partial", 423),
    ("strangnas_2023_ar", 478): ("Myndighet", "mixed", "mixed", 413),
    ("strangnas_2023_ar", 479): ("Individ och familjeomsorg", "mixed", "mixed", 116),
    ("strangnas_2023_ar", 480): ("Äldreomsorg", "elderly_care", "partial", 417),
    ("strangnas_2023_ar", 481): ("Hälso- och Sjukvård", "health_care", "exact", 421),
    ("strangnas_2023_ar", 482): ("Funktionshinderomsorg", "disability_support", "partial", 423),
    ("strangnas_2023_ar", 483): (
        "Administration och digitalisering SK",
        "administration", "exact", 122),
    ("strangnas_2023_ar", 484): ("Socialnämnden", "total", "exact", 484),
    ("strangnas_2023_ar", 491): ("Socialnämnden", "administration", "exact", 491),
    ("strangnas_2023_ar", 492): ("Socialkontoret", "administration", "partial", 423),
    ("strangnas_2023_ar", 493): ("Myndighet", "mixed", "mixed", 413),
    ("strangnas_2023_ar", 494): ("Individ och familjeomsorg", "mixed", "mixed", 116),
    ("strangnas_2023_ar", 495): ("Äldreomsorg", "elderly_care", "partial", 417),
    ("strangnas_2023_ar", 496): ("Hälso- och Sjukvård", "health_care", "exact", 421),
    ("strangnas_2023_ar", 497): ("Funktionshinderomsor", "disability_support", "partial", 423),
    ("strangnas_2023_ar", 498): (
        "Administration och digitalisering SK",
        "administration", "exact", 122),
    ("strangnas_2023_ar", 499): ("Socialnämnden", "total", "exact", 499),
}


@pytest.fixture(scope="module")
def mapped(numbered_facts):
    table = numbered_facts[numbered_facts.source_kind == "table"]
    table = table.assign(entry=matching.match_labels(table, compare.activity_crosswalk(),
                                                     "activities.csv"))
    return table[table.entry.notna()].drop_duplicates(["doc_id", "source_line"])


def test_every_activity_line_is_pinned(mapped, reports):
    found = {}
    for r in mapped.itertuples():
        lines = read_lines(by_doc_id(reports)[r.doc_id].path)
        quote, line = matching.description(r.entry, lines, int(r.source_line))
        assert quote and quote in lines[line - 1], (r.doc_id, r.source_line)
        found[(r.doc_id, r.source_line)] = (r.row_label, r.entry.category, r.entry.fit,
                                            line)
    assert found == PINNED


def test_mixed_lines_name_their_components(mapped):
    for r in mapped.itertuples():
        mixed = r.entry.fit == "mixed"
        assert (r.entry.category == "mixed") == mixed
        assert bool(r.entry.components) == mixed, (r.doc_id, r.source_line)


def test_strangnas_myndighet_is_mixed_not_other(numbered_facts, reports):
    # 004_…txt line 399: Myndighet 29.5 -339.6 -310.1 (revenue, cost, net, mkr); line 413:
    # "Underskottet berodde främst på höga placeringskostnader inom myndighet …"
    activity = compare.cost_by_activity(numbered_facts, reports)
    row = one(activity, doc_id="strangnas_2023_ar", fiscal_year=2023, source_line=399)
    assert (row.category, row.fit, row.net_cost_tkr, row.share_of_total_pct) == (
        "mixed", "mixed", "310100", "34.36")
    assert row.components == ("children_young_people+adults_substance_abuse+"
                              "disability_support+elderly_care+other")
    assert row.description_line == 413
    lines = read_lines(by_doc_id(reports)["strangnas_2023_ar"].path)
    assert row.description in lines[412] and "-310.1" in lines[398]


def test_haninge_ifo_2024_is_mixed_with_socialpsykiatri(numbered_facts, reports):
    # 000_…txt line 370: Individ- och familjeomsorg (IFO) -474,6 mnkr; line 758 lists
    # "Utredning unga vuxna, vuxna och socialpsykiatri, …" inside IFO
    activity = compare.cost_by_activity(numbered_facts, reports)
    row = one(activity, doc_id="haninge_2024_ar", fiscal_year=2024, source_line=370)
    assert (row.category, row.net_cost_tkr, row.description_line) == ("mixed", "474600", 758)
    assert "disability_support" in row.components
