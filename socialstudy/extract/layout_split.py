"""Layout reader, part 4: splitting space-separated numbers into cells by column
positions, then by the table's own arithmetic; what stays ambiguous becomes a review."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from socialstudy.extract.layout_model import (
    Column,
    HeaderCell,
    decimals,
    readings,
    valid_group,
    value,
)
from socialstudy.extract.layout_space import _Line
from socialstudy.extract.layout_words import _VARAV, TOTAL


@dataclass
class _Row:
    info: _Line
    cells: list[str] | None = None  # numeric cells once decided
    reason: str = ""
    cands: list[tuple[list[tuple[int, int]], list[int]]] = field(default_factory=list)
    review: str = ""  # why the row is left for a person
    split: list[int] = field(default_factory=list)  # columns made by cutting an aligned cell

    def cells_of(self, rd: list[tuple[int, int]], cols: list[int], n: int) -> list[str]:
        return _cells_of(self.info, rd, cols, n)

    def take(self, cand: tuple[list[tuple[int, int]], list[int]], n: int, why: str) -> None:
        """Adopt one reading; record which columns were cut out of a wider aligned cell."""
        rd, cols = cand
        self.cells, self.reason, self.cands = _cells_of(self.info, rd, cols, n), why, []
        fields = _fields(self.info)
        for (i, j), c in zip(rd, cols):
            a, b = next((a, b) for a, b in fields if a <= i and j <= b)
            if why and sum(1 for g in rd if a <= g[0] and g[1] <= b) > 1:
                self.split.append(c)


def _fields(r: _Line) -> list[tuple[int, int]]:
    """Token spans between hard gaps: what the alignment alone says are cells."""
    out, start = [], 0
    for i, h in enumerate(r.hard):
        if h:
            out.append((start, i + 1))
            start = i + 1
    return out + [(start, len(r.toks))] if r.toks else out


def anchors(rows: list[_Line], n: int, head: list[HeaderCell]) -> list[tuple[int, int]] | None:
    """Per column, the span where its numbers end: from rows that align into exactly n
    cells, else from the header cell above it."""
    ends: list[list[int]] = [[] for _ in range(n)]
    for r in rows:
        f = _fields(r)
        if len(f) == n and all(valid_group(r.toks[i:j]) for i, j in f):
            for c, (_, j) in enumerate(f):
                ends[c].append(r.ends[j - 1])
    own = [c for c in head if not c.corner]
    spans = []
    for c in range(n):
        if ends[c]:
            spans.append((min(ends[c]) - 2, max(ends[c]) + 2))
        elif len(own) == n:
            spans.append((own[c].start - 1, own[c].end + 2))
        else:
            return None
    return spans


def place(r: _Line, rd: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[int] | None:
    """Columns of a reading's numbers by where each ends; None if one fits no column."""
    cols = []
    for i, j in rd:
        end, start = r.ends[j - 1], r.ends[i] - len(r.toks[i])
        hits = [c for c, (lo, hi) in enumerate(spans) if lo <= end <= hi]
        if not hits:
            return None
        c = min(hits, key=lambda h: abs(spans[h][1] - end))
        if (cols and c <= cols[-1]) or (c > 0 and start <= spans[c - 1][1] - 2):
            return None  # out of order, or reaching back into the column to the left
        cols.append(c)
    return cols


def _cells_of(r: _Line, rd: list[tuple[int, int]], cols: list[int], n: int) -> list[str]:
    """The n numeric cells of one reading; columns it does not fill stay empty."""
    cells = [""] * n
    for (i, j), c in zip(rd, cols):
        cells[c] = " ".join(r.toks[i:j])
    return cells


def resolve(r: _Line, n: int, spans: list[tuple[int, int]] | None) -> _Row:
    """Decide a row's cells by alignment, then by character columns; leave the rest with
    their candidate readings for the table's arithmetic."""
    f = _fields(r)
    if len(f) == n and all(valid_group(r.toks[i:j]) for i, j in f):
        return _Row(r, _cells_of(r, f, list(range(n)), n))
    if len(f) > n:
        return _Row(r, [" ".join(r.toks[i:j]) for i, j in f],
                    review=f"{len(f)} aligned cells but the header has {n} columns")
    cands = []
    for k in (range(1, n + 1) if spans else []):
        for rd in readings(r.toks, r.hard, k):
            cols = place(r, rd, spans)
            if cols is not None:
                cands.append((rd, cols))
    if not cands:  # positions absent or not decisive: every full reading, for arithmetic
        cands = [(rd, list(range(n))) for rd in readings(r.toks, r.hard, n)]
        spans = None
    rec = _Row(r, cands=cands)
    if spans and len(cands) == 1:
        split = len(cands[0][0]) > len(f)
        tail = " ".join(r.toks)
        rec.take(cands[0], n, f"split '{tail}' into {len(cands[0][0])} by column positions"
                 if split else "")
    return rec


# ----------------------------------------------------------------------------- arithmetic
# A relation (op, k, i, j): 'sum' v_k = v_i + v_j; 'diff' v_k = v_i - v_j;
# 'pm' v_k = ±(v_i - v_j) (Avvikelse = Budget - Utfall or Utfall - Budget);
# 'net' v_k = v_i + v_j or ±(v_i - v_j) (net = revenue and cost, either sign convention).
_OPTS = {"sum": ("+",), "diff": ("-",), "pm": ("-", "r"), "net": ("+", "-", "r")}


def check(rel: tuple[str, int, int, int], cells: list[str],
          cols: list[Column]) -> str | None | bool:
    """Description of the relation if it holds, False if it fails, None if a value is absent."""
    op, k, i, j = rel
    if max(k, i, j) >= len(cells):
        return None
    vk, vi, vj = (value(cells[x]) for x in (k, i, j))
    if vk is None or vi is None or vj is None:
        return None
    tol = Decimal(1).scaleb(-max(decimals(cells[x]) for x in (k, i, j))) * Decimal("1.01")
    name = [c.label or f"column {x + 1}" for x, c in enumerate(cols)] + \
        [f"column {x + 1}" for x in range(len(cols), len(cells))]
    for o in _OPTS[op]:
        got = vi + vj if o == "+" else vi - vj if o == "-" else vj - vi
        if abs(vk - got) <= tol:
            a, b = (name[j], name[i]) if o == "r" else (name[i], name[j])
            return f"{a}{'+' if o == '+' else '−'}{b}={name[k]}"
    return False


def learn(decided: list[list[str]], n: int, skip: set[int]) -> list[tuple[str, int, int, int]]:
    """Relations that hold in every decided row where all three values are non-zero."""
    vals = [[value(c) for c in cells] + [None] * (n - len(cells)) for cells in decided]
    rels = []
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if len({k, i, j}) < 3 or {k, i, j} & skip:
                    continue
                for op in ("sum", "diff"):
                    if op == "sum" and i > j:
                        continue
                    if _always(op, k, i, j, vals, decided):
                        rels.append((op, k, i, j))
    return sorted(rels, key=lambda r: (-r[1], r[0] != "diff"))  # "A−B=Avvikelse" first


def _always(op: str, k: int, i: int, j: int, vals: list, decided: list) -> bool:
    """True if the relation holds in every row with evidence and some row has evidence."""
    seen = False
    for v, cells in zip(vals, decided):
        if any(not v[x] for x in (k, i, j)):  # None or zero: no evidence
            continue
        if check((op, k, i, j), cells, []) is False:
            return False
        seen = True
    return seen


def header_relations(cols: list[Column]) -> list[tuple[str, int, int, int]]:
    """Relations named by the header when no decided row shows them."""
    lab = [c.label.lower() for c in cols]

    def find(*need: str, no: tuple[str, ...] = ()) -> list[int]:
        return [x for x, text in enumerate(lab) if any(w in text for w in need)
                and not any(w in text for w in no) and "%" not in text]

    dev = find("avvikelse", "differens")
    bud = find("budget", no=("avvikelse", "resultat", "differens"))
    out = find("utfall", "bokslut", "prognos", "redovisat", no=("avvikelse", "differens"))
    res, bres = find("resultat", no=("budget", "avvikelse")), find("budgeterat resultat")
    net, inc = find("netto"), find("intäkt", no=("netto",))
    cost = find("kostnad", no=("netto",))
    rels = []
    for op, group in (("pm", (dev, bud, out)), ("diff", (dev, res, bres)),
                      ("net", (net, inc, cost))):
        if all(len(g) == 1 for g in group):
            rels.append((op, group[0][0], group[1][0], group[2][0]))
    return rels


def total_groups(recs: list[_Row]) -> list[tuple[int, list[int]]]:
    """(total row, its member rows): rows since the previous total, ``varav`` rows aside."""
    groups, members = [], []
    for idx, rec in enumerate(recs):
        if TOTAL.search(rec.info.label):
            groups.append((idx, members))
            members = []
        elif not _VARAV.match(rec.info.label):
            members.append(idx)
    return groups


def total_check(recs: list[_Row], p: int, cells: list[str]) -> bool | None:
    """Does reading ``cells`` for row p make its total equal the sum of its rows?"""
    for t, members in total_groups(recs):
        if p != t and p not in members or len(members) < 2:
            continue
        rows = [cells if x == p else recs[x].cells for x in [t] + members]
        if any(r is None for r in rows):
            return None
        seen = False
        for c in range(len(cells)):
            vals = [value(r[c]) if c < len(r) else None for r in rows]
            if any(v is None for v in vals):
                continue
            d = max(decimals(r[c]) for r in rows)
            if abs(vals[0] - sum(vals[1:])) > Decimal(1).scaleb(-d) * len(members):
                return False
            seen = True
        return seen or None
    return None


def decide(recs: list[_Row], p: int, rels: list, cols: list[Column], n: int,
           final: bool) -> None:
    """Settle row p's reading by the table's arithmetic; on the final pass a row that still
    has no single reading becomes a review item (never a guess)."""
    rec = recs[p]
    tail = " ".join(rec.info.toks)
    head = f"split '{tail}' into {n} by header ({n} columns)"
    passed, failed_all = [], True
    for cand in rec.cands:
        cells = rec.cells_of(*cand, n)
        res = [check(rel, cells, cols) for rel in rels]
        if any(r is False for r in res):
            continue
        failed_all = False
        if any(isinstance(r, str) for r in res):
            passed.append((cand, next(r for r in res if isinstance(r, str))))
    if len(passed) == 1:
        return rec.take(passed[0][0], n, f"{head} and {passed[0][1]}")
    pool = [c for c, _ in passed] or ([] if failed_all else rec.cands)
    tot = [c for c in pool if total_check(recs, p, rec.cells_of(*c, n)) is True]
    if len(tot) == 1:
        return rec.take(tot[0], n, f"{head} and the total equals the sum of its rows")
    if len(rec.cands) == 1 and not failed_all and final:
        return rec.take(rec.cands[0], n, f"{head}; the only valid thousands grouping")
    if final:
        rec.review = (f"{len(pool)} readings into {n} columns fit; the table's arithmetic "
                      "does not decide" if len(pool) > 1 else
                      f"no reading into {n} valid numbers fits the table's arithmetic"
                      if rec.cands else f"cannot be cut into {n} valid Swedish numbers")
        if len(pool) <= 1:
            pool = rec.cands
        rec.cands = pool


def settle(recs: list[_Row], cols: list[Column], n: int) -> None:
    """Arithmetic for rows that alignment left open: learned relations, else the header's."""
    open_ = [p for p, r in enumerate(recs) if r.cells is None and not r.review]
    if not open_:
        return
    pct = {c for c in range(n) if c < len(cols) and "%" in cols[c].label}
    decided = [r.cells for r in recs if r.cells is not None and not r.review]
    pct |= {c for cells in decided for c, x in enumerate(cells) if x.endswith("%")}
    rels = learn(decided, n, pct) or header_relations(cols)
    for p in open_:  # a single valid grouping that no relation contradicts comes first
        rec = recs[p]
        if len(rec.cands) == 1:
            res = [check(rel, rec.cells_of(*rec.cands[0], n), cols) for rel in rels]
            if False not in res:
                why = next((f" and {r}" for r in res if isinstance(r, str)),
                           "; the only valid thousands grouping")
                rec.take(rec.cands[0], n,
                         f"split '{' '.join(rec.info.toks)}' into {n} by header ({n} columns)"
                         + why)
    for final in (False, True):
        for p in open_:
            if recs[p].cells is None and not recs[p].review:
                decide(recs, p, rels, cols, n, final)
