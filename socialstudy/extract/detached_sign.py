"""A minus sign printed apart from its number, one space before it (``– 37 264``, as
Gnesta's web operating statement sets every negative amount, tests/fixtures/real/
gnesta_2013_ar_drift), joins that number, so the row splits into cells as if printed
``–37 264``.  Read as a dash cell of its own, no row of such a table could be cut into its
columns.  A dash followed by two or more spaces stays a cell (an empty value, as aligned
PDF text sets it)."""

from __future__ import annotations

from socialstudy.extract.numbers import MINUS_SIGNS


def attach_signs(tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Tokens ``(text, start, end)``: a lone sign one space before a token that starts with a
    digit becomes that token's sign; every other token is kept as it is."""
    out: list[tuple[str, int, int]] = []
    skip = False
    for k, (word, start, end) in enumerate(tokens):
        if skip:
            skip = False
            continue
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if word in MINUS_SIGNS and len(word) == 1 and nxt and nxt[1] - end == 1 \
                and nxt[0][:1].isdigit():
            out.append((word + nxt[0], start, nxt[2]))
            skip = True
        else:
            out.append((word, start, end))
    return out
