"""Hostile probes of issue 15 (session 5) that had ended with exit 0 and a silently changed
table, or with a refusal that blamed the wrong file: a stray space around a crosswalk
value that is matched (a table wording, a role, a component list), and a registry or a
command line that spells a municipality in another Unicode form or with spaces."""

import csv
import shutil
import unicodedata

import pytest
from reading import extract_changed
from test_compare import crosswalks as private_crosswalks  # noqa: F401 (a fixture)
from test_hostile_damage import _damaged_copy

from socialstudy import paths
from socialstudy.core.registry import load_registry
from socialstudy.core.runspec import canonical
from socialstudy.crosswalks.loader import VERBATIM_COLUMNS, as_dict, read_crosswalk
from socialstudy.crosswalks.specs import SPECS
from socialstudy.measures.activity_series import activity_series
from socialstudy.measures.compare import cost_by_activity
from socialstudy.measures.growth import net_cost_growth

HUDDINGE = "huddinge_2024_vb"


def _pad(path, columns=None):
    """Every value of ``columns`` (default: every column) written with a space before
    and after it, as a careless editor might leave it."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    chosen = [i for i, c in enumerate(rows[0]) if columns is None or c in columns]
    for row in rows[1:]:
        for i in chosen:
            row[i] = f" {row[i]} " if row[i] else row[i]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_matched_crosswalk_value_reads_the_same_with_spaces_around_it(tmp_path, name):
    """Before: only 19 named columns were stripped; a space after activity_tables.csv's
    wording 'Verksamhet (tkr)' or activities.csv's components silently changed tables."""
    folder = tmp_path / "cw"
    folder.mkdir()
    shutil.copyfile(paths.CROSSWALKS / name, folder / name)
    matched = set(SPECS[name].columns) - VERBATIM_COLUMNS
    _pad(folder / name, matched)
    real, padded = read_crosswalk(name), read_crosswalk(name, folder)
    assert [as_dict(r) for r in padded] == [as_dict(r) for r in real]


def test_free_text_stays_verbatim(tmp_path):
    folder = tmp_path / "cw"
    folder.mkdir()
    shutil.copyfile(paths.CROSSWALKS / "cost_types.csv", folder / "cost_types.csv")
    _pad(folder / "cost_types.csv")
    row = read_crosswalk("cost_types.csv", folder)[0]
    assert row.report_label == "Intäkter" and row.justification.startswith(" Total revenue")


def test_a_space_after_a_table_wording_still_derives_huddinges_2022_net_cost(
        private_crosswalks, numbered_facts, reports):  # noqa: F811 (the fixture)
    """002_…txt: Huddinge prints its 2022 net cost only per activity (lines 511…668); the
    derived total 420 111 tkr is the base of the 2023 growth of 10.99 %. A space after
    'Verksamhet (tkr)' in activity_tables.csv used to drop the row with exit 0."""
    _pad(private_crosswalks / "activity_tables.csv", {"wording"})
    growth = net_cost_growth(numbered_facts, reports)
    row = growth[(growth.doc_id == HUDDINGE) & (growth.fiscal_year == 2023)].iloc[0]
    assert (row.status, row.prior_net_cost_tkr, row.change_pct) == ("derived", "420111",
                                                                      "10.99")
    assert row.prior_source_lines == "511;519;568;583;618;630;650;668"


def test_a_space_around_roles_and_components_changes_no_activity_row(
        private_crosswalks, numbered_facts, reports):  # noqa: F811 (the fixture)
    """A space after activity_series_labels.csv's role or activities.csv's components used
    to drop the printed growth rows (17 % for Barn & ungdomsvård 2023, line 520) and
    change the components of Haninge 2020's department lines, with exit 0."""
    _pad(private_crosswalks / "activity_series_labels.csv", {"role"})
    _pad(private_crosswalks / "activities.csv", {"components"})
    activity = cost_by_activity(numbered_facts, reports)
    series = activity_series(numbered_facts, activity, reports)
    printed = series[(series.doc_id == HUDDINGE) & (series.measure == "growth_pct_printed")
                     & (series.source_line == 520) & (series.fiscal_year == 2023)]
    assert printed.value.tolist() == ["17"]
    line = activity[(activity.doc_id == "haninge_2020_d1") & (activity.source_line == 286)]
    assert set(line.components) == {"economic_assistance+other+administration"}


def test_a_space_after_a_goal_text_keeps_every_goal(private_crosswalks, reports):  # noqa: F811
    """A space after goal_assessments.csv's goal_text used to drop 28 of the 33 goal rows
    (the wording was found in no report) with exit 0."""
    from socialstudy.measures.outcomes import goals
    _pad(private_crosswalks / "goal_assessments.csv", {"goal_text"})
    table = goals(reports)
    assert len(table) == 33
    first = table[table.goal_id == "haninge_2020_kf1"].iloc[0]
    assert (first.level, first.source_line, first.goal_line) == ("not_assessed", 46, 127)


# ---- the registry and the command line: a municipality in another spelling -------------

def _registry_with(raw, old, new):
    registry = raw / "reports.yml"
    text = registry.read_text(encoding="utf-8")
    assert old in text
    registry.write_text(text.replace(old, new), encoding="utf-8")
    return load_registry(registry)


def test_a_decomposed_municipality_in_the_registry_is_the_composed_name(raw):
    """Before: 'Strängnäs' with decomposed 'ä' was a different municipality, and the run
    stopped in notebook 02 blaming finance_tables.csv line 14."""
    nfd = unicodedata.normalize("NFD", "Strängnäs")
    reports = _registry_with(raw, "municipality: Strängnäs", f"municipality: {nfd}")
    assert {r.municipality for r in reports} == {"Haninge", "Huddinge", "Strängnäs"}


def test_a_quoted_space_after_a_municipality_in_the_registry_is_dropped(raw):
    """Before: '"Huddinge "' stopped notebook 02 blaming finance_tables.csv line 13."""
    reports = _registry_with(raw, "municipality: Huddinge", 'municipality: "Huddinge "')
    assert {r.municipality for r in reports} == {"Haninge", "Huddinge", "Strängnäs"}


def test_a_decomposed_municipality_on_the_command_line_is_known():
    """Before: 'unknown municipality Strängnäs; the registry has …, Strängnäs'."""
    nfd = unicodedata.normalize("NFD", "Strängnäs")
    spec = canonical("latest", f"Haninge,{nfd}", ["Haninge", "Huddinge", "Strängnäs"])
    assert spec.municipalities == "Haninge,Strängnäs"


# ---- a short row: a dropped cell moves the next value into the deviation column ----------

@pytest.fixture
def lost_cell(raw):
    """(reports, facts) with 002_…txt line 455 (Personal) missing its deviation cell."""
    from socialstudy.measures import damage
    reports = _damaged_copy(raw, "Personal\t-304 032\t-297 706\t6 326\t-291 239",
                            "Personal\t-304 032\t-297 706\t-291 239")
    out = extract_changed(reports)  # the run's facts, with their rejects beside them
    facts = out.facts.assign(number=out.facts.value.astype(float))
    facts.attrs["rejects"] = damage.as_records(out.rejects)
    return reports, facts


def test_a_deviation_that_contradicts_budget_and_outcome_is_not_stated_as_the_driver(
        lost_cell, tmp_path):
    """002_…txt line 455 (Personal) with its deviation cell lost: the 2023 outcome -291 239
    stands in the deviation column. The table computes +6 326 from budget and outcome and
    marks the printed value 'differs'; the summary used to say "Personal (-291.2 mnkr,
    140.9 % of the net deviation)" with exit 0."""
    from socialstudy.core.schemas import write_csv
    from socialstudy.core.scope import resolve
    from socialstudy.measures.finance_tables import finance_tables
    from socialstudy.narrative import findings, findings_finance

    reports, facts = lost_cell
    table = finance_tables(facts, reports, ("budget_by_cost_type",))["budget_by_cost_type"]
    write_csv(table, tmp_path / "budget_by_cost_type.csv")
    table = findings.read(tmp_path, "budget_by_cost_type")
    sel = findings.chosen(resolve("latest", "Huddinge", reports, facts))[0]
    rows = table[(table.doc_id == HUDDINGE) & (table.fiscal_year == 2024)]
    personal = rows[rows.report_label == "Personal"].iloc[0]
    assert (personal.deviation_tkr, personal.printed_deviation_tkr,
            personal.deviation_check) == ("6326", "-291239", "differs")
    text = findings_finance.drivers(sel, rows[rows.driver_rank != ""], rows)
    assert ("“Personal” (+6.3 mnkr from budget and outcome; the report prints -291.2 mnkr, "
            "140.9 % of the net deviation)") in text
    assert "“Verksamhetens intäkter” (+7.4 mnkr, 164.1 % of the net deviation)" in text


def test_a_line_that_lost_a_cell_says_not_reported_for_the_year_it_lacks(lost_cell):
    """The same lost cell: cost_by_type used to drop Huddinge's 2023 personnel cost
    (291 239 tkr, line 455) without a word; its row now says why it is missing."""
    from socialstudy.core.schemas import validate
    from socialstudy.measures.compare import cost_by_type

    reports, facts = lost_cell
    table = cost_by_type(facts, reports)
    validate(table, "cost_by_type")
    rows = table[(table.doc_id == HUDDINGE) & (table.report_label == "Personal")]
    by_year = {int(r.fiscal_year): r for r in rows.itertuples()}
    assert (by_year[2024].value_tkr, by_year[2024].source_line) == ("297706", 455)
    lost = by_year[2023]
    assert (lost.value_status, lost.status, lost.value_tkr, lost.source_line) == (
        "not reported", "not reported", "", 455)
    assert lost.reason.startswith("not reported — cell at line 455 could not be read")
    assert "a cell is missing" in lost.reason


def test_a_report_with_a_decomposed_letter_is_refused_at_its_line(raw):
    """002_…txt line 458 'Köp av verksamhet' with a decomposed 'ö' matched no crosswalk
    row: the purchased-services cost (191 279 tkr in 2024) left cost_by_type and
    budget_by_cost_type with exit 0."""
    from socialstudy.errors import RawFileError

    reports = _damaged_copy(raw, "Köp av verksamhet\t-187 927", "Ko\u0308p av verksamhet\t-187 927")
    with pytest.raises(RawFileError, match="decomposed letters") as info:
        extract_changed(reports)
    assert info.value.line == 458 and info.value.file.endswith("002_ed79cea0b5e49fc0.txt")


# ---- crosswalk bytes: another encoding, a control character, a doubled space -------------

def _cost_types(tmp_path, old: str, new: str, encoding: str = "utf-8"):
    folder = tmp_path / "cw"
    folder.mkdir()
    text = (paths.CROSSWALKS / "cost_types.csv").read_text(encoding="utf-8")
    assert old in text
    (folder / "cost_types.csv").write_bytes(text.replace(old, new, 1).encode(encoding))
    return folder


def test_a_crosswalk_saved_as_latin1_is_one_line_naming_file_and_line(tmp_path):
    """Before: a bare UnicodeDecodeError from the csv reader, naming no file."""
    from socialstudy.errors import CrosswalkError
    folder = _cost_types(tmp_path, "x", "x", "latin-1")
    with pytest.raises(CrosswalkError, match="not valid UTF-8") as info:
        read_crosswalk("cost_types.csv", folder)
    assert info.value.line == 2  # 'Haninge,Intäkter,…': the first 'ä'


@pytest.mark.parametrize("damage", ["Int\täkter", "Int\x00äkter"])
def test_a_control_character_in_a_key_is_refused_with_its_line(tmp_path, damage):
    """Before: 'Int<TAB>äkter' was read as a label no report prints, and Haninge's total
    revenue row silently had no cost type."""
    from socialstudy.errors import CrosswalkError
    folder = _cost_types(tmp_path, "Haninge,Intäkter,", f"Haninge,{damage},")
    with pytest.raises(CrosswalkError, match="control character") as info:
        read_crosswalk("cost_types.csv", folder)
    assert info.value.line == 2


@pytest.mark.parametrize("spaced", ["Köp av  verksamhet", "Köp\u00a0av verksamhet"])
def test_spaces_inside_a_key_are_read_as_the_report_label_is(tmp_path, spaced):
    """Report labels have their runs of spaces made one (clean_label): so do the keys."""
    folder = _cost_types(tmp_path, "Huddinge,Köp av verksamhet,", f"Huddinge,{spaced},")
    assert [as_dict(r) for r in read_crosswalk("cost_types.csv", folder)] == [
        as_dict(r) for r in read_crosswalk("cost_types.csv")]
