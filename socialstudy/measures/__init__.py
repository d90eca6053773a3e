"""Measures: the comparison tables computed from the facts.

Owns ``compare`` (cost by type and activity, budget deviation, the remit matrix),
``staffing``, ``outcomes`` (goals on one ordinal scale, indicators), the finance measures
(``finance``, ``revenue``, ``growth``, ``finance_anchors``, ``finance_events``,
``per_inhabitant``, ``staffing_detail``, written together by ``finance_tables``), what drives
the costs (``activity_series``: every printed value per activity line and year with growth;
``volumes``: volumes and unit costs); ``tabular``
holds ``fmt`` and ``load_facts``, shared by all. Each table is tidy, has
provenance and says why a value is missing where it is computed. Reads ``facts.csv``, the
crosswalks and ``data/external/``; writes the comparison tables of ``data/processed/``.
May import ``extract``, ``crosswalks`` and ``core``; never narrative, figures or publish.
"""
