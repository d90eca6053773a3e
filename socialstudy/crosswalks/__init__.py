"""The study's judgements as data, and the one place that reads them.

The CSV files in this folder hold every judgement a reader can check (header → measure,
cost types, activity categories, remit, staffing, prose wordings, goal levels), each row
keyed by what a reader recognises (municipality + label or wording), never by a line
number. ``specs`` declares each file once (``specs.yml``: its row type, columns and
key), ``loader`` reads each into typed rows and checks them (fields, keys, duplicates),
once per change of the file, ``matching`` finds the line a row points at, ``wording``
turns a quoted sentence into a template with number slots. Reads only the CSVs; writes
nothing. May import ``core``, ``errors`` and ``paths``; never extraction, measures or
anything above.
"""
