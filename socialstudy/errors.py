"""One exception hierarchy, so every failure names the file, the line and the fix."""

from __future__ import annotations


class StudyError(Exception):
    """Base class: a problem the user can act on, never a bare traceback."""

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None,
                 fix: str | None = None):
        self.problem = problem
        self.file = file
        self.line = line
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.problem}"
        if self.fix:
            text += f"\n  Fix: {self.fix}"
        return text

    def __reduce__(self):
        """Pickled with its fields, so that an error raised in a worker process (see
        ``extract.pool``) reaches the user as raised; ``Exception`` alone would rebuild it
        from the message and lose file, line and fix."""
        return _rebuild, (type(self), self.problem, self.file, self.line, self.fix), \
            self.__dict__

    @property
    def one_line(self) -> str:
        """``file:line: problem — fix: …`` on one line: how the command line and a
        notebook that stops show every error."""
        return self.message.replace("\n  Fix: ", " — fix: ")


def _rebuild(cls: type[StudyError], problem: str, file: str | None, line: int | None,
             fix: str | None) -> StudyError:
    return cls(problem, file=file, line=line, fix=fix)


class RegistryError(StudyError):
    """The registry (data/raw/reports.yml) is missing, malformed or points at nothing."""


class HashMismatchError(RegistryError):
    """A raw file's bytes differ from the SHA-256 recorded in the registry."""


class RawFileError(StudyError):
    """A raw file cannot be read as the study expects (encoding, line endings, empty)."""


class NumberFormatError(StudyError):
    """A cell looks numeric but is not a number the Swedish way; becomes a reject row."""


class CrosswalkError(StudyError):
    """A crosswalk or anchor file does not match the raw reports it cites."""


class ParameterError(StudyError):
    """A run parameter (year, municipality) that the registry cannot satisfy."""


class SchemaError(StudyError):
    """A processed table violates its declared schema."""


class PopulationError(StudyError):
    """data/external/population.csv is missing or malformed."""


class Busy(StudyError):
    """Another run holds the checkout's lock."""


class DiskFull(StudyError):
    """The disk ran out of room while a run staged or wrote its outputs; the staging
    tree is removed and the outputs are unchanged."""


class Unwritable(StudyError):
    """An output that a run must replace cannot be replaced (read-only, immutable, a
    read-only folder); found before the first file is replaced."""


class PromotionError(StudyError):
    """Moving a finished run's outputs into place failed or was interrupted; what was
    moved is rolled back (or completed) from the journal."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C: the run stopped and nothing was promoted."""


class RunStop(StudyError):
    """A notebook cannot run with these parameters or this output tree: one line, no
    traceback (IPython shows what ``_render_traceback_`` returns; papermill still reports
    the cell as failed)."""

    def __str__(self) -> str:
        return self.one_line

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class UpstreamMissing(RunStop):
    """An input written by an earlier notebook is not there yet."""


class BadParameter(RunStop):
    """A year or municipality the registry cannot satisfy."""
