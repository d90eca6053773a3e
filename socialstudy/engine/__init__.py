"""The engine: runs a declared build graph of notebooks, all or nothing.

Knows nothing of the study. ``dag`` reads ``steps.yml`` (what each step reads and writes)
and decides by content hashes what reruns, ``imports`` finds the code a step runs,
``staging`` makes a run all-or-nothing (a staging tree promoted by atomic renames, one
lock per checkout), ``kernels`` keeps papermill kernels ready, ``runner`` decides and
promotes, ``schedule`` runs the steps side by side, ``execute`` runs one notebook
(``cells`` reads how its cells ended: a ``sys.exit``, the cell a kernel died in),
``cheap_imports`` keeps jsonschema's unused IRI grammars out of every process.
Reads ``steps.yml`` and the files it names; writes the run's output tree and
``study-manifest.json``. May import only ``socialstudy.errors`` and ``socialstudy.paths``;
the study's own checks reach it as a ``preflight`` function, the page rendering as the
module named under ``render:``.
"""
