"""Extraction: report text → tables → tidy, typed facts with provenance.

Owns ``tables`` (tab-separated lines → tables with title, header and body rows),
``numbers`` (Swedish number parsing), ``clean`` (tables → one fact per numeric cell),
``prose`` (figures quoted from running text; ``forecasts`` says which of several full-year
forecasts is current), ``overrides`` (judgements about whole tables), ``split_header`` (a
header cell split over a tab: joined where the table's arithmetic agrees, else every value
a reject), ``row_arithmetic`` (a row made full width by a tab inside a number, found by
its table's change or deviation arithmetic), ``label_case`` (a label in another letter
case given its one crosswalk spelling), ``quality`` (cross-footing of totals) and
``extraction`` (the whole corpus at once and its CSVs: tables, facts, rejects, cells,
quality). Reads ``data/raw/`` and the crosswalks; writes
``data/processed/{tables,facts,rejects,cells,quality}.csv``. May import ``crosswalks`` and
``core``; never measures, narrative or figures.
"""
