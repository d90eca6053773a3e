"""Foundation of the study: the raw corpus and what a run selects from it.

Owns ``registry`` (``data/raw/reports.yml``: every report, its SHA-256, period and units),
``runspec`` (a run's parameters in canonical form and the output tree they map to),
``scope`` (those parameters resolved against the reports: which doc_ids and years a run
compares) and ``schemas`` (the Frictionless schema of every processed table, read from
``socialstudy/schemas/*.yaml``, and the validated CSV writer; ``quick_check`` spares a valid
table the Frictionless pass). Reads the registry and the
schema files; writes nothing but validated tables handed to it. May import only
``socialstudy.errors``, ``socialstudy.paths`` and the engine; every stage above builds on it.
"""
