"""``python -m socialstudy add-report``: register a new report, a PDF or its text, without
editing code.

A PDF's text is extracted once (``extract.pdftext``, pypdfium2, layout kept); the PDF is
copied byte for byte to ``data/raw/<doc_id>.pdf`` beside the text ``<doc_id>.txt``, both
hashed in the entry with the extraction library, its version and the layout version, so
a rebuild reads the text and never re-extracts. Everything is checked before anything is
written: the registry as it stands, the text (UTF-8 without BOM, LF line endings, at
least one table of any shape the study reads: tab-separated, aligned with spaces, one
cell per line; no tab row whose cells would shift for spaces before its first tab), the
arguments, and that neither the bytes nor the derived doc_id are registered yet. Each
file is written to a temporary file and moved into place and ``reports.yml`` gets one
entry appended (existing bytes untouched, comments kept), so an interrupted run leaves
the registry as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path

import yaml

from socialstudy import paths
from socialstudy.core import registry as reg
from socialstudy.engine.staging import atomic_write
from socialstudy.errors import RawFileError, RegistryError, StudyError
from socialstudy.extract.layout_tables import layout_tables
from socialstudy.extract.pdftext import Extracted, extract_text
from socialstudy.extract.tables import extract_tables, read_lines

KIND_SUFFIX = {"full_year": "ar", "jan_apr": "d1", "jan_aug": "d2"}
PERIOD_TITLES = {"full_year": "Annual report", "jan_apr": "Interim report January–April",
                 "jan_aug": "Interim report January–August"}


def add_subparser(sub) -> None:
    """The ``add-report`` subcommand (kept here so ``__main__`` stays one block)."""
    cmd = sub.add_parser("add-report", help="copy a report text into data/raw/, register it "
                                            "in reports.yml and print its review")
    cmd.add_argument("path", type=Path, metavar="PATH",
                     help="the report: a PDF (its text is extracted once) or its text "
                          "(UTF-8, LF; tables tab-separated, space-aligned or one cell "
                          "per line)")
    cmd.add_argument("--municipality", required=True, metavar="NAME", help="e.g. Haninge")
    cmd.add_argument("--kommun-code", required=True, metavar="CODE",
                     help="SCB's four-digit code, e.g. 0136")
    cmd.add_argument("--fiscal-year", required=True, metavar="YYYY", help="e.g. 2025")
    cmd.add_argument("--period", required=True, choices=list(reg.PERIODS))
    cmd.add_argument("--money-unit", required=True, choices=list(reg.MONEY_UNITS))
    cmd.add_argument("--title", metavar="TEXT", help="the report's own title (default: "
                                                     "derived, e.g. 'Annual report 2025')")
    cmd.add_argument("--registry", type=Path, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    """Register, then print what was derived and the report's review."""
    try:
        if not re.fullmatch(r"[0-9]{4}", args.fiscal_year):
            raise RegistryError(f"--fiscal-year {args.fiscal_year!r} is not a year",
                                fix="give the fiscal year as four digits, e.g. 2025")
        report, notes = add_report(
            args.path, municipality=args.municipality, kommun_code=args.kommun_code,
            fiscal_year=int(args.fiscal_year), period=args.period, money_unit=args.money_unit,
            title=args.title, registry=args.registry or paths.REGISTRY)
    except StudyError as exc:
        print(f"error: {exc.message}\nNothing was written.", file=sys.stderr)
        return 2
    print(f"registered {report.doc_id}: {report.path} (SHA-256 {report.sha256})")
    for note in notes:
        print(f"  {note}")
    try:
        print("\n" + review(report.doc_id, args.registry or paths.REGISTRY))
    except StudyError as exc:
        print(f"error: the report is registered, but its review stopped: {exc.message}\n"
              f"Fix that, then run: python -m socialstudy review {report.doc_id}",
              file=sys.stderr)
        return 2
    return 0


def review(doc_id: str, registry: Path = paths.REGISTRY) -> str:
    """The crosswalk review of the new report, or a note where this version has none."""
    try:
        from socialstudy.tools.review import review_text
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.review":
            raise
        return (f"(no review in this version of the study: socialstudy.tools.review is missing; "
                f"once it exists, run: python -m socialstudy review {doc_id})")
    return review_text(doc_id, registry=registry)


def slug(name: str) -> str:
    """``Strängnäs`` -> ``strangnas``, ``Upplands Väsby`` -> ``upplands_vasby``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def derive_doc_id(municipality: str, fiscal_year: int, period: str) -> str:
    """``<municipality>_<year>_<ar|d1|d2>``: annual report, interim report 1 or 2."""
    return f"{slug(municipality)}_{fiscal_year}_{KIND_SUFFIX[period]}"


def add_report(source: Path, *, municipality: str, kommun_code: str, fiscal_year: int,
               period: str, money_unit: str, title: str | None = None,
               registry: Path = paths.REGISTRY) -> tuple[reg.Report, list[str]]:
    """Copy ``source`` into the registry's folder and append its entry; returns the new
    report and notes on what was derived rather than given."""
    existing = reg.load_registry(registry)
    _check_arguments(municipality, kommun_code, fiscal_year, period, money_unit, title)
    pdf = _read_pdf(source) if is_pdf(source) else None
    data = pdf[1].text.encode("utf-8") if pdf else _read_source(source)
    doc_id = derive_doc_id(municipality, fiscal_year, period)
    fields = {"doc_id": doc_id, "file": f"{doc_id}.txt", "municipality": municipality,
              "kommun_code": kommun_code, "document_type": reg.document_type_of(period),
              "title": title or f"{PERIOD_TITLES[period]} {fiscal_year}",
              "fiscal_year": fiscal_year, "period": period,
              "period_covered": reg.period_covered(fiscal_year, period),
              "money_unit": money_unit, "sha256": hashlib.sha256(data).hexdigest()}
    if pdf:
        fields.update(pdf_fields(doc_id, *pdf))
    text = registry.read_text(encoding="utf-8")
    _check_new(fields, existing, text, registry)
    fields["cost_sign"], sign_note = _cost_sign(existing, municipality, fields["document_type"])
    candidate = text + ("" if text.endswith("\n") else "\n") + entry_block(fields)
    report = next(r for r in reg.parse_registry(candidate, registry) if r.doc_id == doc_id)
    _check_tables(report, data, source, pdf is not None)
    _write(registry, candidate, [(report.path, data)]
           + ([(report.pdf.path, pdf[0])] if pdf else []))
    notes = [f"doc_id {doc_id}, file {fields['file']}, document_type "
             f"{fields['document_type']}, period_covered {fields['period_covered']}: derived "
             "from municipality, fiscal year and period", sign_note]
    if pdf:
        notes.insert(0, f"text extracted from {source.name} ({pdf[1].pages} pages, "
                        f"{pdf[1].text.count(chr(10))} lines) with {pdf[1].library} "
                        f"{pdf[1].version}, layout {pdf[1].layout}; the PDF is kept as "
                        f"{report.pdf.file}, the study reads only {report.file}")
    if not title:
        notes.append(f"title {fields['title']!r}: derived; edit title in {registry.name} "
                     "to the report's own title")
    return report, notes


def _write(registry: Path, candidate: str, files: list[tuple[Path, bytes]]) -> None:
    """The report's files, then the registry; on any failure the files written go again."""
    mode = stat.S_IMODE(registry.stat().st_mode)
    written = []
    try:
        for path, data in files:
            write_atomic(path, data, mode)
            written.append(path)
        write_atomic(registry, candidate.encode("utf-8"), mode)
    except BaseException:
        for path in written:
            path.unlink()
        raise


def _check_arguments(municipality: str, kommun_code: str, fiscal_year: int, period: str,
                     money_unit: str, title: str | None) -> None:
    problems = [
        (municipality == municipality.strip() and "\n" not in municipality
         and slug(municipality),
         f"--municipality {municipality!r}", "the municipality's name, e.g. Haninge"),
        (re.fullmatch(r"[0-9]{4}", kommun_code), f"--kommun-code {kommun_code!r}",
         "SCB's four-digit municipality code with its leading zero, e.g. 0136"),
        (type(fiscal_year) is int and 1000 <= fiscal_year <= 9999,
         f"--fiscal-year {fiscal_year!r}", "the fiscal year as four digits, e.g. 2025"),
        (period in reg.PERIODS, f"--period {period!r}", " | ".join(reg.PERIODS)),
        (money_unit in reg.MONEY_UNITS, f"--money-unit {money_unit!r}",
         " | ".join(reg.MONEY_UNITS)),
        (title is None or (title.strip() and "\n" not in title), f"--title {title!r}",
         "the report's title on one line"),
    ]
    for ok, given, expected in problems:
        if not ok:
            raise RegistryError(f"{given} is not valid", fix=f"give {expected}")


def is_pdf(source: Path) -> bool:
    """A PDF by its first bytes (``%PDF-``), whatever its name says."""
    if not source.is_file():
        return False
    with source.open("rb") as fh:
        return fh.read(5) == b"%PDF-"


def _read_pdf(source: Path) -> tuple[bytes, Extracted]:
    """The PDF's bytes and its text, extracted once; refused if it has no text layer."""
    data = source.read_bytes()
    try:
        extracted = extract_text(source)
    except Exception as exc:  # PDFium's own errors name no file
        raise RawFileError(f"the PDF cannot be read ({type(exc).__name__}: {exc})",
                           file=str(source),
                           fix="check that the file opens in a PDF viewer; if it is damaged, "
                               "download it again") from None
    if not extracted.text.strip():
        raise RawFileError(
            f"none of the {extracted.pages} pages has a text layer (a scanned report?)",
            file=str(source), fix="run OCR on the PDF first (e.g. ocrmypdf), or add the "
                                  "report's text instead")
    return data, extracted


def pdf_fields(doc_id: str, data: bytes, extracted: Extracted) -> dict:
    """The registry keys of a PDF source: file, hash, how the text was made, and notes."""
    notes = {"pages": extracted.pages, "empty_pages": list(extracted.empty_pages),
             "shifted_lines": list(extracted.shifted_lines),
             "rotated_chars": extracted.rotated_chars,
             "unmapped_chars": extracted.unmapped_chars}
    return {"source_pdf": f"{doc_id}.pdf", "source_pdf_sha256": hashlib.sha256(data).hexdigest(),
            "extraction_library": extracted.library, "extraction_version": extracted.version,
            "extraction_layout": extracted.layout, "extraction_notes": notes}


def _read_source(source: Path) -> bytes:
    """The report's bytes, refused unless the study can read them as they are."""
    if not source.is_file():
        raise RawFileError("no such file", file=str(source),
                           fix="give the path of the report's PDF or text file")
    lines = read_lines(source)
    shifted = next((i for i, line in enumerate(lines, 1)
                    if "\t" in line and re.match(r" {2,}\S", line)), None)
    if shifted:
        raise RawFileError(
            "spaces, not a tab, before the first cell of a tab-separated row: its cells "
            "would shift one column (a header's 'Utfall' read as the row label)",
            file=str(source), line=shifted,
            fix="start the line with a tab where its first cell is empty, as in the existing "
                "files (README, 'Adding a report')")
    return source.read_bytes()


def _check_tables(report: reg.Report, data: bytes, source: Path, from_pdf: bool) -> None:
    """At least one table, read by the same code as the study (``extract_report``'s
    readers): tab-separated, aligned with spaces, or one cell per line."""
    lines = data.decode("utf-8").split("\n")
    tables = extract_tables(report, lines) + layout_tables(report, lines)
    if any(t.kind == "data" for t in tables):
        return
    what = "the text extracted from this PDF" if from_pdf else "the text"
    raise RawFileError(
        f"no table found in {what}: looked for cells separated by tabs, columns aligned "
        "with runs of spaces (as pdftotext -layout writes them) and one cell per line (as "
        "copied from a web page), each under a header row naming the columns",
        file=str(source),
        fix="check that the file holds the report's tables (not only its prose); if they "
            "are images, run OCR first; see README, 'The text the study needs'")


def _line_of(text: str, needle: str) -> int | None:
    return next((i for i, line in enumerate(text.split("\n"), 1) if needle in line), None)


def _check_new(fields: dict, existing: list[reg.Report], text: str, registry: Path) -> None:
    """Refuse what is registered already: the same bytes, doc_id, file or kommun code."""
    for report in existing:
        if report.pdf and report.pdf.sha256 == fields.get("source_pdf_sha256"):
            raise RegistryError(
                f"this PDF is registered already, as {report.doc_id} ({report.pdf.file})",
                file=str(registry), line=_line_of(text, report.pdf.sha256),
                fix="nothing to do: a report is registered once")
        if report.sha256 == fields["sha256"]:
            raise RegistryError(
                f"these bytes are registered already, as {report.doc_id} ({report.file})",
                file=str(registry), line=_line_of(text, report.sha256),
                fix="nothing to do: a report is registered once")
        if report.doc_id == fields["doc_id"]:
            raise RegistryError(
                f"{fields['doc_id']} is registered already, with other bytes ({report.file})",
                file=str(registry), line=_line_of(text, f"doc_id: {report.doc_id}"),
                fix="check municipality, year and period; if this text replaces the old one, "
                    "remove the old entry and its file first (git rm), then add this one")
        same_name = report.municipality.casefold() == fields["municipality"].casefold()
        if same_name != (report.kommun_code == fields["kommun_code"]) or (
                same_name and report.municipality != fields["municipality"]):
            raise RegistryError(
                f"{report.municipality} is registered with kommun_code {report.kommun_code}, "
                f"which does not fit --municipality {fields['municipality']} --kommun-code "
                f"{fields['kommun_code']}", file=str(registry),
                line=_line_of(text, f"doc_id: {report.doc_id}"),
                fix=f"use --municipality {report.municipality} --kommun-code "
                    f"{report.kommun_code} for this committee, or check the code in SCB's list")
    for name in (fields["file"], fields.get("source_pdf")):
        target = registry.parent / name if name else None
        if target and (target.exists() or target.is_symlink()):
            raise RegistryError(f"{target.name} exists but is not registered",
                                file=str(target), fix="move the stray file out of data/raw/ "
                                                      "and run add-report again")


def _cost_sign(existing: list[reg.Report], municipality: str, document_type: str
               ) -> tuple[str, str]:
    """The sign convention of the committee's latest report of the same kind, else the
    common one; either way the note says so, because the text alone does not tell."""
    same = [r for r in existing
            if r.municipality == municipality and r.document_type == document_type]
    if same:
        latest = max(same, key=lambda r: r.fiscal_year)
        return latest.cost_sign, (f"cost_sign {latest.cost_sign}: carried over from "
                                  f"{latest.doc_id}; check that the new report signs costs "
                                  "the same way")
    return reg.COSTS_NEGATIVE, (
        f"cost_sign {reg.COSTS_NEGATIVE}: ASSUMED (no earlier {document_type} of "
        f"{municipality}); check the income statement and, if net costs are printed "
        "positive, change cost_sign in reports.yml (values explained at its top)")


def _plain_or_quoted(value: str) -> str:
    plain = (re.fullmatch(r"[^\W\d_][\w .\-]*", value) and not value.endswith(" ")
             and yaml.safe_load(f"k: {value}") == {"k": value})
    return value if plain else json.dumps(value, ensure_ascii=False)


def entry_block(fields: dict) -> str:
    """One registry entry in the layout of the existing ones."""
    return (f"  - doc_id: {fields['doc_id']}\n"
            f"    file: {fields['file']}\n"
            f"    municipality: {_plain_or_quoted(fields['municipality'])}\n"
            f"    kommun_code: \"{fields['kommun_code']}\"\n"
            f"    document_type: {fields['document_type']}\n"
            f"    title: {json.dumps(fields['title'], ensure_ascii=False)}\n"
            f"    fiscal_year: {fields['fiscal_year']}\n"
            f"    period: {fields['period']}\n"
            f"    period_covered: \"{fields['period_covered']}\"\n"
            f"    money_unit: {fields['money_unit']}\n"
            f"    cost_sign: {fields['cost_sign']}\n"
            f"    sha256: {fields['sha256']}\n" + _pdf_block(fields))


def _pdf_block(fields: dict) -> str:
    if "source_pdf" not in fields:
        return ""
    notes = ", ".join(f"{k}: {json.dumps(v)}" for k, v in fields["extraction_notes"].items())
    return "".join(f"    {key}: {json.dumps(fields[key], ensure_ascii=False)}\n"
                   for key in reg.PDF_KEYS) + f"    extraction_notes: {{{notes}}}\n"


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write beside ``path`` and move into place (readers see the old or the new file),
    keeping the file mode of what it replaces."""
    atomic_write(path, data)
    os.chmod(path, mode)
