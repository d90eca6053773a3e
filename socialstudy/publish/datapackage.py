"""``data/processed/datapackage.json``: the processed tables as a Frictionless Data Package.

The package describes every CSV at the top of the processed folder by its schema file
``socialstudy/schemas/<stem>.yaml`` (fields, types, constraints, categories, units, primary
keys), so a new table needs only its YAML file. A top-level CSV without a schema file stops
the build (every published table is described); subfolders such as ``selection/`` (a run's
selected subset of the panel) are not part of the package. It also lists the
raw reports it was derived from with the SHA-256 recorded in the registry. With
``hashes=True`` it also records each CSV's size and SHA-256, so ``frictionless validate``
then fails on any CSV changed afterwards (call it last, after every CSV is written; without
hashes the package stays valid across rebuilds that keep to the schemas). The JSON is
deterministic (sorted keys, indent 2, trailing
newline, no timestamps), so rebuilding unchanged data gives identical bytes. Check it with
``frictionless validate data/processed/datapackage.json``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from socialstudy import __version__
from socialstudy.core import schemas
from socialstudy.core.registry import Report, in_words, municipalities
from socialstudy.errors import SchemaError

NAME = "socialstudy-processed"
TITLE = ("Comparative study of Swedish municipal social-services committee reports "
         "({names}): processed tables")
DESCRIPTION = (
    "Tables extracted from the text of social-services committee (socialnämnd) reports of "
    "Swedish municipalities: an inventory of tables, one fact per number with its raw file, "
    "line and cell, the numeric-looking cells that are not numbers (rejects), the cell "
    "inventory and the quality checks (cross-footing of totals), signs as printed; and the "
    "comparison across {in_words}: cost by type and by activity, every printed "
    "value of each activity line with its growth, volumes and unit costs, budget "
    "deviation, staffing, goals and indicators, with costs positive and budget deviation "
    "positive = better than budget. Money is in tkr (thousand SEK). Built by the Python "
    "package socialstudy from the raw reports "
    "listed under 'sources'; every fact can be traced to a line of one of them.")
LICENSES = [{
    "name": "MIT",
    "path": "https://opensource.org/licenses/MIT",
    "title": "MIT License (applies to the socialstudy code that produced these tables)",
}]
LICENSE_NOTE = (
    "Code: MIT (see the licenses entry). Data: the figures are derived from public reports "
    "published by the municipalities listed under 'sources'; those reports remain the "
    "municipalities' publications and should be cited as the origin of any figure. The MIT "
    "license covers the code and the arrangement of these tables, not the municipalities' "
    "reports.")
CONTRIBUTORS = [{"title": "The socialstudy contributors", "role": "author"}]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _resource(processed_dir: Path, name: str, hashes: bool) -> dict:
    spec = schemas.get(name)
    path = processed_dir / f"{name}.csv"
    resource = {
        "name": name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec["title"],
        "description": spec["description"],
        "schema": schemas.table_schema(name),
    }
    if hashes:
        resource["bytes"] = path.stat().st_size
        resource["hash"] = f"sha256:{_sha256(path)}"
    return resource


def _source(report: Report) -> dict:
    return {
        "title": f"{report.municipality}: {report.title}" if report.title
        else f"{report.municipality}: {report.doc_id}",
        "path": f"../raw/{report.file}",
        "doc_id": report.doc_id,
        "municipality": report.municipality,
        "kommun_code": report.kommun_code,
        "document_type": report.document_type,
        "fiscal_year": report.fiscal_year,
        "period_covered": report.period_covered,
        "money_unit": report.money_unit,
        "sha256": report.sha256,
    }


def datapackage(processed_dir: Path, reports: list[Report], *, hashes: bool = False) -> dict:
    """The package descriptor (a dict) for the CSVs with a schema in ``processed_dir``."""
    processed_dir = Path(processed_dir)
    stems = sorted(p.stem for p in processed_dir.glob("*.csv"))
    undeclared = [s for s in stems if s not in schemas.names()]
    if undeclared:
        raise SchemaError(f"{', '.join(s + '.csv' for s in undeclared)} has no schema",
                          file=str(processed_dir),
                          fix=f"describe it in socialstudy/schemas/{undeclared[0]}.yaml")
    resources = [_resource(processed_dir, name, hashes) for name in stems]
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE.format(names=", ".join(municipalities(reports))),
        "description": DESCRIPTION.format(in_words=in_words(municipalities(reports))),
        "version": __version__,
        "licenses": LICENSES,
        "licenseNote": LICENSE_NOTE,
        "contributors": CONTRIBUTORS,
        "sources": [_source(r) for r in sorted(reports, key=lambda r: r.doc_id)],
        "resources": resources,
    }


def write_datapackage(processed_dir: Path, reports: list[Report], *,
                      hashes: bool = False) -> Path:
    """Write ``processed_dir/datapackage.json`` deterministically and return its path."""
    descriptor = datapackage(processed_dir, reports, hashes=hashes)
    text = json.dumps(descriptor, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    path = Path(processed_dir) / "datapackage.json"
    path.write_bytes(text.encode("utf-8"))
    return path


def main() -> None:
    """``python -m socialstudy.publish.datapackage``: (re)write data/processed/datapackage.json."""
    from socialstudy import paths
    from socialstudy.core.registry import load_registry
    print(write_datapackage(paths.Outputs().processed, load_registry(), hashes=True))


if __name__ == "__main__":
    main()
