"""What ``add-report`` checks before it writes anything: the text readable as it is, at
least one table the study reads, nothing registered twice, and the cost sign to assume."""

from __future__ import annotations

import re
from pathlib import Path

from socialstudy.core import registry as reg
from socialstudy.errors import RawFileError, RegistryError
from socialstudy.extract.layout_tables import layout_tables
from socialstudy.extract.tables import extract_tables, read_lines


def read_source(source: Path) -> bytes:
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


def check_tables(report: reg.Report, data: bytes, source: Path, from_pdf: bool) -> None:
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


def check_new(fields: dict, existing: list[reg.Report], text: str, registry: Path) -> None:
    """Refuse what is registered already: the same bytes, doc_id, file or kommun code."""
    for report in existing:
        for what, sha256, new, file in (("this PDF", report.pdf and report.pdf.sha256,
                                         fields.get("source_pdf_sha256"),
                                         report.pdf and report.pdf.file),
                                        ("these bytes", report.sha256, fields["sha256"],
                                         report.file)):
            if sha256 and sha256 == new:
                raise RegistryError(f"{what} is registered already, as {report.doc_id} "
                                    f"({file})", file=str(registry),
                                    line=_line_of(text, sha256),
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


def cost_sign_of(existing: list[reg.Report], municipality: str, document_type: str
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
