"""Tools for people maintaining the corpus: add a report, review it, measure speed.

``add_report`` registers a new report text (byte copy, SHA-256, registry entry),
``review`` lists every decision a report needs (found, needs a decision, not in the
report, in the report but not read, not mapped yet), ``benchmark`` and ``scale`` measure
the study and the extraction at corpus scale.
Reads the registry, the raw texts and the crosswalks; writes ``data/raw/`` (add-report
only). May import every stage; nothing imports it but the command line.
"""
