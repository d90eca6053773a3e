"""The registry (data/raw/reports.yml), `add-report` and the crosswalk reader: real values,
and hostile inputs that must stop with the file, the line and the fix before anything is
written. Everything runs on tmp copies; the real data/raw/ is never touched."""

import dataclasses
import hashlib
import os
import shutil
import sys
import types
from pathlib import Path

import pytest
from seeds import SEED_DOC_IDS

from socialstudy import paths
from socialstudy.__main__ import main
from socialstudy.core.registry import load_registry
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.specs import SPECS, declare, load_specs
from socialstudy.errors import CrosswalkError, RegistryError
from socialstudy.tools import add_report as adder

HANINGE = "000_7601200e7e1b7bea.txt"
STRANGNAS = "004_2f72d566b296dc43.txt"
# the add-report tests register the year after Haninge's newest annual report (2025 today;
# computed, so that a real next-year report added to data/raw/ leaves them green)
LATEST = max((r for r in load_registry() if r.municipality == "Haninge"
              and r.document_type == "annual_report"), key=lambda r: r.fiscal_year)
NEXT = LATEST.fiscal_year + 1



def _edit(raw: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in the tmp registry; returns the line where ``new`` starts."""
    path = raw / "reports.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _refused(raw: Path, line: int, *words: str) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        load_registry(raw / "reports.yml")
    error = info.value
    assert error.file == str(raw / "reports.yml") and error.line == line, str(error)
    assert f"reports.yml:{line}:" in str(error) and error.fix
    for word in words:
        assert word in str(error), (word, str(error))
    return error


def _line_of(raw: Path, text: str) -> int:
    lines = (raw / "reports.yml").read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


# ---- the real registry ------------------------------------------------------------------

def test_real_registry_values():
    reports = {r.doc_id: r for r in load_registry()}
    assert set(SEED_DOC_IDS) <= set(reports)  # and any report added since
    haninge = reports["haninge_2024_ar"]
    assert (haninge.kommun_code, haninge.money_unit, haninge.cost_sign) == (
        "0136", "mnkr", "costs_negative")
    assert reports["haninge_2020_d1"].cost_sign == "net_costs_positive"
    assert reports["haninge_2020_d1"].period_covered == "2020-01-01/2020-04-30"
    assert reports["huddinge_2024_vb"].cost_sign == \
        "costs_negative_statement_net_positive_activity"
    strangnas = reports["strangnas_2023_ar"]
    assert (strangnas.kommun_code, strangnas.fiscal_year, strangnas.money_unit) == (
        "0486", 2023, "mkr")
    assert strangnas.sha256 == \
        "0089dfc5fd5b2ba757e7b0727547c93982aafc84fbf8770564ada5c78f721d10"


# ---- hostile registries: each names reports.yml, the entry's line and the fix -----------

def test_unquoted_kommun_code_read_as_octal_is_refused(raw):
    line = _edit(raw, 'kommun_code: "0136"', "kommun_code: 0136")
    error = _refused(raw, line, "94", "octal")
    assert 'kommun_code: "0136"' in error.fix


@pytest.mark.parametrize("value", ['"136"', '"01360"', '"O136"'])
def test_kommun_code_not_four_digits_is_refused(raw, value):
    line = _edit(raw, 'kommun_code: "0126"', f"kommun_code: {value}")
    _refused(raw, line, "kommun_code", "four digits")


@pytest.mark.parametrize("value, shown", [('"2024"', "str"), ("2024.0", "float"),
                                          ("true", "bool"), ("24", "int"), ("[2024]", "list")])
def test_fiscal_year_that_is_not_a_whole_year_is_refused(raw, value, shown):
    line = _edit(raw, "fiscal_year: 2024", f"fiscal_year: {value}")
    error = _refused(raw, line, "fiscal_year", shown)
    assert "fiscal_year: 2024" in error.fix


@pytest.mark.parametrize("key, old, new, expected", [
    ("period", "period: full_year", "period: jan_mar", "jan_apr"),
    ("money_unit", "money_unit: mnkr", "money_unit: sek", "tkr, mnkr, mkr"),
    ("cost_sign", "cost_sign: costs_negative", 'cost_sign: "costs negative"',
     "costs_negative_statement_net_positive_activity"),
    ("document_type", "document_type: annual_report", "document_type: annual",
     "interim_report"),
])
def test_unknown_code_is_refused_with_the_allowed_values(raw, key, old, new, expected):
    line = _edit(raw, old, new)
    error = _refused(raw, line, key)
    assert expected in error.fix


def test_period_and_dates_that_contradict_each_other_are_refused(raw):
    line = _edit(raw, 'period_covered: "2024-01-01/2024-12-31"',
                 'period_covered: "2024-01-01/2024-04-30"')
    assert "2024-01-01/2024-12-31" in _refused(raw, line, "period_covered").fix
    shutil.copyfile(paths.REGISTRY, raw / "reports.yml")
    line = _edit(raw, "document_type: annual_report", "document_type: interim_report")
    _refused(raw, line, "does not fit period full_year")


def test_unknown_and_repeated_keys_are_refused(raw):
    line = _edit(raw, "    money_unit: mnkr\n", "    money_unit: mnkr\n    moneyunit: tkr\n")
    _refused(raw, line + 1, "unknown key", "moneyunit")
    shutil.copyfile(paths.REGISTRY, raw / "reports.yml")
    # YAML alone would keep the second fiscal_year silently
    line = _edit(raw, "    fiscal_year: 2023\n", "    fiscal_year: 2023\n    fiscal_year: 2022\n")
    _refused(raw, line + 1, "'fiscal_year' appears twice")


def test_missing_key_names_the_entry(raw):
    line = _edit(raw, "    money_unit: tkr\n", "")
    entry_line = _line_of(raw, "doc_id: haninge_2020_d1")
    assert entry_line < line
    _refused(raw, entry_line, "lacks money_unit")


@pytest.mark.parametrize("name", ["../outside.txt", "/tmp/outside.txt", "sub/inner.txt",
                                  ".hidden.txt", "000_7601200e7e1b7bea"])
def test_file_outside_data_raw_is_refused_even_with_the_right_hash(raw, tmp_path, name):
    target = (raw / name) if not name.startswith("/") else tmp_path / "outside.txt"
    if name.startswith("/"):
        name = str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(raw / HANINGE, target)  # same bytes: the hash check alone would pass
    line = _edit(raw, f"file: {HANINGE}", f"file: {name}")
    error = _refused(raw, line, "directly in")
    assert "add-report" in error.fix


def test_symlinked_raw_file_is_refused(raw, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    shutil.move(raw / HANINGE, outside)
    os.symlink(outside, raw / HANINGE)
    _refused(raw, _line_of(raw, f"file: {HANINGE}"), "symbolic link")


def _duplicate_entry(raw: Path, doc_id: str, file: str) -> int:
    text = (raw / "reports.yml").read_text(encoding="utf-8")
    start = text.index("  - doc_id: strangnas_2023_ar")
    end = text.find("\n  - doc_id:", start + 1) + 1 or len(text)
    block = text[start:end].replace("strangnas_2023_ar", doc_id).replace(STRANGNAS, file)
    (raw / "reports.yml").write_text(text + block, encoding="utf-8")
    return text.count("\n") + 1


def test_same_file_registered_twice_is_refused(raw):
    first = _line_of(raw, f"file: {STRANGNAS}")
    start = _duplicate_entry(raw, "strangnas_2023_copy", STRANGNAS)
    error = _refused(raw, start + 1, f"file {STRANGNAS} is registered twice",
                     f"also at line {first}")
    assert "remove the duplicate" in error.fix


def test_same_bytes_under_another_name_are_refused(raw):
    shutil.copyfile(raw / STRANGNAS, raw / "strangnas_copy.txt")
    start = _duplicate_entry(raw, "strangnas_2023_copy", "strangnas_copy.txt")
    _refused(raw, start + 11, "SHA-256 (same bytes)", "registered twice")


def test_same_doc_id_twice_is_refused(raw):
    shutil.copyfile(raw / STRANGNAS, raw / "strangnas_copy.txt")
    start = _duplicate_entry(raw, "strangnas_2023_ar", "strangnas_copy.txt")
    _refused(raw, start, "doc_id strangnas_2023_ar is registered twice")


def test_one_municipality_with_two_kommun_codes_is_refused(raw):
    _edit(raw, 'kommun_code: "0136"', 'kommun_code: "0137"')
    second = _line_of(raw, "doc_id: haninge_2020_d1") + 3
    _refused(raw, second, "Haninge with kommun_code 0136 contradicts line")


def test_registry_that_is_not_utf8_is_refused(raw):
    line = _line_of(raw, "municipality: Strängnäs")
    path = raw / "reports.yml"
    latin1 = path.read_bytes().replace("Strängnäs".encode(), "Strängnäs".encode("latin-1"))
    path.write_bytes(latin1)
    _refused(raw, line, "not valid UTF-8")


def test_missing_raw_file_names_its_entry(raw):
    (raw / HANINGE).unlink()
    error = _refused(raw, _line_of(raw, f"file: {HANINGE}"), "haninge_2024_ar", "is missing")
    assert HANINGE in error.fix


def test_loader_keyword_of_the_agreement(raw):
    assert [r.doc_id for r in load_registry(path=raw / "reports.yml")][:1] == ["haninge_2024_ar"]


def test_value_that_is_not_text_is_refused(raw):
    line = _edit(raw, "municipality: Huddinge", "municipality: [Huddinge]")
    _refused(raw, line, "municipality is the list")


# ---- the crosswalk reader ---------------------------------------------------------------

def _crosswalk(tmp_path: Path, text: str, name: str = "x.csv") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _spec(name: str = "x.csv", columns=("municipality", "category", "why"), **kwargs):
    return declare(name, "X", columns, **kwargs)


def _crosswalk_error(folder, line, *words, name="x.csv", **kwargs) -> CrosswalkError:
    spec = SPECS[name] if name in SPECS else _spec(name, **kwargs)
    with pytest.raises(CrosswalkError) as info:
        read_crosswalk(name, folder, spec=spec)
    error = info.value
    assert error.file == str(folder / name) and error.line == line, str(error)
    for word in words:
        assert word in str(error), (word, str(error))
    assert error.fix
    return error


def test_real_remit_crosswalk_reads_with_its_key():
    rows = read_crosswalk("remit.csv")
    huddinge = {r.category: r.in_remit for r in rows if r.municipality == "Huddinge"}
    assert (huddinge["economic_assistance"], huddinge["elderly_care"]) == ("partial", "no")
    assert len(rows) == 24 and rows[0].line == 2
    assert read_crosswalk("remit.csv") is rows, "read once, while the file is unchanged"


def test_each_crosswalk_reads_into_the_row_type_its_spec_names():
    """specs.yml names the row type and columns; a row has exactly those fields and its
    line (cost_types.csv line 2: Haninge's 'Intäkter' is the total revenue row)."""
    spec = SPECS["cost_types.csv"]
    assert spec.row.__name__ == "CostType"
    assert [f.name for f in dataclasses.fields(spec.row)] == [
        "municipality", "report_label", "flow", "category", "kommun_bas", "fit",
        "justification", "holds", "holds_doc_id", "holds_line", "line"]
    rows = read_crosswalk("cost_types.csv")
    assert all(type(r) is spec.row for r in rows)
    first = rows[0]
    assert (first.line, first.municipality, first.report_label, first.category) == (
        2, "Haninge", "Intäkter", "total_revenue")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.category = "other"  # shared by every reader: nobody may change it
    assert sorted(SPECS) == sorted(p.name for p in paths.CROSSWALKS.glob("*.csv"))


def test_a_misspelled_column_in_specs_yml_is_refused_naming_the_file(tmp_path):
    text = (paths.CROSSWALKS / "specs.yml").read_text(encoding="utf-8")
    assert "kommun_bas, fit, justification, holds," in text
    (tmp_path / "specs.yml").write_text(
        text.replace("kommun_bas, fit, justification, holds,",
                     "kommun_bas, fitt, justification, holds,"),
        encoding="utf-8")
    spec = load_specs(tmp_path / "specs.yml")["cost_types.csv"]
    with pytest.raises(CrosswalkError) as info:
        read_crosswalk("cost_types.csv", spec=spec)
    error = info.value
    assert error.file == str(paths.CROSSWALKS / "cost_types.csv") and error.line == 1
    assert "missing columns ['fitt'], undeclared columns ['fit']" in str(error)
    assert "specs.yml" in error.fix
    # a key column that is not among the columns is refused when specs.yml is read
    (tmp_path / "specs.yml").write_text(
        text.replace("key: [municipality, report_label]\n", "key: [municipality, label]\n"),
        encoding="utf-8")
    with pytest.raises(CrosswalkError, match=r"cost_types.csv: key names \['label'\]") as info:
        load_specs(tmp_path / "specs.yml")
    assert info.value.file == str(tmp_path / "specs.yml")


def test_duplicate_key_in_a_real_crosswalk_is_refused(tmp_path):
    """Today the last row silently wins; a changed copy of a row must stop the study."""
    text = (paths.CROSSWALKS / "remit.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines, 1)
                 if line.startswith("Huddinge,elderly_care,no,"))
    copy = lines[first - 1].replace(",no,", ",yes,", 1)
    folder = _crosswalk(tmp_path, text + copy + "\n", "remit.csv")
    error = _crosswalk_error(folder, len(lines), "duplicate key",
                             "municipality='Huddinge', category='elderly_care'",
                             f"also at line {first}", name="remit.csv")
    assert "silently win" in error.fix


def test_row_with_an_unquoted_comma_is_refused(tmp_path):
    folder = _crosswalk(tmp_path, "municipality,category,why\nHaninge,adults,a reason\n"
                                  "Huddinge,children,one reason, and more\n")
    error = _crosswalk_error(folder, 3, "row has 4 fields, the header has 3")
    assert "double quotes" in error.fix


def test_row_with_a_missing_field_is_refused(tmp_path):
    folder = _crosswalk(tmp_path, "municipality,category,why\nHaninge,adults\n")
    _crosswalk_error(folder, 2, "row has 2 fields")


@pytest.mark.parametrize("text, line", [
    # an unclosed quote swallows the next rows into one value
    ('municipality,category,why\nHaninge,adults,"a reason\nHuddinge,children,b\n'
     'Strängnäs,elderly,"c"\n', 2),
    ('municipality,category,why\nHaninge,adults,ok\nHuddinge,children,"never closed\n', 3),
    ('municipality,category,why\nHaninge,adults,"quoted"then text\n', 2),
])
def test_unbalanced_quotes_are_refused(tmp_path, text, line):
    error = _crosswalk_error(_crosswalk(tmp_path, text), line)
    assert "quote" in str(error) and "doubled" in error.fix


def test_empty_key_or_filled_value_is_refused(tmp_path):
    folder = _crosswalk(tmp_path, "municipality,category,why\nHaninge,adults,x\n,children,y\n"
                                  "Huddinge,elderly,\n")
    _crosswalk_error(folder, 3, "empty municipality", key=("municipality", "category"))
    folder = _crosswalk(tmp_path, "municipality,category,why\nHaninge,adults,x\n"
                                  "Huddinge,elderly,\n")
    _crosswalk_error(folder, 3, "empty why", key=("municipality", "category"), filled=("why",))
    assert len(read_crosswalk("x.csv", folder, spec=_spec())) == 2  # empty is allowed


def test_repeated_header_and_missing_key_column_are_refused(tmp_path):
    folder = _crosswalk(tmp_path, "municipality,category,category\nHaninge,a,b\n")
    _crosswalk_error(folder, 1, "repeated or empty column names ['category']")
    folder = _crosswalk(tmp_path, "municipality,category\nHaninge,a\n")
    _crosswalk_error(folder, 1, "missing columns ['label']",
                     columns=("municipality", "category", "label"), key=("label",))


# ---- add-report -------------------------------------------------------------------------

@pytest.fixture
def reviewed(monkeypatch):
    """A stand-in for socialstudy.tools.review (crosswalks helper) that records its calls."""
    calls = []
    module = types.ModuleType("socialstudy.tools.review")
    module.review_text = lambda doc_id, registry=None: calls.append(doc_id) or \
        f"REVIEW OF {doc_id}"
    monkeypatch.setitem(sys.modules, "socialstudy.tools.review", module)
    return calls


def _next_year(tmp_path: Path, seed: str = HANINGE) -> Path:
    """Next year's report of a known committee: years +1, an amount changed."""
    text = (paths.RAW / seed).read_text(encoding="utf-8")
    text = text.replace("2024", str(NEXT)).replace("2023", str(NEXT - 1)).replace(
        "-1 243,4", "-1 301,2")
    path = tmp_path / "incoming" / f"haninge {NEXT}.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _cli(raw: Path, source: Path, *extra: str, municipality="Haninge", code="0136",
         year=str(NEXT), period="full_year", unit="mnkr") -> int:
    return main(["add-report", str(source), "--municipality", municipality, "--kommun-code",
                 code, "--fiscal-year", year, "--period", period, "--money-unit", unit,
                 "--registry", str(raw / "reports.yml"), *extra])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_next_year_report_is_copied_registered_and_reviewed(raw, tmp_path, reviewed, capsys):
    real_before = _snapshot(paths.RAW)
    before = (raw / "reports.yml").read_bytes()
    source = _next_year(tmp_path)
    assert _cli(raw, source) == 0
    after = (raw / "reports.yml").read_bytes()
    assert after.startswith(before) and after[len(before):].startswith(b"  - doc_id: ")
    copied = raw / f"haninge_{NEXT}_ar.txt"
    assert copied.read_bytes() == source.read_bytes()
    new = {r.doc_id: r for r in load_registry(raw / "reports.yml")}[f"haninge_{NEXT}_ar"]
    assert (new.municipality, new.kommun_code, new.fiscal_year, new.document_type) == (
        "Haninge", "0136", NEXT, "annual_report")
    assert (new.period_covered, new.money_unit, new.cost_sign) == (
        f"{NEXT}-01-01/{NEXT}-12-31", "mnkr", "costs_negative")
    assert new.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert new.title == f"Annual report {NEXT}"
    out = capsys.readouterr().out
    assert reviewed == [f"haninge_{NEXT}_ar"] and f"REVIEW OF haninge_{NEXT}_ar" in out
    assert f"carried over from {LATEST.doc_id}" in out
    assert _snapshot(paths.RAW) == real_before
    assert not list(raw.glob(".*.tmp"))


def test_fourth_municipality_interim_report(raw, tmp_path, reviewed, capsys):
    source = tmp_path / "vasby.txt"
    text = (paths.RAW / STRANGNAS).read_text(encoding="utf-8")
    source.write_text(text.replace("Strängnäs", "Upplands Väsby").replace("2023", "2025"),
                      encoding="utf-8")
    title = 'Delårsrapport 2 "augusti" 2025: Socialnämnden'
    assert _cli(raw, source, "--title", title, municipality="Upplands Väsby", code="0114",
                year="2025", period="jan_aug", unit="tkr") == 0
    new = {r.doc_id: r for r in load_registry(raw / "reports.yml")}["upplands_vasby_2025_d2"]
    assert (new.file, new.kommun_code, new.document_type, new.title) == (
        "upplands_vasby_2025_d2.txt", "0114", "interim_report", title)
    assert (new.period_covered, new.cost_sign) == ("2025-01-01/2025-08-31", "costs_negative")
    assert "ASSUMED" in capsys.readouterr().out


def test_interim_report_carries_the_sign_of_the_same_kind_of_report(raw, tmp_path, reviewed):
    report, notes = adder.add_report(_next_year(tmp_path), municipality="Haninge",
                                     kommun_code="0136", fiscal_year=NEXT, period="jan_apr",
                                     money_unit="tkr", registry=raw / "reports.yml")
    assert (report.doc_id, report.cost_sign) == (f"haninge_{NEXT}_d1", "net_costs_positive")
    assert any("carried over from haninge_2020_d1" in n for n in notes)


def test_review_missing_on_this_branch_prints_one_line(raw, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "socialstudy.tools.review", None)
    assert _cli(raw, _next_year(tmp_path)) == 0
    out = capsys.readouterr().out
    assert f"python -m socialstudy review haninge_{NEXT}_ar" in out.splitlines()[-1]


def _refused_cli(raw, source, capsys, *words, **kwargs) -> str:
    before = _snapshot(raw)
    assert _cli(raw, source, **kwargs) == 2
    err = capsys.readouterr().err
    assert _snapshot(raw) == before and "Nothing was written." in err
    for word in words:
        assert word in err, (word, err)
    return err


def test_same_bytes_or_doc_id_twice_is_refused(raw, tmp_path, reviewed, capsys):
    _refused_cli(raw, raw / HANINGE, capsys, "registered already, as haninge_2024_ar",
                 year="2026")
    source = _next_year(tmp_path)
    assert _cli(raw, source) == 0
    capsys.readouterr()
    _refused_cli(raw, source, capsys, "registered already")
    source.write_bytes(source.read_bytes() + b"\n")  # other bytes, same committee and year
    _refused_cli(raw, source, capsys, f"haninge_{NEXT}_ar is registered already, with other")


@pytest.mark.parametrize("damage, words", [
    (lambda b: b.replace(b"\n", b"\r\n"), ("line endings", "dos2unix")),
    (lambda b: b.decode("utf-8").encode("latin-1", "replace"), ("Latin-1", "iconv")),
    (lambda b: b"\xef\xbb\xbf" + b, ("byte-order mark",)),
    # prose only: no table of any shape (tab, space-aligned, one cell per line)
    (lambda b: "Nämnden redovisar ett underskott mot budget.\n".encode() * 3,
     ("no table found", "tabs", "runs of spaces", "one cell per line")),
    # what `sed 's/  +/\t/'` makes of a pdftotext -layout header with an empty first cell
    (lambda b: b.replace(b"\n\tUtfall\tBudget", b"\n                 Utfall\tBudget", 1),
     (":327: spaces, not a tab", "would shift one column", "start the line with a tab")),
    (lambda b: b"", ("empty",)),
])
def test_text_the_study_cannot_read_is_refused(raw, tmp_path, capsys, damage, words):
    source = _next_year(tmp_path)
    source.write_bytes(damage(source.read_bytes()))
    err = _refused_cli(raw, source, capsys, *words)
    assert str(source) in err


@pytest.mark.parametrize("kwargs, words", [
    ({"code": "136"}, ("--kommun-code '136'", "leading zero")),
    ({"year": "25"}, ("--fiscal-year '25'",)),
    ({"municipality": "haninge"}, ("Haninge is registered with kommun_code 0136",)),
    ({"municipality": "Nacka"}, ("does not fit --municipality Nacka --kommun-code 0136",)),
    ({"code": "0126"}, ("Haninge is registered with kommun_code 0136, which does not fit "
                        "--municipality Haninge --kommun-code 0126",)),
])
def test_arguments_that_contradict_the_registry_are_refused(raw, tmp_path, capsys, kwargs,
                                                            words):
    _refused_cli(raw, _next_year(tmp_path), capsys, *words, **kwargs)


def test_broken_registry_stops_add_report_before_writing(raw, tmp_path, capsys):
    _edit(raw, 'kommun_code: "0486"', "kommun_code: 486")
    _refused_cli(raw, _next_year(tmp_path), capsys, "kommun_code is the int 486")


def test_stray_file_in_the_way_is_not_overwritten(raw, tmp_path, capsys):
    (raw / f"haninge_{NEXT}_ar.txt").write_text("someone's notes\n", encoding="utf-8")
    _refused_cli(raw, _next_year(tmp_path), capsys, "exists but is not registered")


def test_failed_registry_write_removes_the_copied_text(raw, tmp_path, monkeypatch):
    real = adder.write_atomic

    def failing(path, data, mode):
        if path.name == "reports.yml":
            raise OSError("disk full")
        real(path, data, mode)

    monkeypatch.setattr(adder, "write_atomic", failing)
    before = _snapshot(raw)
    with pytest.raises(OSError, match="disk full"):
        adder.add_report(_next_year(tmp_path), municipality="Haninge", kommun_code="0136",
                         fiscal_year=NEXT, period="full_year", money_unit="mnkr",
                         registry=raw / "reports.yml")
    assert _snapshot(raw) == before


def test_review_that_stops_says_the_report_is_registered(raw, tmp_path, monkeypatch, capsys):
    module = types.ModuleType("socialstudy.tools.review")

    def review_text(doc_id, registry=None):
        raise CrosswalkError("label does not match", file="activities.csv", line=7)

    module.review_text = review_text
    monkeypatch.setitem(sys.modules, "socialstudy.tools.review", module)
    assert _cli(raw, _next_year(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "registered, but its review stopped" in err and "activities.csv:7" in err
    assert (raw / f"haninge_{NEXT}_ar.txt").exists()


def test_doc_id_is_derived_from_name_year_and_period():
    assert adder.derive_doc_id("Strängnäs", 2024, "full_year") == "strangnas_2024_ar"
    assert adder.derive_doc_id("Upplands Väsby", 2025, "jan_aug") == "upplands_vasby_2025_d2"
    assert adder.derive_doc_id("Malung-Sälen", 2025, "jan_apr") == "malung_salen_2025_d1"


def test_missing_source_file_is_named(raw, tmp_path, capsys):
    missing = tmp_path / "not_there.txt"
    _refused_cli(raw, missing, capsys, f"{missing}: no such file")
