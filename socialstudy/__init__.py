"""Reproducible comparative study of Swedish municipal social-services committee reports.

The modules follow the data: ``registry`` (raw files and their hashes) -> ``extract``
(text -> tables, every cell with its line) -> ``numbers`` (Swedish number parsing) ->
``clean`` (tables -> tidy facts and rejects) -> ``quality`` (cross-footing) -> ``compare``
-> ``figures`` -> ``pipeline`` (papermill runner).
"""

__version__ = "0.1.0"
