"""One run's parameters in canonical form, and the output tree they map to.

The CLI (``python -m socialstudy run``), the pipeline and a notebook run by papermill
directly all resolve parameters here, so they agree on where a parameter set writes: the
default parameters write the committed study (the repository), any other set its own tree
``build/<run name>/``. Light on imports: the no-op rerun goes through this module without
pandas.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
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
        args = "" if self.year == "latest" else f" --year {shlex.quote(self.year)}"
        if self.municipalities != "all":
            args += f" --municipalities {shlex.quote(self.municipalities)}"
        return f"python -m socialstudy run{args}"


YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: str.isdigit() also takes '²' and '٢'


def shown(value, limit: int = 24) -> str:
    """A parameter as an error message shows it: quoted, and cut if it is long."""
    text = repr(value)
    return text if len(text) <= limit else f"{cut(text, limit)} ({len(str(value))} characters)"


def cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def check_year(year) -> str:
    """'latest' or a four-digit fiscal year, else ParameterError (before anything runs:
    a year of hundreds of digits would otherwise name a folder the disk refuses)."""
    year_text = str(year).strip().lower()
    if year_text != "latest" and not YEAR.fullmatch(year_text):
        raise ParameterError(f"year must be 'latest' or a four-digit fiscal year such as "
                             f"2023, not {shown(year)}",
                             fix=f"pass {FLAGS['year']} latest or a year")
    return year_text


def names(municipalities: str | list[str] | None) -> list[str] | None:
    """The names given (in Unicode normal form C: a decomposed "ä" typed in some terminals
    names the registry's "ä"), or None for 'all' (or the parameter not given). An empty
    value ('', ' , ', []) is an error, never 'all'."""
    if municipalities is None or (isinstance(municipalities, str)
                                  and municipalities.strip().lower() == "all"):
        return None
    given = ([v.strip() for v in municipalities.split(",")]
             if isinstance(municipalities, str) else [str(v).strip() for v in municipalities])
    given = [unicodedata.normalize("NFC", n) for n in given if n]
    if not given:
        raise ParameterError(f"municipalities is empty ({shown(municipalities)}); an empty "
                             "selection is not 'all'",
                             fix=f"pass {FLAGS['municipalities']} with comma-separated names "
                                 "from data/raw/reports.yml, or 'all'")
    return given


def canonical(year: str | int = "latest", municipalities: str | list[str] = "all",
              known: list[str] | None = None) -> RunSpec:
    """Check and normalise the parameters (names case-insensitive, order and repeats
    ignored; naming every municipality is 'all'). Raises ParameterError naming the CLI
    flag and the papermill parameter."""
    year_text = check_year(year)
    given = names(municipalities)
    if known is None:  # also for 'all': a broken registry stops here, before any run
        from socialstudy.core.registry import load_registry
        known = sorted({r.municipality for r in load_registry()})
    if given is None:
        return RunSpec(year_text, "all")
    lookup = {k.casefold(): k for k in known}
    unknown = [n for n in given if n.casefold() not in lookup]
    if unknown:
        raise ParameterError(
            f"unknown municipality {', '.join(cut(n) for n in unknown)}; the "
            f"registry has {', '.join(known)}", file="data/raw/reports.yml",
            fix=f"pass {FLAGS['municipalities']} with names from that list, or 'all'")
    chosen = {lookup[n.casefold()] for n in given}
    if chosen == set(known):
        return RunSpec(year_text, "all")
    return RunSpec(year_text, ",".join(k for k in known if k in chosen))
