"""What a registry entry must be, checked: types, codes, year and period, file and PDF
paths of one entry, and across the registry nothing registered twice and one kommun code
per municipality. Every failure names the registry file, the entry's line and the fix.
The keys and coded values themselves are declared in :mod:`socialstudy.core.registry`."""

from __future__ import annotations

from pathlib import Path

from socialstudy.core.registry import (
    CODE_PATTERNS,
    COST_SIGNS,
    DOCUMENT_TYPES,
    MONEY_UNITS,
    OPTIONAL,
    PDF_KEYS,
    PDF_NOTES,
    PERIODS,
    REQUIRED,
    Entry,
    document_type_of,
    fail,
    period_covered,
)


def check_entry(entry: Entry, registry: Path) -> None:
    values, line = entry.values, entry.line
    missing = [k for k in REQUIRED if k not in values]
    if missing:
        raise fail(registry, line, f"entry lacks {', '.join(missing)}",
                    "add the missing keys (see the other entries and the comments at the top)")
    unknown = sorted(set(values) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise fail(registry, entry.lines[unknown[0]], f"unknown key(s) {unknown}",
                    f"remove or correct them; allowed keys: {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED + OPTIONAL:
        if key in values and key not in ("fiscal_year", "kommun_code", "extraction_notes") \
                and not isinstance(values[key], str):
            raise fail(registry, entry.lines[key],
                        f"{key} is {_shown(values[key])}, not text",
                        f'write it as quoted text, e.g. {key}: "…"')
    _check_codes(entry, registry)
    _check_year_and_period(entry, registry)
    _check_file(entry, registry)
    _check_pdf(entry, registry)


def _shown(value) -> str:
    return f"the {type(value).__name__} {value!r}"


def _check_codes(entry: Entry, registry: Path) -> None:
    values, lines = entry.values, entry.lines
    checks = [
        ("doc_id", CODE_PATTERNS["doc_id"].fullmatch(values["doc_id"]),
         "lower-case letters, digits and single underscores, e.g. haninge_2024_ar"),
        # 'huddinge' was accepted, then matched no crosswalk row in notebook 02
        ("municipality", values["municipality"][:1].isupper(),
         "the name as SCB spells it, with a capital first letter, e.g. Huddinge"),
        ("sha256", CODE_PATTERNS["sha256"].fullmatch(values["sha256"]),
         "64 lower-case hex digits (sha256sum FILE)"),
        ("document_type", values["document_type"] in DOCUMENT_TYPES,
         f"one of {', '.join(DOCUMENT_TYPES)}"),
        ("money_unit", values["money_unit"] in MONEY_UNITS, f"one of {', '.join(MONEY_UNITS)}"),
        ("cost_sign", values["cost_sign"] in COST_SIGNS,
         "one of " + "; ".join(f"{k} ({v})" for k, v in COST_SIGNS.items())),
    ]
    for key, ok, expected in checks:
        if not ok:
            raise fail(registry, lines[key], f"{key} {values[key]!r} is not valid",
                        f"write {expected}")
    code = values["kommun_code"]
    if not isinstance(code, str):
        raise fail(registry, lines["kommun_code"],
                    f"kommun_code is {_shown(code)}, not text: YAML reads an unquoted code "
                    "as a number (0136 as the octal number 94, 0126 as 86)",
                    'quote the four digits of SCB\'s municipality code, e.g. kommun_code: "0136"')
    if not CODE_PATTERNS["kommun_code"].fullmatch(code):
        raise fail(registry, lines["kommun_code"],
                    f"kommun_code {code!r} is not four digits",
                    'write SCB\'s four-digit municipality code, quoted, e.g. kommun_code: "0136"')


def _check_year_and_period(entry: Entry, registry: Path) -> None:
    values, lines = entry.values, entry.lines
    year = values["fiscal_year"]
    if type(year) is not int or not 1000 <= year <= 9999:
        raise fail(registry, lines["fiscal_year"],
                    f"fiscal_year is {_shown(year)}, not a four-digit whole year",
                    "write the year without quotes or decimals, e.g. fiscal_year: 2024")
    period = values["period"]
    if period not in PERIODS:
        raise fail(registry, lines["period"], f"period {period!r} is not valid",
                    f"write one of {', '.join(PERIODS)}")
    if values["document_type"] != document_type_of(period):
        raise fail(registry, lines["document_type"],
                    f"document_type {values['document_type']} does not fit period {period}",
                    f"a {period} report is document_type: {document_type_of(period)}")
    expected = period_covered(year, period)
    if values["period_covered"] != expected:
        raise fail(registry, lines["period_covered"],
                    f"period_covered {values['period_covered']!r} does not fit "
                    f"fiscal_year {year} and period {period}",
                    f'write period_covered: "{expected}"')


def _check_file(entry: Entry, registry: Path) -> None:
    name, line = entry.values["file"], entry.lines["file"]
    inside = registry.parent / name
    plain = (name == Path(name).name and "\\" not in name and not name.startswith(".")
             and name.endswith(".txt"))
    if plain and inside.is_symlink():
        raise fail(registry, line, f"file {name!r} is a symbolic link",
                    "raw files are real copies: replace the link by the file's bytes "
                    f"(cp --remove-destination \"$(readlink -f {name})\" {name})")
    if not plain or inside.resolve().parent != registry.parent.resolve():
        raise fail(registry, line, f"file {name!r} is not a .txt file directly in "
                    f"{registry.parent}",
                    "copy the report into data/raw/ (python -m socialstudy add-report does) "
                    "and give its bare file name")


def _check_pdf(entry: Entry, registry: Path) -> None:
    """All PDF keys or none; the PDF a plain .pdf file in data/raw/, notes well-formed."""
    values, lines = entry.values, entry.lines
    given = [k for k in PDF_KEYS + ("extraction_notes",) if k in values]
    if not given:
        return
    missing = [k for k in PDF_KEYS if k not in values]
    if missing:
        raise fail(registry, lines[given[0]], f"a PDF source lacks {', '.join(missing)}",
                    "give all of " + ", ".join(PDF_KEYS) + " (add-report writes them) or none")
    name = values["source_pdf"]
    if name != Path(name).name or not name.endswith(".pdf") or name.startswith("."):
        raise fail(registry, lines["source_pdf"], f"source_pdf {name!r} is not a .pdf file "
                    f"directly in {registry.parent}", "give the bare file name of the PDF")
    if not CODE_PATTERNS["sha256"].fullmatch(values["source_pdf_sha256"]):
        raise fail(registry, lines["source_pdf_sha256"], "source_pdf_sha256 "
                    f"{values['source_pdf_sha256']!r} is not valid",
                    "write 64 lower-case hex digits (sha256sum FILE)")
    notes = values.get("extraction_notes", {})
    if not isinstance(notes, dict) or set(notes) - set(PDF_NOTES) or not all(
            _whole(v) or (isinstance(v, list) and all(map(_whole, v)))
            for v in notes.values()):
        raise fail(registry, lines.get("extraction_notes", entry.line),
                    "extraction_notes is not a mapping of " + ", ".join(PDF_NOTES)
                    + " to whole numbers or lists of them",
                    "restore the notes add-report wrote, e.g. {pages: 3, empty_pages: [2]}")


def _whole(value) -> bool:
    return type(value) is int and value >= 0


def check_unique(entries: list[Entry], registry: Path) -> None:
    """doc_id, file and SHA-256 name one report each; a municipality has one kommun code."""
    for key, what in (("doc_id", "doc_id"), ("file", "file"), ("sha256", "SHA-256 (same bytes)"),
                      ("source_pdf", "source_pdf"),
                      ("source_pdf_sha256", "PDF SHA-256 (same PDF)")):
        first: dict[str, int] = {}
        for entry in entries:
            value = entry.values.get(key)
            if value is None:
                continue
            if value in first:
                raise fail(registry, entry.lines[key],
                            f"{what} {value} is registered twice (also at line {first[value]})",
                            "a report is registered once: remove the duplicate entry")
            first[value] = entry.lines[key]
    seen: dict[str, tuple[str, int]] = {}
    for entry in entries:
        name, code = entry.values["municipality"], entry.values["kommun_code"]
        for key, other in ((f"m:{name}", code), (f"c:{code}", name)):
            if key in seen and seen[key][0] != other:
                raise fail(registry, entry.lines["kommun_code"],
                            f"{name} with kommun_code {code} contradicts line {seen[key][1]}",
                            "one municipality, one spelling, one four-digit SCB code")
            seen.setdefault(key, (other, entry.lines["kommun_code"]))
