"""`add-report` with input as users have it (issue 16, item 1): a PDF (text extracted once,
kept beside the PDF, both hashed), text whose tables are aligned with spaces, and the text
of a real web page with one cell per line. The PDFs are made like report PDFs (words at
coordinates, right-aligned Swedish numbers under a two-line header, several pages);
everything runs on tmp copies of data/raw/."""

import contextlib
import hashlib
import io
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest

from socialstudy import paths
from socialstudy.__main__ import main
from socialstudy.core.registry import load_registry
from socialstudy.errors import HashMismatchError, RegistryError
from socialstudy.extract import pdftext
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.tools import pdf_entry, sample_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "real"
COLUMNS = ["Utfall 2024", "Budget 2025", "Utfall 2025", "Avvikelse 2025"]


def _cli(raw: Path, source: Path, municipality="Exempelby", code="9999", year="2025",
         unit="tkr") -> int:
    return main(["add-report", str(source), "--municipality", municipality, "--kommun-code",
                 code, "--fiscal-year", year, "--period", "full_year", "--money-unit", unit,
                 "--registry", str(raw / "reports.yml")])


def _pdf(tmp_path: Path, pages: int = 3, blank: tuple[int, ...] = (), name="report.pdf"
         ) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(sample_pdf.build(pages, blank=blank))
    return path


def _registered(raw: Path, doc_id: str):
    return {r.doc_id: r for r in load_registry(raw / "reports.yml")}[doc_id]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def added_once(tmp_path_factory) -> tuple[Path, Path, str]:
    """A three-page PDF report (page 2 without a text layer) added with the CLI to a copy
    of data/raw/, once per module (the add runs the report's review): (source PDF, that
    data/raw/, what the CLI printed)."""
    folder = tmp_path_factory.mktemp("added")
    raw = folder / "raw"
    raw.mkdir()
    for path in [*paths.RAW.glob("*.txt"), paths.REGISTRY]:
        shutil.copyfile(path, raw / path.name)
    source = _pdf(folder, pages=4, blank=(2,))
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert _cli(raw, source) == 0
    return source, raw, out.getvalue()


@pytest.fixture
def added(raw, added_once):
    """The added report's files and registry in this test's own data/raw/ (``raw``), which
    the test may change: (source PDF, the registered report, what the CLI printed)."""
    source, once, out = added_once
    for path in once.iterdir():
        shutil.copyfile(path, raw / path.name)
    return source, _registered(raw, "exempelby_2025_ar"), out


def test_pdf_is_kept_beside_its_text_both_hashed(raw, added):
    source, report, out = added
    assert (raw / "exempelby_2025_ar.pdf").read_bytes() == source.read_bytes()
    text = (raw / "exempelby_2025_ar.txt").read_bytes()
    assert text == pdftext.extract_text(source).text.encode("utf-8")
    assert report.sha256 == hashlib.sha256(text).hexdigest()
    pdf = report.pdf
    assert (pdf.file, pdf.sha256) == ("exempelby_2025_ar.pdf",
                                      hashlib.sha256(source.read_bytes()).hexdigest())
    assert pdf.library == "pypdfium2" and pdf.layout == pdftext.LAYOUT_VERSION
    assert pdf.version.startswith(version("pypdfium2") + " (pdfium ")
    assert pdf.notes == {"pages": 4, "empty_pages": [2], "shifted_lines": [],
                         "rotated_chars": 0, "unmapped_chars": 0}
    assert "text extracted from report.pdf (4 pages" in out


def test_numbers_of_the_pdf_table_are_facts_at_their_lines(added):
    _, report, _ = added
    lines = report.path.read_text(encoding="utf-8").split("\n")
    facts = extract_and_clean([report]).facts
    starts = _page_starts(lines)
    assert len(starts) == 3  # pages 1, 3 and 4 carry text
    for page, start in zip((1, 3, 4), starts):
        for label, cells in sample_pdf.table_rows(page):
            line = next(i for i, t in enumerate(lines, 1) if i > start and t.startswith(label))
            got = facts[facts.source_line == line].sort_values("source_col")
            assert list(got.column_label) == COLUMNS, (page, label)
            assert list(got.raw) == cells, (page, label)
            assert list(got.value.astype(float)) == [float(c.replace(" ", "")) for c in cells]


def _page_starts(lines: list[str]) -> list[int]:
    """The line of each page's running header (the first line of a page with text)."""
    return [i for i, t in enumerate(lines, 1) if t.startswith("Exempelby kommun")]


def test_review_names_the_page_without_text(added):
    _, _, out = added
    warning = next(t for t in out.splitlines() if t.startswith("WARNING: exempelby_2025_ar.pdf"))
    assert "page(s) 2 of 4 have no text layer" in warning and "OCR" in warning


def test_rebuild_reads_the_text_and_never_the_pdf(raw, added, monkeypatch):
    _, report, _ = added
    before = extract_and_clean([report]).facts

    def no_extraction(*args, **kwargs):
        raise AssertionError("the PDF was extracted again")

    monkeypatch.setattr(pdftext, "extract_text", no_extraction)
    monkeypatch.setattr(pdf_entry, "extract_text", no_extraction)
    again = extract_and_clean([_registered(raw, "exempelby_2025_ar")]).facts
    assert again.equals(before) and len(again) == 3 * 5 * 4


def test_changed_or_missing_pdf_stops_the_registry(raw, added):
    pdf = raw / "exempelby_2025_ar.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    with pytest.raises(HashMismatchError) as info:
        load_registry(raw / "reports.yml")
    assert info.value.file == str(pdf) and "the PDF was changed" in str(info.value)
    pdf.unlink()
    with pytest.raises(RegistryError, match="source PDF exempelby_2025_ar.pdf is missing"):
        load_registry(raw / "reports.yml")


def test_same_pdf_twice_is_refused(raw, added, tmp_path, capsys):
    source, _, _ = added
    before = _snapshot(raw)
    assert _cli(raw, source, year="2026") == 2
    assert "this PDF is registered already, as exempelby_2025_ar" in capsys.readouterr().err
    assert _snapshot(raw) == before


def test_extraction_is_the_same_bytes_from_another_path(tmp_path):
    first = _pdf(tmp_path, pages=2)
    other = tmp_path / "elsewhere" / "copy.pdf"
    other.parent.mkdir()
    other.write_bytes(first.read_bytes())
    a, b = pdftext.extract_text(first), pdftext.extract_text(other)
    assert a.text == b.text and a.text.splitlines() == a.text.split("\n")[:-1]
    lines = a.text.split("\n")
    assert "\f" not in a.text and a.page_starts[0] == 1  # pages: one blank line between
    assert lines[a.page_starts[1] - 2] == "" and lines[a.page_starts[1] - 1].startswith(
        "Exempelby kommun")


def test_scanned_pdf_is_refused_before_writing(raw, tmp_path, capsys):
    source = _pdf(tmp_path, pages=2, blank=(1, 2))
    before = _snapshot(raw)
    assert _cli(raw, source) == 2
    err = capsys.readouterr().err
    assert f"{source}: none of the 2 pages has a text layer" in err and "OCR" in err
    assert _snapshot(raw) == before


def test_space_aligned_text_without_tabs_is_accepted(raw, tmp_path, capsys):
    """What pdftotext -layout writes: the PDF's layout text saved as a text file."""
    text = pdftext.extract_text(_pdf(tmp_path, pages=1)).text
    assert "\t" not in text
    source = tmp_path / "exempelby.txt"
    source.write_text(text, encoding="utf-8")
    assert _cli(raw, source) == 0
    report = _registered(raw, "exempelby_2025_ar")
    assert report.pdf is None and report.path.read_bytes() == source.read_bytes()
    facts = extract_and_clean([report]).facts
    total = facts[facts.row_label == sample_pdf.TOTAL].sort_values("source_col")
    assert list(total.raw) == sample_pdf.table_rows(1)[-1][1]
    assert "source_pdf" not in (raw / "reports.yml").read_text(encoding="utf-8")


def test_real_web_page_text_one_cell_per_line_is_accepted(raw, capsys):
    source = FIXTURES / "vastervik_2020_ar_drift" / "report.txt"
    assert "\t" not in source.read_text(encoding="utf-8")
    assert _cli(raw, source, municipality="Västervik", code="0883", year="2020",
                unit="mnkr") == 0
    report = _registered(raw, "vastervik_2020_ar")
    assert report.path.read_bytes() == source.read_bytes()
    facts = extract_and_clean([report]).facts
    row = facts[(facts.row_label == "Socialnämnd")].set_index("source_line").raw
    # the hand-read figures of the fixture's expected.yml, at their lines
    assert {line: row[line] for line in (250, 254, 256, 258, 260)} == {
        250: "216,4", 254: "-1 133,1", 256: "-916,7", 258: "-918,6", 260: "1,9"}


def test_prose_only_text_is_refused_naming_the_file_and_what_was_looked_for(raw, tmp_path,
                                                                            capsys):
    source = tmp_path / "prose.txt"
    source.write_text("Socialnämnden redovisar ett underskott på 3,6 miljoner kronor.\n"
                      "Kostnaderna för placeringar har ökat under 2025.\n", encoding="utf-8")
    before = _snapshot(raw)
    assert _cli(raw, source) == 2
    err = capsys.readouterr().err
    assert f"{source}: no table found in the text" in err
    for shape in ("separated by tabs", "aligned with runs of spaces", "one cell per line"):
        assert shape in err
    assert "Fix:" in err and "Nothing was written." in err and _snapshot(raw) == before


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace('    extraction_layout: "1"\n', ""),
     ("a PDF source lacks extraction_layout",)),
    (lambda t: t.replace('source_pdf: "exempelby_2025_ar.pdf"',
                         'source_pdf: "../exempelby_2025_ar.pdf"'),
     ("is not a .pdf file directly in",)),
    (lambda t: t.replace("empty_pages: [2]", "empty_pages: [two]"),
     ("extraction_notes is not a mapping",)),
])
def test_hostile_pdf_keys_are_refused_with_line_and_fix(raw, added, edit, words):
    path = raw / "reports.yml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    assert info.value.file == str(path) and info.value.line and info.value.fix
    for word in words:
        assert word in str(info.value)
