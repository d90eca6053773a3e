"""Third-party imports without their dead weight. jsonschema, imported by nbformat (under
papermill, nbconvert and nbclient) and by frictionless, imports ``rfc3987_syntax`` for
its optional ``iri`` format checker if it can, and that module compiles some 40 Lark
grammars at import: about 1.5 CPU-s in every process that runs a notebook, renders a page
or validates a table (python-jsonschema/jsonschema#1428), most of a command's start-up.
No notebook, Table Schema or Data Package descriptor uses the ``iri`` formats, and
jsonschema skips a checker whose module cannot be imported."""

import sys


def without_iri_grammars() -> None:
    """Call before the first import of jsonschema (nbformat, papermill, frictionless); once
    jsonschema is loaded it changes nothing."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


# Importing this module is enough: pytest loads it as its first plugin (``-p`` in
# pyproject.toml's addopts), before plugins such as nbval import nbformat.
without_iri_grammars()
