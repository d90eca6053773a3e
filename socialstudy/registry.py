"""The raw corpus: ``data/raw/reports.yml`` lists each report with its SHA-256.

Raw files are immutable; a file whose bytes changed since registration is refused, so no
number can silently come from a different text than the one the study cites.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import paths
from .errors import HashMismatchError, RegistryError

REQUIRED = ("doc_id", "file", "municipality", "kommun_code", "document_type", "fiscal_year",
            "period", "period_covered", "money_unit", "sha256")
DOCUMENT_TYPES = {"annual_report", "interim_report"}
MONEY_UNITS = {"tkr", "mnkr", "mkr"}


@dataclass(frozen=True)
class Report:
    doc_id: str
    file: str
    municipality: str
    kommun_code: str
    document_type: str
    title: str
    fiscal_year: int
    period: str
    period_covered: str
    money_unit: str
    cost_sign: str
    sha256: str
    path: Path

    @property
    def is_full_year(self) -> bool:
        return self.period == "full_year"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_registry(registry: Path = paths.REGISTRY, *, verify: bool = True) -> list[Report]:
    """Read the registry; with ``verify`` check that every file exists and matches its hash."""
    if not registry.exists():
        raise RegistryError("registry file not found", file=str(registry),
                            fix="restore data/raw/reports.yml from git")
    try:
        data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise RegistryError(f"not valid YAML ({exc.__class__.__name__})", file=str(registry),
                            line=None if line is None else line + 1,
                            fix="correct the YAML syntax") from None
    entries = (data or {}).get("reports")
    if not entries:
        raise RegistryError("no 'reports:' entries", file=str(registry),
                            fix="list each raw file under 'reports:'")
    reports, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        missing = [k for k in REQUIRED if k not in entry]
        if missing:
            raise RegistryError(f"entry {i} lacks {', '.join(missing)}", file=str(registry),
                                fix="add the missing keys (see the other entries)")
        if entry["doc_id"] in seen:
            raise RegistryError(f"doc_id {entry['doc_id']!r} appears twice", file=str(registry),
                                fix="give each report its own doc_id")
        seen.add(entry["doc_id"])
        if entry["document_type"] not in DOCUMENT_TYPES:
            raise RegistryError(f"{entry['doc_id']}: document_type must be one of "
                                f"{sorted(DOCUMENT_TYPES)}", file=str(registry))
        if entry["money_unit"] not in MONEY_UNITS:
            raise RegistryError(f"{entry['doc_id']}: money_unit must be one of "
                                f"{sorted(MONEY_UNITS)}", file=str(registry))
        report = Report(
            doc_id=entry["doc_id"], file=entry["file"], municipality=entry["municipality"],
            kommun_code=str(entry["kommun_code"]), document_type=entry["document_type"],
            title=entry.get("title", ""), fiscal_year=int(entry["fiscal_year"]),
            period=entry["period"], period_covered=entry["period_covered"],
            money_unit=entry["money_unit"], cost_sign=entry.get("cost_sign", ""),
            sha256=entry["sha256"], path=registry.parent / entry["file"])
        if verify:
            verify_file(report, registry)
        reports.append(report)
    return reports


def verify_file(report: Report, registry: Path = paths.REGISTRY) -> None:
    if not report.path.exists():
        raise RegistryError(f"{report.doc_id}: raw file {report.file} is missing",
                            file=str(registry),
                            fix=f"copy {report.file} unchanged from ../shared/reports/ into "
                                f"{report.path.parent}, or remove its entry")
    actual = sha256_of(report.path)
    if actual != report.sha256:
        raise HashMismatchError(
            f"SHA-256 of {report.file} is {actual}, the registry says {report.sha256}: "
            "the raw file was changed after registration",
            file=str(report.path),
            fix=f"restore the original bytes (git checkout -- data/raw/{report.file}); raw data "
                "is never edited. If this is a genuinely new version of the report, add it as "
                "a new entry with its own doc_id and hash.")


def by_doc_id(reports: list[Report]) -> dict[str, Report]:
    return {r.doc_id: r for r in reports}
