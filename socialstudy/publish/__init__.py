"""Publication: what a run leaves for readers beside the tables.

``pages`` stores an executed notebook without run metadata and renders its HTML page, and
is the ``publish`` step: ``datapackage`` (the Frictionless data package with every file's
hash), ``dictionary`` (``docs/data_dictionary.md`` from the schema files and crosswalks)
and ``html`` (the offline HTML report). Reads the processed tables, the stored notebooks,
the schemas and the registry; writes ``data/processed/datapackage.json``,
``docs/data_dictionary.md`` and ``reports/html/``. May import ``crosswalks``, ``core`` and
the engine; never measures, narrative or figures.
"""
