"""The package code a step runs: the package modules a notebook's cells import (or a
function step's module) and, transitively, everything they import, found by parsing the
code without importing it, so that a change anywhere in that code reruns the step."""

from __future__ import annotations

import ast
import functools
import json
import re
import threading
from pathlib import Path

from socialstudy import paths

PACKAGE = paths.PACKAGE
# CPython 3.11.7 keeps the AST converter's recursion depth per interpreter, not per thread
# (python/cpython#106905): two threads turning source into AST objects at once can fail
# with "AST constructor recursion depth mismatch". The runner parses module sources while
# pages render in another thread (Jinja's lexer calls ast.literal_eval), so both hold
# this lock: see ``exclusive``.
PARSE_LOCK = threading.RLock()
# a line that starts an import statement, and one that has an import statement after its
# start (`x = 1; import y`, `if x: import y`: ruff's E701/E702 refuse both in the package)
STATEMENT = r"(?:from[ \t]+\.*[\w.]*[ \t]+import\b|import[ \t]+\w)"
IMPORT_LINE = re.compile(rf"[ \t]*{STATEMENT}")
INLINE_IMPORT = re.compile(rf"[;:][ \t]*(?:\\\n[ \t]*)?{STATEMENT}")
MAX_CONTINUED = 60  # lines of one import statement, at most


def exclusive(function, *args):
    """``function(*args)`` while no other thread of the runner parses source."""
    with PARSE_LOCK:
        return function(*args)


def _parse(source: str) -> ast.AST:
    return exclusive(ast.parse, source)


def _module_file(name: str) -> Path | None:
    """The file of a dotted module name of the package (``extract.tables``), if any: a
    package before a module of the same name, as Python imports them (a stray
    ``publish.py`` beside ``publish/`` is never imported, so it is never the code)."""
    base = PACKAGE.joinpath(*name.split(".")) if name else PACKAGE
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _imported(tree: ast.AST) -> set[str]:
    """Package modules named by the import statements of a parsed module or cell, as
    dotted names relative to the package (``from pkg.extract import tables`` gives
    ``extract.tables``); an imported module brings its parent packages' ``__init__``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    prefix = PACKAGE.name + "."
    inside = {name[len(prefix):] for name in found if name.startswith(prefix)}
    inside |= {name.rsplit(".", 1)[0] for name in inside}  # parent packages
    inside |= {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == PACKAGE.name for a in node.names}
    return {m for m in inside if _module_file(m)}


def notebook_modules(path: Path) -> set[str]:
    """Package modules a notebook's code cells import (parsed once per notebook text)."""
    return set(_cell_imports(path.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=16)
def _cell_imports(text: str) -> frozenset[str]:
    found = set()
    for cell in json.loads(text)["cells"]:
        if cell["cell_type"] == "code":
            source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            found |= _imported(_parse(source))
    return frozenset(found)


@functools.cache
def _module_imports(name: str) -> frozenset[str]:
    source = _module_file(name).read_text(encoding="utf-8")
    if INLINE_IMPORT.search(source):  # a statement not at its line's start: every node
        return frozenset(_imported(_parse(source)))
    return frozenset(m for tree in _import_statements(source) for m in _imported(tree))


def _import_statements(source: str):
    """Each import statement of a module, parsed alone: a line that starts one (after its
    indentation), with the lines that continue it. Parsing and walking only these, not
    the whole module, cut the runner's hashing of the package from about 0.47 CPU-s to
    0.08-0.11, in every run. A line of a docstring shaped like an import may be
    taken too: a module more in the hash, never one less."""
    lines = source.split("\n")
    for number, line in enumerate(lines):
        if not IMPORT_LINE.match(line):
            continue
        text = line.lstrip()
        for following in lines[number + 1:number + MAX_CONTINUED + 1] + [None]:
            try:
                yield _parse(text)
                break
            except SyntaxError:  # continued on the next line, or prose
                if following is None:
                    break
                text += "\n" + following


def closure(modules) -> list[str]:
    """Repository-relative files of the modules and everything they import in the
    package, the package's ``__init__`` included."""
    seen, todo = set(), ["", *modules]
    while todo:
        name = todo.pop()
        if name not in seen and _module_file(name):
            seen.add(name)
            todo.extend(_module_imports(name))
    return sorted(_module_file(m).relative_to(PACKAGE.parent).as_posix() for m in seen)


def import_lines(notebook: Path) -> str:
    """The top-level import statements of a notebook's code cells, on one line (what its
    kernel imports before the notebook runs, as ipykernel ``exec_lines``)."""
    return _import_lines(notebook.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=16)
def _import_lines(text: str) -> str:
    found = []
    for cell in json.loads(text)["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = _parse("".join(cell["source"]))
        except SyntaxError:  # magics: the notebook will say so itself
            continue
        found += [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import,
                                                                      ast.ImportFrom))]
    return "; ".join(dict.fromkeys(found))


def package_lines(notebooks) -> str:
    """The import statements of all ``notebooks`` that name the package, on one line:
    what the zygote imports once for every kernel (see ``engine.zygote``)."""
    lines = (line for nb in notebooks for line in import_lines(nb).split("; "))
    return "; ".join(dict.fromkeys(line for line in lines
                                   if re.match(rf"(from|import) {PACKAGE.name}\b", line)))
