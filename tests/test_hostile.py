"""Hostile inputs: damaged raw files, a broken registry, awkward tables, and property-based
checks of Swedish number parsing. Everything goes through the public functions
(load_registry, extract_tables, extract_and_clean, parse_number) on tmp copies."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from socialstudy.core.registry import Report, load_registry, sha256_of
from socialstudy.errors import HashMismatchError, RawFileError, RegistryError
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.extract.numbers import looks_numeric, parse_number
from socialstudy.extract.tables import extract_tables

HANINGE = "000_7601200e7e1b7bea.txt"



def _entries(raw: Path) -> list[dict]:
    return yaml.safe_load((raw / "reports.yml").read_text(encoding="utf-8"))["reports"]


def _save(raw: Path, entries: list[dict]) -> None:
    (raw / "reports.yml").write_text(yaml.safe_dump({"reports": entries}, allow_unicode=True),
                                     encoding="utf-8")


def _reregister(raw: Path, file: str) -> Report:
    """Record the current hash of ``file`` (as if someone registered the damaged file), so
    the damage reaches the reader instead of stopping at the hash check."""
    entries = _entries(raw)
    for entry in entries:
        if entry["file"] == file:
            entry["sha256"] = sha256_of(raw / file)
    _save(raw, entries)
    return next(r for r in load_registry(raw / "reports.yml") if r.file == file)


def test_the_tmp_copy_is_sound(raw):
    assert len(load_registry(raw / "reports.yml")) == 4


# ---- the registry and the hash guard ----------------------------------------------------

def test_truncated_raw_file_is_refused(raw):
    path = raw / HANINGE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(HashMismatchError) as info:
        load_registry(raw / "reports.yml")
    error = info.value
    assert error.file == str(path) and HANINGE in str(error)
    assert "changed after registration" in str(error)
    assert "Fix:" in str(error) and "restore the original bytes" in error.fix


def test_raw_file_changed_after_registration_is_refused(raw):
    path = raw / HANINGE
    data = path.read_bytes()
    path.write_bytes(data.replace(b"-1 243,4", b"-1 234,4", 1))
    assert path.read_bytes() != data and len(path.read_bytes()) == len(data)
    with pytest.raises(HashMismatchError, match=HANINGE) as info:
        load_registry(raw / "reports.yml")
    assert "new entry with its own doc_id" in info.value.fix


def test_registry_entry_pointing_at_a_missing_file(raw):
    entries = _entries(raw)
    entries[1]["file"] = "999_missing.txt"
    _save(raw, entries)
    with pytest.raises(RegistryError) as info:
        load_registry(raw / "reports.yml")
    assert not isinstance(info.value, HashMismatchError)
    assert "999_missing.txt" in str(info.value) and "is missing" in str(info.value)
    assert info.value.fix and "999_missing.txt" in info.value.fix


def test_missing_registry_and_broken_yaml(tmp_path, raw):
    with pytest.raises(RegistryError, match="registry file not found"):
        load_registry(tmp_path / "nowhere.yml")
    (raw / "reports.yml").write_text("reports:\n  - doc_id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid YAML") as info:
        load_registry(raw / "reports.yml")
    assert info.value.line is not None


# ---- raw files the reader must refuse, with file and line -------------------------------

def _first_line_with(data: bytes, predicate) -> int:
    index = next(i for i, byte in enumerate(data) if predicate(byte))
    return data[:index].count(b"\n") + 1


def test_latin1_text_is_refused_with_its_line(raw):
    path = raw / HANINGE
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    report = _reregister(raw, HANINGE)
    expected_line = _first_line_with(path.read_bytes(), lambda b: b >= 0x80)
    with pytest.raises(RawFileError) as info:
        extract_tables(report)
    error = info.value
    assert error.file == str(path) and error.line == expected_line
    assert f"{HANINGE}:{expected_line}:" in str(error) and "Latin-1" in str(error)
    assert "iconv" in error.fix
    with pytest.raises(RawFileError, match="Latin-1"):
        extract_and_clean([report])


def test_utf8_with_bom_is_refused(raw):
    path = raw / HANINGE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report = _reregister(raw, HANINGE)
    with pytest.raises(RawFileError) as info:
        extract_tables(report)
    assert info.value.line == 1 and HANINGE in str(info.value)
    assert "byte-order mark" in str(info.value) and "without BOM" in info.value.fix


def test_crlf_line_endings_are_refused(raw):
    path = raw / HANINGE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    report = _reregister(raw, HANINGE)
    with pytest.raises(RawFileError) as info:
        extract_and_clean([report])
    assert info.value.line == 1 and HANINGE in str(info.value)
    assert "line endings" in str(info.value) and "dos2unix" in info.value.fix


def test_a_single_stray_cr_is_found_at_its_line(raw):
    path = raw / HANINGE
    lines = path.read_bytes().split(b"\n")
    lines[41] += b"\r"
    path.write_bytes(b"\n".join(lines))
    report = _reregister(raw, HANINGE)
    with pytest.raises(RawFileError) as info:
        extract_tables(report)
    assert info.value.line == 42 and f"{HANINGE}:42:" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_report_is_refused(raw, content):
    (raw / HANINGE).write_bytes(content)
    report = _reregister(raw, HANINGE)
    with pytest.raises(RawFileError, match="empty") as info:
        extract_and_clean([report])
    assert HANINGE in str(info.value) and info.value.fix


# ---- awkward tables in synthetic reports --------------------------------------------------

def synthetic(tmp_path: Path, text: str, doc_id: str = "testby_2024_ar") -> Report:
    path = tmp_path / f"{doc_id}.txt"
    path.write_text(text, encoding="utf-8")
    return Report(doc_id=doc_id, file=path.name, municipality="Testby", kommun_code="9999",
                  document_type="annual_report", title="Synthetic annual report 2024",
                  fiscal_year=2024, period="full_year", period_covered="2024-01-01/2024-12-31",
                  money_unit="tkr", cost_sign="costs negative", sha256=sha256_of(path),
                  path=path)


RAGGED = """Socialnämnden 2024

Resultaträkning, tkr
\tUtfall 2024\tBudget 2024
Intäkter\t100\t120
Kostnader\t-300\t-310\t-5
Nettoresultat\t-200\t-190
"""


def test_ragged_row_loses_nothing(tmp_path):
    """A row longer than its header (line 6) cannot be read cell by cell (a tab inside a
    number shifts it): each of its cells is a reject with the reason, none a fact."""
    result = extract_and_clean([synthetic(tmp_path, RAGGED)])
    facts, rejects = result.facts, result.rejects
    assert facts[facts.source_line == 6].empty
    assert rejects.raw.tolist() == ["-300", "-310", "-5"]
    assert rejects.reason.str.startswith("row has 4 cells but the header has 3").all()
    assert len(facts) == 4


def test_ragged_row_is_reported_in_quality(tmp_path):
    result = extract_and_clean([synthetic(tmp_path, RAGGED)])
    quality = result.quality
    ragged = quality[quality.check == "ragged_row"]
    assert ragged.source_line.tolist() == [6] and ragged.row_label.tolist() == ["Kostnader"]
    extra = result.rejects[(result.rejects.source_line == 6) & (result.rejects.source_col == 3)]
    assert extra.column_label.tolist() == [""]  # no header stands above the extra cell


UNKNOWN = """Nyckeltal
\tUtfall 2024\tFlumfaktor
Placeringar\t12\t7
Hemtjänst\t40\t3
"""


def test_unknown_header_column_is_reported_not_guessed(tmp_path):
    result = extract_and_clean([synthetic(tmp_path, UNKNOWN)])
    facts = result.facts
    known = facts[facts.source_col == 1]
    unknown = facts[facts.source_col == 2]
    assert set(known.measure) == {"actual"}
    assert unknown.measure.tolist() == ["unclassified", "unclassified"]
    assert unknown.value.tolist() == ["7", "3"]
    issues = result.quality[result.quality.check == "unknown_header"]
    assert issues.column_label.tolist() == ["Flumfaktor"]
    assert issues.source_line.tolist() == [2] and "measures.csv" in issues.note.iloc[0]


TWO_MARKS = """Kostnader, tkr
\tUtfall 2024\tBudget 2024
Personal\t1,234,5\t1 300
Lokaler\t12.5,3\t14
"""


def test_number_with_two_decimal_marks_is_a_reject(tmp_path):
    result = extract_and_clean([synthetic(tmp_path, TWO_MARKS)])
    rejects = result.rejects
    assert rejects[["source_line", "source_col", "raw"]].values.tolist() == [
        [3, 1, "1,234,5"], [4, 1, "12.5,3"]]
    assert rejects.reason.str.contains("more than one decimal mark").all()
    assert rejects.row_label.tolist() == ["Personal", "Lokaler"]
    assert result.facts[["source_line", "source_col", "value"]].values.tolist() == [
        [3, 2, "1300"], [4, 2, "14"]]


def test_synthetic_tables_are_found(tmp_path):
    report = synthetic(tmp_path, RAGGED)
    tables = extract_tables(report)
    assert len(tables) == 1 and tables[0].title == "Resultaträkning, tkr"
    assert (tables[0].first_line, tables[0].last_line, tables[0].unit) == (4, 7, "tkr")


# ---- Swedish numbers, property-based ----------------------------------------------------

MINUS = ["-", "\u2013", "\u2212"]  # hyphen, en dash, minus sign
THOUSANDS = [" ", "\u00a0", "\u202f", ""]  # space, no-break space, narrow no-break, none


@st.composite
def swedish_numbers(draw):
    """(text, value, percent, decimals): a Decimal printed the Swedish way."""
    integer = draw(st.integers(0, 999_999_999))
    decimals = draw(st.integers(0, 3))
    fraction = draw(st.integers(0, 10 ** decimals - 1)) if decimals else 0
    negative = draw(st.booleans())
    percent = draw(st.booleans())
    text = f"{integer:,}".replace(",", draw(st.sampled_from(THOUSANDS)))
    if decimals:
        text += "," + str(fraction).zfill(decimals)
    if negative:
        text = draw(st.sampled_from(MINUS)) + draw(st.sampled_from(["", " "])) + text
    if percent:
        text += draw(st.sampled_from(["%", " %"]))
    text += draw(st.sampled_from(["", "*", " *", "**"]))
    value = Decimal(integer) + Decimal(fraction).scaleb(-decimals)
    return text, -value if negative else value, percent, decimals


@settings(max_examples=400, deadline=None)
@given(swedish_numbers())
def test_swedish_numbers_round_trip(case):
    text, value, percent, decimals = case
    parsed = parse_number(text)
    assert parsed.value == value
    assert parsed.percent is percent
    assert parsed.decimals == decimals
    assert parsed.footnote == text[len(text.rstrip("*")):]
    assert looks_numeric(text)


@settings(max_examples=200, deadline=None)
@given(swedish_numbers(), st.sampled_from(["<b>{}</b>", "**{}**", "● {}", "{} <sup>2</sup>"]))
def test_markup_around_a_number_does_not_change_it(case, wrapper):
    text, value, percent, _ = case
    parsed = parse_number(wrapper.format(text))
    assert (parsed.value, parsed.percent) == (value, percent)


# ---- every numeric-looking cell is a fact or a reject --------------------------------------

UNIT_WORDS = """Nyckeltal, tkr
\tUtfall 2024\tBudget 2024
Resultat\t-74,0 mnkr\t12 procent
Avgift\t350 kr\t3 st
"""


def test_numbers_with_a_unit_word_are_facts_not_lost(tmp_path):
    """`-74,0 mnkr` and `12 procent` used to vanish from both facts and rejects."""
    result = extract_and_clean([synthetic(tmp_path, UNIT_WORDS)])
    facts = result.facts.set_index(["source_line", "source_col"])
    assert facts.loc[(3, 1), ["value", "unit", "printed_unit"]].tolist() == [
        "-74000", "tkr", "mnkr"]
    # a cell printed in kronor in a money table: money is in tkr (350 kr = 0.35 tkr)
    assert facts.loc[(4, 1), ["value", "unit"]].tolist() == ["0.35", "tkr"]
    # '12 procent' among the amounts of a tkr table, under 'Budget 2024' on 'Resultat': a
    # reject with its reason (issue 15), never an amount nor a silent percent fact
    assert result.rejects[["source_line", "source_col", "raw"]].values.tolist() == [
        [3, 2, "12 procent"], [4, 2, "3 st"]]
    assert result.rejects.reason.tolist()[0].startswith("a percent cell among amounts")


CELL = st.one_of(
    st.text(alphabet="0123456789 ,.-–%*●", min_size=1, max_size=12),
    st.builds("{} {}".format, st.integers(-10**6, 10**6).map(str),
              st.sampled_from(["mnkr", "mkr", "tkr", "kr", "procent", "st", "%", "dagar"])),
    st.builds("{}<sup>{}</sup>".format, st.integers(0, 999).map(str), st.sampled_from("123*")),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CELL, min_size=1, max_size=4))
def test_no_numeric_looking_cell_vanishes(tmp_path_factory, cells):
    """Property: in a table, every value cell that looks numeric ends up as exactly one
    fact or one reject (a cell of digits alone on a line below may join the row above as a
    wrapped number; the first body row always has a label, so it never does here)."""
    tmp_path = tmp_path_factory.mktemp("cells")
    row = "\t".join(["Rad"] + cells)
    text = f"Tabell, tkr\n\tUtfall 2024\tBudget 2024\nFörsta\t1\t2\n{row}\n"
    result = extract_and_clean([synthetic(tmp_path, text)])
    numeric = {j for j, c in enumerate(cells, start=1) if c.strip() and looks_numeric(c)}
    facts = result.facts[(result.facts.source_line == 4) & (result.facts.source_kind == "table")]
    rejects = result.rejects[result.rejects.source_line == 4]
    found = list(facts.source_col) + list(rejects.source_col)
    assert sorted(found) == sorted(numeric)


# ---- layout the reader cannot split is flagged ----------------------------------------------

def test_space_separated_table_is_read_and_its_ragged_row_reviewed(tmp_path):
    """The same table with spaces for tabs (issue 16): read by the layout reader; the
    row with three cells for two columns (line 6) is a reject for review, never a fact."""
    text = RAGGED.replace("\t", "    ")
    result = extract_and_clean([synthetic(tmp_path, text)])
    assert len(result.tables) == 1 and result.tables.first_line[0] == 4
    facts = {(f.source_line, f.column_label): f.value for f in result.facts.itertuples()}
    assert facts == {(5, "Utfall 2024"): "100", (5, "Budget 2024"): "120",
                     (7, "Utfall 2024"): "-200", (7, "Budget 2024"): "-190"}
    assert result.rejects.source_line.tolist() == [6]
    assert "2 columns" in result.rejects.reason[0]
    assert not result.quality.check.isin(["no_tables", "space_separated_columns"]).any()


def test_a_seed_report_with_spaces_for_tabs_is_never_read_wrong(raw, extraction):
    """Haninge 2024 with every tab turned into spaces: its number tables are found again
    by the layout reader where it can; what the cost table (lines 339-351) yields is never
    a figure the tab text does not give at the same line."""
    path = raw / HANINGE
    path.write_text(path.read_text(encoding="utf-8").replace("\t", "   "), encoding="utf-8")
    report = _reregister(raw, HANINGE)
    spaced = extract_and_clean([report])
    assert not spaced.quality.check.isin(["no_tables"]).any()
    doc = report.doc_id
    want = extraction.facts[(extraction.facts.doc_id == doc)
                            & extraction.facts.source_line.between(339, 351)]
    got = spaced.facts[spaced.facts.source_line.between(339, 351)]
    key = ["source_line", "value"]
    assert len(want) > 0  # unaligned spaces may leave rows unread, never read wrong
    assert set(map(tuple, got[key].values.tolist())) <= set(
        map(tuple, want[key].values.tolist()))


def test_the_seed_reports_have_no_layout_issues(extraction):
    assert not extraction.quality.check.isin(["no_tables", "space_separated_columns"]).any()


def test_layout_issues_validate_against_the_quality_schema(tmp_path):
    from socialstudy.core import schemas
    result = extract_and_clean([synthetic(tmp_path, "Socialnämnden 2024\n\nBara text.\n")])
    schemas.validate(result.quality, "quality")
    assert result.quality.table_id.tolist() == ["testby_2024_ar:L0000"]
