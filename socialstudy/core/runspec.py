"""One run's parameters in canonical form, and the output tree they map to.

The CLI (``python -m socialstudy run``), the pipeline and a notebook run by papermill
directly all resolve parameters here, so they agree on where a parameter set writes: the
default parameters write the committed study (the repository), any other set its own tree
``build/<run name>/``. Light on imports: the no-op rerun goes through this module without
pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socialstudy import paths
from socialstudy.errors import ParameterError

DEFAULTS = {"year": "latest", "municipalities": "all"}
# the same parameter spelled for the command line and for papermill
FLAGS = {"year": "--year (papermill: -p year)",
         "municipalities": "--municipalities (papermill: -p municipalities)"}


@dataclass(frozen=True)
class RunSpec:
    """Canonical parameters: ``year`` is 'latest' or digits; ``municipalities`` is 'all'
    or registry names in registry order, comma-separated."""

    year: str
    municipalities: str

    @property
    def parameters(self) -> dict[str, str]:
        return {"year": self.year, "municipalities": self.municipalities}

    @property
    def default(self) -> bool:
        return self.parameters == DEFAULTS

    @property
    def name(self) -> str:
        """``year=2023`` or ``year=2023,municipalities=Haninge+Huddinge``."""
        parts = [f"year={self.year}"]
        if self.municipalities != "all":
            parts.append("municipalities=" + self.municipalities.replace(",", "+"))
        return ",".join(parts)

    def root(self, out_dir: str | Path = "") -> Path:
        """The output root: ``out_dir`` if given, else the repository for the default
        parameters and ``build/<run name>/`` for any other set."""
        if str(out_dir):
            return Path(out_dir).resolve()
        return paths.ROOT if self.default else paths.ROOT / "build" / self.name

    def command(self) -> str:
        """The command line that runs this parameter set."""
        args = "" if self.year == "latest" else f" --year {self.year}"
        if self.municipalities != "all":
            args += f" --municipalities {self.municipalities}"
        return f"python -m socialstudy run{args}"


def canonical(year: str | int = "latest", municipalities: str | list[str] = "all",
              known: list[str] | None = None) -> RunSpec:
    """Check and normalise the parameters (names case-insensitive, order and repeats
    ignored; naming every municipality is 'all'). Raises ParameterError naming the CLI
    flag and the papermill parameter."""
    year_text = str(year).strip().lower()
    if year_text != "latest" and not year_text.isdigit():
        raise ParameterError(f"year must be 'latest' or a fiscal year such as 2023, not "
                             f"{year!r}", fix=f"pass {FLAGS['year']} latest or a year")
    if known is None:
        from socialstudy.core.registry import load_registry
        known = sorted({r.municipality for r in load_registry()})
    if municipalities in ("all", "", None):
        return RunSpec(year_text, "all")
    names = ([v.strip() for v in municipalities.split(",") if v.strip()]
             if isinstance(municipalities, str) else [str(v) for v in municipalities])
    lookup = {k.casefold(): k for k in known}
    unknown = [n for n in names if n.casefold() not in lookup]
    if unknown or not names:
        raise ParameterError(
            f"unknown municipality {', '.join(unknown) or repr(municipalities)}; the registry "
            f"has {', '.join(known)}", file="data/raw/reports.yml",
            fix=f"pass {FLAGS['municipalities']} with names from that list, or 'all'")
    chosen = {lookup[n.casefold()] for n in names}
    if chosen == set(known):
        return RunSpec(year_text, "all")
    return RunSpec(year_text, ",".join(k for k in known if k in chosen))
