"""Money as readers see it: the tables hold tkr, sentences and displays show mnkr.

One formatter, so every sentence and table shows an amount the same way."""

from __future__ import annotations

import math


def mnkr(tkr, *, signed: bool = False, absolute: bool = False, unit: bool = True,
         trim: bool = False) -> str:
    """A tkr amount in mnkr with one decimal ('' for a missing amount): ``signed`` puts a
    '+' on gains, ``absolute`` drops the sign (the sentence says which way), ``unit``
    appends ' mnkr', ``trim`` drops a trailing '.0' (table cells: '12', not '12.0')."""
    if tkr is None or tkr == "" or (isinstance(tkr, float) and math.isnan(tkr)):
        return ""
    value = float(tkr) / 1000
    value = abs(value) if absolute else value
    text = f"{value:{'+' if signed else ''}.1f}"
    if trim:
        text = text.rstrip("0").rstrip(".")
        text = "0" if text in ("-0", "", "+0") else text
    return text + (" mnkr" if unit else "")
