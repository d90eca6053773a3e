"""Swedish number parsing: ``1 243,4``, ``-902.6``, ``10,3 %``, ``● -35.5``, ``2 174 *``.

Every cell that looks numeric either parses here or raises :class:`NumberFormatError`
with the reason, which the cleaning step turns into a row of ``rejects.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from socialstudy.errors import NumberFormatError

SPACES = "\u00a0\u2009\u202f\u2007"
MINUS_SIGNS = "-\u2013\u2212\u2012"  # hyphen, en dash, minus sign, figure dash
BULLETS = "●•○◯⬤"
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SUP = re.compile(r"<sup>(.*?)</sup>", re.I)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_FOOTSTARS = re.compile(r"\s*(\*+)$")
_NUMBER = re.compile(r"^(?P<int>\d{1,3}(?: \d{3})+|\d+)(?:(?P<mark>[.,])(?P<frac>\d+))?$")
_DASHES = {"-", "–", "—", "−", "--", "---"}
_SUP_ANY = re.compile(r"<sup>(.*?)</sup>")
_SUP_DROP = re.compile(r"<sup>.*?</sup>")
_HEADING = re.compile(r"^#+\s*")
_WHITESPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]{3,}")  # three letters in a row: a word, not a number
_RUN_OF_SPACES = re.compile(r" +")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TWO_NUMBERS = re.compile(r"\d\s*%?\s*[(/]\s*\d|%\s+\d")
_DIGITS_AND_SPACES = re.compile(r"[\d ]+")
# A unit written in the cell after the number ("12 procent", "-74,0 mnkr"): still one number.
# The words as printed -> the unit, longest first (a word is tried in this order).
UNIT_OF_WORD = {"procentenheter": "pp", "procent": "%", "mnkr": "mnkr", "mkr": "mkr",
                "tkr": "tkr", "kronor": "sek", "kr": "sek"}
_UNIT_WORD = re.compile(rf"\s*(?:\b({'|'.join(UNIT_OF_WORD)})\.?|(%-enheter|%-enh\.?|pe))$", re.I)
_TRAILING_MINUS = re.compile(rf"^(?P<body>[\d ,.]*\d)\s*[{MINUS_SIGNS}]$")
_PARENTHESES = re.compile(r"^\((?P<body>[^()]*\d[^()]*)\)$")


@dataclass(frozen=True)
class Parsed:
    """One cell read as a number: its value, whether it is a percentage, its footnote
    marks and how many decimals it was printed with."""
    value: Decimal
    percent: bool
    footnote: str
    decimals: int
    unit: str = ""  # money or kronor unit printed in the cell itself (mnkr, mkr, tkr, sek)


def strip_markup(text: str) -> str:
    """Remove extraction markup (``<b>``, ``<p>``, ``**bold**``) but keep footnote marks."""
    if "<" not in text and "*" not in text:
        return text
    text = _BOLD.sub(r"\1", text)
    text = _SUP.sub(lambda m: f"<sup>{m.group(1)}</sup>", text)  # normalise case
    text = _SUP_ANY.sub("\x00\\1\x01", text)
    text = _TAG.sub("", text)
    return text.replace("\x00", "<sup>").replace("\x01", "</sup>")


def clean_label(text: str) -> str:
    """A label as printed minus markup and footnote marks, whitespace collapsed."""
    if "<" in text:
        text = _TAG.sub("", _SUP.sub("", text))
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    text = text.strip()
    if text.startswith("#"):
        text = _HEADING.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def looks_numeric(raw: str) -> bool:
    """True for cells that are meant as a number: digits and no word of three or more
    letters (so ``Mål 2026`` is a header, ``KF 2022-12-12, § 281`` a reject), or a lone dash.
    Such a cell must end up either as a fact or as a reject."""
    text = clean_label(raw) if "<sup>" not in raw.lower() else _TAG.sub("", raw).strip()
    if text.strip() in _DASHES:
        return True
    if not _DIGIT.search(text):
        return False
    text = _UNIT_WORD.sub("", text)
    return not _WORD.search(text) and len(text) <= 40


def parse_number(raw: str) -> Parsed:
    """Parse one cell the Swedish way; raise NumberFormatError saying why it is no number."""
    text, footnotes = _without_marks(raw)
    unit, text = _unit(text)
    percent = unit == "%"
    if percent:
        unit = ""
    elif text.endswith("%"):
        percent, text = True, text[:-1].strip()
    sign, text = _sign(text)
    text = _RUN_OF_SPACES.sub(" ", text)
    match = _single_number(text)
    frac = match.group("frac") or ""
    if match.group("mark") == "." and len(frac) == 3 and " " not in match.group("int"):
        raise NumberFormatError("ambiguous dot: thousands separator or decimal point?")
    digits = match.group("int").replace(" ", "") + ("." + frac if frac else "")
    value = Decimal(digits) * sign
    if value == 0:
        value = Decimal(0).quantize(Decimal(1).scaleb(-len(frac))) if frac else Decimal(0)
    return Parsed(value=value, percent=percent, footnote="".join(footnotes), decimals=len(frac),
                  unit=unit)


def _without_marks(raw: str) -> tuple[str, list[str]]:
    """The cell without markup, footnote marks and bullets (and the footnotes found); a
    cell that is nothing but such marks, or a dash, is no value."""
    text = strip_markup(raw)
    for ch in SPACES:
        text = text.replace(ch, " ")
    text = text.strip()
    footnotes = _SUP_ANY.findall(text)
    text = _SUP_DROP.sub("", text).strip()
    stars = _FOOTSTARS.search(text)
    if stars:
        footnotes.append(stars.group(1))
        text = text[: stars.start()].strip()
    text = text.lstrip(BULLETS).strip()
    if not text:
        if footnotes:
            raise NumberFormatError("footnote mark only, no value printed")
        raise NumberFormatError("empty after removing markup")
    if text in _DASHES:
        raise NumberFormatError("dash in place of a value (nothing reported)")
    return text, footnotes


def _single_number(text: str) -> re.Match:
    """The one number the text is, or NumberFormatError saying what it is instead."""
    if text.count(",") + text.count(".") > 1:
        raise NumberFormatError("more than one decimal mark or mixed thousands separators")
    match = _NUMBER.match(text)
    if match:
        return match
    if _DATE.fullmatch(text):
        raise NumberFormatError("a date (YYYY-MM-DD), not a quantity")
    if _TWO_NUMBERS.search(text):
        raise NumberFormatError("two numbers in one cell (value and comparison value)")
    if _DIGITS_AND_SPACES.fullmatch(text):
        raise NumberFormatError("digits separated by spaces that are not groups of three "
                                "(two numbers in one cell?)")
    raise NumberFormatError("not a single number")


def _unit(text: str) -> tuple[str, str]:
    """(unit printed after the number, the rest): ``-74,0 mnkr``, ``4,8 %-enheter``
    (``pp``: percentage points), ``2 683 000 kronor`` (``sek``)."""
    word = _UNIT_WORD.search(text)
    if not word or word.start() == 0:
        return "", text
    name = (word.group(1) or "").lower()
    return (UNIT_OF_WORD[name] if name else "pp"), text[: word.start()].strip()


def _sign(text: str) -> tuple[int, str]:
    """A leading sign, a trailing minus (``20,3-``) or accounting parentheses
    (``(2 683)``) -> (sign, digits). Two signs at once are refused."""
    sign = 1
    paren = _PARENTHESES.match(text)
    if paren:
        sign, text = -1, paren.group("body").strip()
    trailing = _TRAILING_MINUS.match(text)
    if trailing:
        if sign == -1:
            raise NumberFormatError("two negative signs (parentheses and a trailing minus)")
        sign, text = -1, trailing.group("body").strip()
    if text and text[0] in MINUS_SIGNS + "+":
        if sign == -1:
            raise NumberFormatError("two negative signs (a leading minus and parentheses "
                                    "or a trailing minus)")
        sign = -1 if text[0] in MINUS_SIGNS else 1
        text = text[1:].strip()
    return sign, text


def format_decimal(value: Decimal) -> str:
    """Fixed, locale-free text for a value: no exponent, no trailing zeros, no ``-0``."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text
