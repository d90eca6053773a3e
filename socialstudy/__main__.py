"""Command line: ``python -m socialstudy run|bench|add-report|review …`` (see README)."""

from __future__ import annotations

import argparse
import signal
import sys

from socialstudy import paths
from socialstudy.errors import StudyError

# Each subcommand's help and its options, as the words of ``add_argument`` (add-report
# declares its own beside the code that reads them: tools.add_report.add_subparser).
OPTIONS = {
    "run": ("execute the notebooks in order with papermill", (
        ("--year", {"default": "latest",
                    "help": "'latest' (each municipality's newest full-year report) or a "
                            "fiscal year such as 2023"}),
        ("--municipalities", {"default": "all",
                              "help": "comma-separated names from data/raw/reports.yml, or "
                                      "'all'"}),
        ("--force", {"action": "store_true",
                     "help": "run every notebook even if nothing changed"}),
        ("--quiet", {"action": "store_true", "help": "no progress output"}),
        ("--no-wait", {"action": "store_true",
                       "help": "stop instead of waiting when another run holds this checkout"}),
    )),
    "bench": ("time the default study against papermill's floor", (
        ("--corpus", {"type": int, "nargs": "*", "metavar": "N",
                      "help": "instead: extract N synthetic reports (copies of the seeds); "
                              "no N = 4 16 64 256 1000"}),
        ("--pdf", {"type": int, "nargs": "?", "const": 100, "metavar": "PAGES",
                   "help": "instead: add-report + review of a generated PDF of PAGES pages "
                           "(default 100)"}),
        ("--tests", {"action": "store_true",
                     "help": "instead: time `make test-fast` and `make test` (wall and CPU)"}),
    )),
    "review": ("list what the comparison finds in one report and what needs a decision", (
        ("doc_id", {"help": "a doc_id of data/raw/reports.yml"}),
    )),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m socialstudy",
                                     description="Run the comparative study.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:  # in the order of COMMANDS, which --help keeps
        if name in OPTIONS:
            help_text, options = OPTIONS[name]
            command = sub.add_parser(name, help=help_text)
            for flag, words in options:
                command.add_argument(flag, **words)
        else:  # add-report
            from socialstudy.tools.add_report import add_subparser
            add_subparser(sub)
    return parser


def _run(args: argparse.Namespace) -> int:
    from socialstudy.study.runs import run as run_study
    try:
        results = run_study(args.year, args.municipalities, force=args.force,
                            progress=not args.quiet, wait=not args.no_wait)
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM or SIGHUP (a bar may be mid-line)
        return _stopped(("" if args.quiet else "\n") + (str(exc) or INTERRUPTED))
    ran = sum(r.status != "skipped" for r in results)
    if results:
        _damage_summary(results[0].output.parent.parent)
    warnings = sum(r.warnings for r in results)
    said = [f"study complete: {ran} step(s) run, {len(results) - ran} unchanged; outputs "
            f"in {results[0].output.parent.parent}"] if ran and not args.quiet else []
    if warnings:  # said even with --quiet: they are not in the notebooks
        said.append(f"{warnings} kernel warning(s) in {paths.shown(results[0].log)} (kept out "
                    "of the notebooks)")
    if said:
        print("; ".join(said), file=sys.stderr)
    return 0


INTERRUPTED = "interrupted; outputs unchanged"
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # each ends a run the same way
_STOPPED_BY: list[int] = []  # the signal that interrupted the run: exit 128 + it


def _stop(signum, _frame) -> None:
    """Ctrl-C, SIGTERM and SIGHUP (the terminal closed) take one path: kernels killed,
    stage removed, one line. Only the first one: a second Ctrl-C while that clean-up runs
    used to break into it (exit code -2 or a traceback, a staging folder and a kernel
    socket folder left behind)."""
    if _STOPPED_BY:
        return
    _STOPPED_BY.append(signum)
    for other in STOPPING:  # ignored from now on, not only here: Python, exiting, sets
        signal.signal(other, signal.SIG_IGN)  # its handlers back to SIG_DFL (exit -2)
    raise KeyboardInterrupt


def _stopped(line: str) -> int:
    """Say ``line`` (unless the terminal is gone: SIGHUP); the exit code, 128 + signal."""
    try:
        print(line, file=sys.stderr)
    except OSError:
        pass
    return 128 + (_STOPPED_BY[0] if _STOPPED_BY else signal.SIGINT)


def _damage_summary(tree) -> None:
    """One line per table whose cells on rows the study uses could not be read."""
    from socialstudy.core.registry import load_registry
    from socialstudy.measures.run_summary import summary_lines
    municipality_of = {r.doc_id: r.municipality for r in load_registry()}
    for line in summary_lines(tree / "data" / "processed", municipality_of):
        print(line, file=sys.stderr)


def _bench(args: argparse.Namespace) -> int:
    if args.corpus is not None:
        from socialstudy.tools import scale
        print(scale.table(scale.measure(tuple(args.corpus) or scale.SIZES)))
        return 0
    from socialstudy.tools.benchmark import measure, measure_pdf, pdf_line
    if args.tests:
        from socialstudy.tools.benchmark import measure_tests, tests_line
        results = measure_tests()
        print("\n".join(tests_line(r) for r in results))
        return 1 if any(r["returncode"] for r in results) else 0
    if args.pdf is not None:
        print(pdf_line(measure_pdf(args.pdf)))
        return 0
    result = measure()
    print(f"floor (papermill, 5 notebooks with parameters + imports): "
          f"{result['floor_s']:.1f} s\nfull default study (forced): {result['study_s']:.1f} s "
          f"({result['ratio']:.2f}x the floor; target at most 1.3x)\nrerun with nothing "
          f"changed: {result['rerun_s']:.2f} s\nno-op rerun as a whole process "
          f"(`python -m socialstudy run`): {result['noop_process_s']:.2f} s (target at most "
          f"1.0 s)")
    print(pdf_line(measure_pdf()))
    return 0


def _add_report(args: argparse.Namespace) -> int:
    from socialstudy.tools.add_report import run
    return run(args)


def _review(args: argparse.Namespace) -> int:
    from socialstudy.tools.review import review_text
    print(review_text(args.doc_id), end="")
    return 0


COMMANDS = {"run": _run, "bench": _bench, "add-report": _add_report, "review": _review}


def main(argv: list[str] | None = None) -> int:
    previous = _take_signals()
    try:
        args = _parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except StudyError as exc:
        print(f"error: {exc.one_line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # before a command could say it (e.g. while importing)
        return _stopped(INTERRUPTED)
    finally:  # for a caller in the same process (once stopped, they stay ignored)
        for signum, handler in previous.items() if not _STOPPED_BY else ():
            if handler is not None:  # (None: not set from Python, cannot be set back)
                signal.signal(signum, handler)


def _take_signals() -> dict:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP end a run through KeyboardInterrupt (``_stop``).
    SIGINT is set even when ignored: a process started with it ignored (a background job
    of a shell without job control, ``(make test &)``) inherits ``SIG_IGN``, which Python
    keeps, and the run would then go on as if nothing had been sent. An ignored SIGHUP is
    kept ignored: ``nohup`` asks that the run outlive its terminal. Returns the handlers
    replaced."""
    _STOPPED_BY.clear()
    previous = {}
    try:
        for signum in STOPPING:
            if signum != signal.SIGHUP or signal.getsignal(signum) != signal.SIG_IGN:
                previous[signum] = signal.signal(signum, _stop)
    except ValueError:  # not the main thread (main() called from a test's thread)
        pass
    return previous


if __name__ == "__main__":
    sys.exit(main())
