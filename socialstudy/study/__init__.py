"""The study as a run: where the engine meets the study.

``runs`` resolves a run's parameters against the registry and runs the engine with the
study's checks before any step (sound crosswalks, a year with data); ``context`` is what
a notebook's setup cell opens (``open_run``): its parameters, output tree, selection and
facts. Reads the registry and ``facts.csv``; writes through the engine. May import every
stage below it; only the command line and the tools import it.
"""
