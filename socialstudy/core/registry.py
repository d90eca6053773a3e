"""The raw corpus: ``data/raw/reports.yml`` lists each report with its SHA-256.

Raw files are immutable; a file whose bytes changed since registration is refused, so no
number can silently come from a different text than the one the study cites. The whole
registry is checked before any file is read: a wrong type, an unknown value, a path
outside ``data/raw/`` or a report registered twice stops the study with the registry
file, the entry's line and the fix.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from socialstudy import paths
from socialstudy.core import filecache
from socialstudy.errors import HashMismatchError, RegistryError

REQUIRED = ("doc_id", "file", "municipality", "kommun_code", "document_type", "fiscal_year",
            "period", "period_covered", "money_unit", "cost_sign", "sha256")
# a report added from a PDF: the PDF beside its text, hashed, and how the text was made
PDF_KEYS = ("source_pdf", "source_pdf_sha256", "extraction_library", "extraction_version",
            "extraction_layout")
PDF_NOTES = ("pages", "empty_pages", "shifted_lines", "rotated_chars", "unmapped_chars")
OPTIONAL = ("title",) + PDF_KEYS + ("extraction_notes",)
DOCUMENT_TYPES = ("annual_report", "interim_report")
# period -> (first day, last day) of the fiscal year the report covers
PERIODS = {"full_year": ("01-01", "12-31"), "jan_apr": ("01-01", "04-30"),
           "jan_aug": ("01-01", "08-31"), "jan_oct": ("01-01", "10-31"),
           "jan_nov": ("01-01", "11-30")}
MONEY_UNITS = ("tkr", "mnkr", "mkr")
COSTS_NEGATIVE = "costs_negative"
NET_COSTS_POSITIVE = "net_costs_positive"
COSTS_NEGATIVE_STATEMENT_NET_POSITIVE_ACTIVITY = "costs_negative_statement_net_positive_activity"
COST_SIGNS = {
    COSTS_NEGATIVE: "costs are printed negative, revenues positive",
    NET_COSTS_POSITIVE: "net costs are printed positive",
    COSTS_NEGATIVE_STATEMENT_NET_POSITIVE_ACTIVITY:
        "costs negative in the income statement, net costs positive per activity",
}
# what a coded value must look like, by the key it stands under (registry_rules checks
# them; sha256 also for source_pdf_sha256)
CODE_PATTERNS = {"doc_id": re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*"),
                 "sha256": re.compile(r"[0-9a-f]{64}"), "kommun_code": re.compile(r"[0-9]{4}")}


@dataclass(frozen=True)
class PdfSource:
    """The PDF a report's text was extracted from (once, by ``add-report``) and the
    extraction's notes: pages without text, lines whose cells moved, glyphs dropped."""
    file: str
    sha256: str
    library: str
    version: str
    layout: str
    notes: dict
    path: Path


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
    pdf: PdfSource | None = None

    @property
    def is_full_year(self) -> bool:
        return self.period == "full_year"


@dataclass(frozen=True)
class Entry:
    """One ``- doc_id: …`` block as written: its values and the line of each value."""

    values: dict
    lines: dict
    line: int


def sha256_of(path: Path) -> str:
    return filecache.sha256(path)


def period_covered(fiscal_year: int, period: str) -> str:
    """``YYYY-MM-DD/YYYY-MM-DD`` for a fiscal year and one of PERIODS."""
    first, last = PERIODS[period]
    return f"{fiscal_year}-{first}/{fiscal_year}-{last}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def period_words(period: str) -> str:
    """A report period in words: 'full year', or its months ('January–August')."""
    if period == "full_year":
        return "full year"
    first, last = (MONTHS[int(PERIODS[period][i][:2]) - 1] for i in (0, 1))
    return f"{first}–{last}"


def period_categories() -> list[dict]:
    """The schema categories of every period the registry allows (one declaration:
    :data:`PERIODS`); a schema's period column lists them as ``{include: report_periods}``."""
    out = [{"value": "full_year", "label": "the whole fiscal year (January–December)"}]
    for period in PERIODS:
        if period != "full_year":
            words = period_words(period)
            out.append({"value": period, "words": words,
                        "label": f"{words} of the fiscal year (interim report; not comparable "
                                 "with a full year)"})
    return out


def document_type_of(period: str) -> str:
    return "annual_report" if period == "full_year" else "interim_report"


def load_registry(path: Path = paths.REGISTRY) -> list[Report]:
    """Read and check the registry, then check that every file exists and matches its hash."""
    if not path.exists():
        raise RegistryError("registry file not found", file=str(path),
                            fix="restore data/raw/reports.yml from git")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RegistryError("not valid UTF-8", file=str(path),
                            line=data[: exc.start].count(b"\n") + 1,
                            fix="save reports.yml as UTF-8 (iconv -f latin1 -t utf-8)") from None
    parsed = _parse(text, path)
    for report, entry in parsed:
        verify_files(report, path, entry.lines)
    return [report for report, _ in parsed]


def parse_registry(text: str, registry: Path) -> list[Report]:
    """The reports of a registry text, every entry and every cross-entry rule checked;
    reads no raw file (``registry`` names the file in errors and locates data/raw)."""
    return [report for report, _ in _parse(text, registry)]


def _parse(text: str, registry: Path) -> list[tuple[Report, Entry]]:
    from socialstudy.core import registry_rules  # it reads the declarations above
    entries = _entries(text, registry)
    for entry in entries:
        registry_rules.check_entry(entry, registry)
    registry_rules.check_unique(entries, registry)
    return [(_report(entry, registry), entry) for entry in entries]


def fail(registry: Path, line: int | None, problem: str, fix: str) -> RegistryError:
    return RegistryError(problem, file=str(registry), line=line, fix=fix)


def _compose(text: str, registry: Path) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise fail(registry, None if mark is None else mark.line + 1,
                    f"not valid YAML ({exc.__class__.__name__})",
                    "correct the YAML syntax") from None


@filecache.per_text  # composed once per distinct text; the entries are never changed
def _entries(text: str, registry: Path) -> tuple[Entry, ...]:
    root = _compose(text, registry)
    keys = {} if not isinstance(root, yaml.MappingNode) else _top_keys(root, registry)
    extra = sorted(set(keys) - {"reports"})
    if extra:
        raise fail(registry, root.start_mark.line + 1, f"unknown top-level keys {extra}",
                    "the registry holds only 'reports:', a list of entries")
    seq = keys.get("reports")
    if not isinstance(seq, yaml.SequenceNode) or not seq.value:
        raise fail(registry, None if seq is None else seq.start_mark.line + 1,
                    "no 'reports:' entries", "list each raw file under 'reports:'")
    return tuple(_entry(node, registry) for node in seq.value)


def _top_keys(root: yaml.MappingNode, registry: Path) -> dict[str, yaml.Node]:
    """The top-level keys; a repeated one is refused (YAML would keep the last block and
    silently drop the reports of the first)."""
    keys: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        if key_node.value in keys:
            first = keys[key_node.value].start_mark.line
            raise fail(registry, key_node.start_mark.line + 1,
                        f"top-level key {key_node.value!r} appears twice (first at line "
                        f"{first}); YAML would silently keep only the last block",
                        f"keep one {key_node.value!r} and list every entry under it")
        keys[key_node.value] = value_node
    return keys


def _entry(node: yaml.Node, registry: Path) -> Entry:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise fail(registry, line, "an entry of 'reports:' is not a mapping of keys",
                    "write each entry as '- doc_id: …' followed by its indented keys")
    values, lines = {}, {}
    constructor = SafeConstructor()
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            raise fail(registry, key_node.start_mark.line + 1, "a key is not a plain name",
                        "write each key as 'name: value'")
        if key in values:
            raise fail(registry, key_node.start_mark.line + 1,
                        f"key {key!r} appears twice in the entry starting at line {line} "
                        f"(YAML would silently keep the last)", f"keep one {key!r}")
        values[key] = constructor.construct_object(value_node, deep=True)
        if key == "municipality" and isinstance(values[key], str):  # matched to crosswalks
            values[key] = unicodedata.normalize("NFC", values[key]).strip()  # as they are
        lines[key] = value_node.start_mark.line + 1
    return Entry(values, lines, line)


def _report(entry: Entry, registry: Path) -> Report:
    values = entry.values
    pdf = None if "source_pdf" not in values else PdfSource(
        file=values["source_pdf"], sha256=values["source_pdf_sha256"],
        library=values["extraction_library"], version=values["extraction_version"],
        layout=values["extraction_layout"], notes=dict(values.get("extraction_notes", {})),
        path=registry.parent / values["source_pdf"])
    return Report(pdf=pdf,
        doc_id=values["doc_id"], file=values["file"], municipality=values["municipality"],
        kommun_code=values["kommun_code"], document_type=values["document_type"],
        title=values.get("title", ""), fiscal_year=values["fiscal_year"],
        period=values["period"], period_covered=values["period_covered"],
        money_unit=values["money_unit"], cost_sign=values["cost_sign"],
        sha256=values["sha256"], path=registry.parent / values["file"])


# How a registered file that is missing or changed is named and restored: the text the
# study reads (key ``file``) and the PDF it was extracted from (key ``source_pdf``).
_RESTORE = {
    "file": ("raw file", "the raw file",
             "copy {file} unchanged from ../shared/reports/ into {folder}, or remove its entry",
             "raw data is never edited. If this is a genuinely new version of the report, add "
             "it as a new entry with its own doc_id and hash."),
    "source_pdf": ("source PDF", "the PDF",
                   "restore {file} unchanged (git checkout -- data/raw/{file}); the study "
                   "reads only {text}, but the PDF is its evidence",
                   "a new version of the report is added as a new entry"),
}


def verify_files(report: Report, registry: Path, lines: dict[str, int]) -> None:
    """The raw file and its source PDF (if any) exist and have their registered bytes;
    a missing one names its line of the registry (``lines``: key -> line)."""
    for key, source in (("file", report), ("source_pdf", report.pdf)):
        if source is None:
            continue
        name, changed, restore, new_version = _RESTORE[key]
        if not source.path.exists():
            raise RegistryError(f"{report.doc_id}: {name} {source.file} is missing",
                                file=str(registry), line=lines[key],
                                fix=restore.format(file=source.file, folder=source.path.parent,
                                                   text=report.file))
        actual = sha256_of(source.path)
        if actual != source.sha256:
            raise HashMismatchError(
                f"SHA-256 of {source.file} is {actual}, the registry says {source.sha256}: "
                f"{changed} was changed after registration", file=str(source.path),
                fix=f"restore the original bytes (git checkout -- data/raw/{source.file}); "
                    f"{new_version}")


def by_doc_id(reports: list[Report]) -> dict[str, Report]:
    return {r.doc_id: r for r in reports}


def municipalities(reports: list[Report]) -> list[str]:
    """The registered municipalities, sorted: what titles and descriptions name."""
    return sorted({r.municipality for r in reports})


def in_words(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""
