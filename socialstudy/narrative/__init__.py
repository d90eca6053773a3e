"""Narrative: the findings as sentences, computed from the processed tables.

Every sentence with a number, a name, a year or a comparative word is produced here
(``findings`` holds the shared helpers; ``findings_cost``, ``findings_finance``,
``findings_drivers``, ``findings_outcomes`` and ``summary`` the findings of notebooks
02–05), and cites its lines as ``[file:line]``. Reads the run's selected tables; writes
nothing but Markdown. May import ``measures`` and below; never ``figures`` (words shared
with figures live in ``core.vocabulary``).
"""
