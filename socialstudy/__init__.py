"""Reproducible comparative study of Swedish municipal social-services committee reports.

The package is laid out as the study flows, one folder per stage (each ``__init__`` says
what the stage owns, reads, writes and may import; ``make lint`` checks the import rules):

``core`` (registry, parameters, scope, schemas) → ``crosswalks`` (the judgements, as data)
→ ``extract`` (text → tables → facts) → ``measures`` (comparison tables) → ``narrative``
(findings as sentences) and ``figures`` → ``publish`` (data package, dictionary, HTML) →
``study`` (a run: parameters, checks, notebook context) → ``tools`` (add-report, review,
bench) and the command line (``__main__``). ``engine`` runs the declared build graph and
knows nothing of the study; ``errors`` is the one exceptions module, ``paths`` says where
things live.
"""

__version__ = "0.1.0"
