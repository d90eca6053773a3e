"""A PDF source of ``add-report`` and the registry entry it gets: the PDF recognised by its
bytes, its text extracted once (pypdfium2, ``extract.pdftext``), the keys that record how,
and the entry block in the layout of the existing ones."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

from socialstudy.core import registry as reg
from socialstudy.errors import RawFileError
from socialstudy.extract.pdftext import Extracted, extract_text


def is_pdf(source: Path) -> bool:
    """A PDF by its first bytes (``%PDF-``), whatever its name says."""
    if not source.is_file():
        return False
    with source.open("rb") as fh:
        return fh.read(5) == b"%PDF-"


def read_pdf(source: Path) -> tuple[bytes, Extracted]:
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


def _plain_or_quoted(value: str) -> str:
    plain = (re.fullmatch(r"[^\W\d_][\w .\-]*", value) and not value.endswith(" ")
             and yaml.safe_load(f"k: {value}") == {"k": value})
    return value if plain else _json(value)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# How each key of an entry is written, in the order of the existing entries.
_WRITTEN = {"doc_id": str, "file": str, "municipality": _plain_or_quoted,
            "kommun_code": '"{}"'.format, "document_type": str, "title": _json,
            "fiscal_year": str, "period": str, "period_covered": '"{}"'.format,
            "money_unit": str, "cost_sign": str, "sha256": str}


def entry_block(fields: dict) -> str:
    """One registry entry in the layout of the existing ones."""
    lines = [f"{key}: {write(fields[key])}" for key, write in _WRITTEN.items()]
    return "  - " + "\n    ".join(lines) + "\n" + _pdf_block(fields)


def _pdf_block(fields: dict) -> str:
    if "source_pdf" not in fields:
        return ""
    notes = ", ".join(f"{k}: {json.dumps(v)}" for k, v in fields["extraction_notes"].items())
    return ("".join(f"    {key}: {_json(fields[key])}\n" for key in reg.PDF_KEYS)
            + f"    extraction_notes: {{{notes}}}\n")
