"""Report-like PDFs for the tests and ``python -m socialstudy bench --pdf``: every word is
placed at coordinates the way report PDFs are made (fpdf2, core font Helvetica, so åäö
are plain WinAnsi glyphs). Each page has a running header, a heading, a prose paragraph,
an operating table whose numbers are right-aligned Swedish numbers (``120 400``,
``-3 400``) under a two-line header (``Budget`` over ``2025``), and a page footer. The
thousands gap is drawn three ways, as real producers do: a space glyph, a no-break space,
or no glyph at all (the groups placed apart). fpdf2 is needed only here."""

from __future__ import annotations

import datetime as dt

LEFT, RIGHT, BODY = 56.0, 539.0, 10.0
EDGES = (300.0, 370.0, 440.0, RIGHT)
HEADER = (("Utfall", "2024"), ("Budget", "2025"), ("Utfall", "2025"), ("Avvikelse", "2025"))
# label, outcome 2024, budget 2025, outcome 2025 (tkr); the last row is the total
ROWS = (("Barn och unga", 118200, 120400, 125900), ("Vuxna", 39100, 40200, 38100),
        ("Försörjningsstöd", 60100, 61250, 64831), ("Funktionsstöd, LSS", 229870, 232010,
                                                    228644))
TOTAL = "Socialnämnden totalt"
PROSE = ("Socialnämnden redovisar för 2025 en nettokostnad på {net} tkr, vilket är en "
         "avvikelse mot budget med {dev} tkr. Kostnaderna för placeringar av barn och unga "
         "har ökat, liksom kostnaderna för försörjningsstöd. Nämnden har under året arbetat "
         "med åtgärder för en ekonomi i balans, bland annat genom översyn av köpta platser.")


def sv_number(value: int) -> str:
    """Swedish style: a space between thousands, a minus sign in front."""
    return ("-" if value < 0 else "") + f"{abs(value):,}".replace(",", " ")


def table_rows(page: int) -> list[tuple[str, list[str]]]:
    """The table of ``page`` as printed: (label, [outcome 2024, budget, outcome,
    deviation]); the first row's outcome changes with the page so that pages differ."""
    rows = [(label, [a, b, c + (page if i == 0 else 0)]) for i, (label, a, b, c)
            in enumerate(ROWS)]
    rows.append((TOTAL, [sum(r[1][k] for r in rows) for k in range(3)]))
    return [(label, [sv_number(v) for v in (*vals, vals[1] - vals[2])])
            for label, vals in rows]


class _Page:
    def __init__(self, pdf, mode: str):
        self.pdf, self.mode = pdf, mode

    def font(self, size: float, style: str = "") -> None:
        self.pdf.set_font("Helvetica", style, size)

    def right(self, x_right: float, y: float, text: str) -> None:
        """Right-aligned at x_right, the thousands gap drawn as ``self.mode`` says."""
        x = x_right - self.pdf.get_string_width(text)
        if self.mode == "glyph" or " " not in text:
            self.pdf.text(x, y, text)
        elif self.mode == "nbsp":
            self.pdf.text(x, y, text.replace(" ", "\u00a0"))
        else:  # each group alone: the gap is only a position
            for group in text.split(" "):
                self.pdf.text(x, y, group)
                x += self.pdf.get_string_width(group + " ")

    def wrap(self, text: str, width: float) -> list[str]:
        lines, current = [], ""
        for word in text.split(" "):  # a no-break space keeps a number on one line
            trial = f"{current} {word}".strip()
            if current and self.pdf.get_string_width(trial) > width:
                lines, current = lines + [current], word
            else:
                current = trial
        return lines + [current]


def _page(pdf, page: int, pages: int, municipality: str) -> None:
    w = _Page(pdf, ("glyph", "nbsp", "split")[page % 3])
    w.font(8)
    pdf.text(LEFT, 40, f"{municipality} kommun")
    w.right(RIGHT, 40, "Årsredovisning 2025")
    w.font(14, "B")
    pdf.text(LEFT, 80, "Socialnämndens verksamhetsberättelse" if page == 1
             else f"Ekonomisk uppföljning, avsnitt {page}")
    w.font(BODY)
    rows = table_rows(page)
    y = 108.0
    net, dev = (rows[-1][1][k].replace(" ", "\u00a0") for k in (2, 3))
    for line in w.wrap(PROSE.format(net=net, dev=dev), RIGHT - LEFT):
        pdf.text(LEFT, y, line)
        y += 13.0
    w.font(BODY, "B")
    pdf.text(LEFT, y + 14, "Driftredovisning, tkr")
    y += 32
    for k in range(2):  # the header wrapped over two lines
        for edge, head in zip(EDGES, HEADER):
            w.right(edge, y, head[k])
        y += 12
    for label, cells in rows:
        w.font(BODY, "B" if label == TOTAL else "")
        y += 2
        pdf.text(LEFT, y, label)
        for edge, cell in zip(EDGES, cells):
            w.right(edge, y, cell)
        y += 12
    w.font(8)
    footer = f"Sida {page} av {pages}"
    pdf.text((LEFT + RIGHT - pdf.get_string_width(footer)) / 2, 812, footer)


def build(pages: int = 3, municipality: str = "Exempelby", blank: tuple[int, ...] = ()
          ) -> bytes:
    """A PDF of ``pages`` report pages; the pages in ``blank`` carry no text at all (as a
    scanned page without a text layer)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    pdf.set_auto_page_break(False)
    for page in range(1, pages + 1):
        pdf.add_page()
        if page not in blank:
            _page(pdf, page, pages, municipality)
    return bytes(pdf.output())
