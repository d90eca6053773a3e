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
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path

from socialstudy import paths
from socialstudy.core import registry as reg
from socialstudy.engine.staging import atomic_write
from socialstudy.errors import RegistryError, StudyError

# the doc_id suffix: annual report, delårsrapport 1 and 2; another period its own name
KIND_SUFFIX = {"full_year": "ar", "jan_apr": "d1", "jan_aug": "d2"}


def period_title(period: str) -> str:
    """'Annual report' or 'Interim report January–August' (any period of the registry)."""
    return ("Annual report" if period == "full_year"
            else f"Interim report {reg.period_words(period)}")


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
    return f"{slug(municipality)}_{fiscal_year}_{KIND_SUFFIX.get(period, period)}"


def add_report(source: Path, *, municipality: str, kommun_code: str, fiscal_year: int,
               period: str, money_unit: str, title: str | None = None,
               registry: Path = paths.REGISTRY) -> tuple[reg.Report, list[str]]:
    """Copy ``source`` into the registry's folder and append its entry; returns the new
    report and notes on what was derived rather than given."""
    existing = reg.load_registry(registry)
    _check_arguments(municipality, kommun_code, fiscal_year, period, money_unit, title)
    # (imported here: every command's parser imports this module for add_subparser, and
    # these bring in the table reader, a tenth of a second a `run` would pay for nothing)
    from socialstudy.tools.pdf_entry import entry_block, is_pdf, pdf_fields, read_pdf
    from socialstudy.tools.report_checks import check_new, check_tables, cost_sign_of, read_source
    pdf = read_pdf(source) if is_pdf(source) else None
    data = pdf[1].text.encode("utf-8") if pdf else read_source(source)
    doc_id = derive_doc_id(municipality, fiscal_year, period)
    fields = {"doc_id": doc_id, "file": f"{doc_id}.txt", "municipality": municipality,
              "kommun_code": kommun_code, "document_type": reg.document_type_of(period),
              "title": title or f"{period_title(period)} {fiscal_year}",
              "fiscal_year": fiscal_year, "period": period,
              "period_covered": reg.period_covered(fiscal_year, period),
              "money_unit": money_unit, "sha256": hashlib.sha256(data).hexdigest()}
    if pdf:
        fields.update(pdf_fields(doc_id, *pdf))
    text = registry.read_text(encoding="utf-8")
    check_new(fields, existing, text, registry)
    fields["cost_sign"], sign_note = cost_sign_of(existing, municipality, fields["document_type"])
    candidate = text + ("" if text.endswith("\n") else "\n") + entry_block(fields)
    report = next(r for r in reg.parse_registry(candidate, registry) if r.doc_id == doc_id)
    check_tables(report, data, source, pdf is not None)
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


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write beside ``path`` and move into place (readers see the old or the new file),
    keeping the file mode of what it replaces."""
    atomic_write(path, data)
    os.chmod(path, mode)
