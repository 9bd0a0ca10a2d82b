"""The layering of the code, checked from its imports (issue 15), in the spirit of the structure
checks of ``test_i18n.py`` and ``test_settings.py``.

Every import of ``app.py``, ``manage.py``, the page files (``screens/``, ``pages/``),
``components/``, ``services/``, ``db/`` and ``core/`` is read with ``ast``: at module level, in
functions, under ``if``/``try``. The layers, highest first::

    pages (app.py, screens/, pages/) -> components -> services -> db -> core

A module may import its own layer and the layers below it, never one above. ``manage.py`` and the
migrations (``db/migrations/``) are entry points beside the pages: they may import services, db
and core (not components or pages). Besides:

- components and pages never touch ``db.models`` (they go through services);
- pages never import ``db`` at all;
- at most one component module imports ``db.engine`` (the one that opens sessions for the rest);
- services (and db, core) never import Streamlit: they run from the command line and the
  benchmarks too;
- no module imports another module's ``_private`` name (nor a private module from outside its
  package), nor reaches one through an imported module (``module._name``);
- no import cycle between modules, function-level imports included (``if TYPE_CHECKING:``
  imports, which never run, are left out of the cycles but not of the layers).

A lazy import counts like an import in a function: ``importlib.import_module`` of a name spelled
out in the code, or of each name of a module-level tuple or list it loops over (a registry's
list of modules).

Each failure names file:line, the import and the rule it breaks. ``test_each_rule_fires`` runs
the same checks on a small tree with one breach of each rule, so a pass means something.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("screens", "pages", "components", "services", "db", "core")
FILES = ("app.py", "manage.py")
LAYERS = ("pages", "components", "services", "db", "core")
"""Highest first: a module may import its own layer and those after it."""
ENTRY = "entry point"
"""manage.py and the migrations: beside the pages, but they may not import components."""
RULE = "pages -> components -> services -> db -> core"


@dataclass(frozen=True)
class Import:
    source: str
    """Dotted name of the importing module."""
    path: str
    """Its file, relative to the project."""
    line: int
    target: str
    """The module imported, resolved: ``from a import b`` is ``a.b`` when that is a module of
    ours, else ``a``."""
    name: str | None
    """``from a import name``: the name (None for ``import a``)."""
    text: str
    """The import as written (relative imports resolved)."""
    type_only: bool
    """Under ``if TYPE_CHECKING:``: never runs."""
    in_function: bool

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}{' (in a function)' if self.in_function else ''}"


def layer(module: str) -> str | None:
    """The layer of one of our modules (None for anything else)."""
    top = module.split(".")[0]
    if module == "app" or top in ("screens", "pages"):
        return "pages"
    if module == "manage" or module.startswith("db.migrations"):
        return ENTRY
    if top in ("components", "services", "db", "core"):
        return top
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, type_only: bool = False, in_function: bool = False
          ) -> Iterator[tuple[ast.AST, bool, bool]]:
    """Every node below ``node``, with whether it sits under ``if TYPE_CHECKING:`` and in a
    function."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            yield child, type_only, in_function
            for sub in child.body:
                yield sub, True, in_function
                yield from _walk(sub, True, in_function)
            for sub in child.orelse:
                yield sub, type_only, in_function
                yield from _walk(sub, type_only, in_function)
            continue
        yield child, type_only, in_function
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef
                                          | ast.Lambda)
        yield from _walk(child, type_only, inner)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class Scan:
    """The modules and imports of one project tree, and the rules over them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @cached_property
    def modules(self) -> dict[str, Path]:
        """Dotted name -> file of every module checked."""
        found = {f.removesuffix(".py"): self.root / f for f in FILES
                 if (self.root / f).exists()}
        for folder in FOLDERS:
            for path in sorted((self.root / folder).rglob("*.py")):
                if "__pycache__" not in path.parts:
                    parts = list(path.relative_to(self.root).with_suffix("").parts)
                    if parts[-1] == "__init__":
                        parts.pop()
                    found[".".join(parts)] = path
        return found

    @cached_property
    def tops(self) -> set[str]:
        return {m.split(".")[0] for m in self.modules}

    def ours(self, name: str) -> bool:
        return name.split(".")[0] in self.tops

    def tree(self, module: str) -> ast.Module:
        path = self.modules[module]
        return ast.parse(path.read_text(encoding="utf-8"), str(path))

    def rel(self, module: str) -> str:
        return self.modules[module].relative_to(self.root).as_posix()

    @cached_property
    def imports(self) -> tuple[Import, ...]:
        """Every import of every checked module."""
        found: list[Import] = []
        for module, path in self.modules.items():
            rel = self.rel(module)
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            for node, type_only, in_function in _walk(self.tree(module)):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        found.append(Import(module, rel, node.lineno, alias.name, None,
                                            f"import {alias.name}", type_only, in_function))
                elif isinstance(node, ast.ImportFrom):
                    if node.level:
                        base = package.split(".")
                        base = base[:len(base) - node.level + 1]
                        source = ".".join(base + ([node.module] if node.module else []))
                    else:
                        source = node.module or ""
                    for alias in node.names:
                        sub = f"{source}.{alias.name}"
                        target = sub if sub in self.modules else source
                        found.append(Import(module, rel, node.lineno, target, alias.name,
                                            f"from {source} import {alias.name}", type_only,
                                            in_function))
            found += self._lazy(module, rel)
        return tuple(found)

    def _lazy(self, module: str, rel: str) -> list[Import]:
        """``importlib.import_module(...)`` with a name the code spells out: a string, or a loop
        variable over a module-level tuple or list of strings (a registry's list). A lazy edge
        runs as surely as an import in a function, so the rules count it like one."""
        tree = self.tree(module)
        listed: dict[str, list[str]] = {}
        for node in tree.body:
            target, value = ((node.targets[0], node.value) if isinstance(node, ast.Assign)
                             else (node.target, node.value) if isinstance(node, ast.AnnAssign)
                             else (None, None))
            if (isinstance(target, ast.Name) and isinstance(value, ast.Tuple | ast.List)
                    and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                            for e in value.elts)):
                listed[target.id] = [e.value for e in value.elts]  # type: ignore[attr-defined]
        loops: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if (isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name)
                    and isinstance(node.iter, ast.Name) and node.iter.id in listed):
                loops[node.target.id] = listed[node.iter.id]
        found = []
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args and (
                    isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"
                    or isinstance(node.func, ast.Name) and node.func.id == "import_module")):
                continue
            arg = node.args[0]
            names = ([arg.value] if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                     else loops.get(arg.id, []) if isinstance(arg, ast.Name) else [])
            found += [Import(module, rel, node.lineno, name, None,
                             f"importlib.import_module({name!r})", False, True)
                      for name in names if self.ours(name)]
        return found

    # ---- the rules ---------------------------------------------------------------------------

    def upward(self) -> list[str]:
        out = []
        for imp in self.imports:
            own, their = layer(imp.source), layer(imp.target)
            if their is None or own is None:
                continue
            if own == ENTRY:
                if their in ("pages", "components"):
                    out.append(f"{imp.where}: {imp.text} — an entry point ({imp.source}) may "
                               f"import services, db and core, not the {their} layer")
                continue
            if their == ENTRY or LAYERS.index(their) < LAYERS.index(own):
                out.append(f"{imp.where}: {imp.text} — the {own} layer may not import the "
                           f"higher {their} layer ({RULE})")
        return out

    def models(self) -> list[str]:
        out = []
        for imp in self.imports:
            own = layer(imp.source)
            if own == "pages" and imp.target.split(".")[0] == "db":
                out.append(f"{imp.where}: {imp.text} — pages never import db (they call "
                           f"services, and components for sessions)")
            elif own == "components" and (imp.target == "db.models"
                                          or imp.target == "db" and imp.name == "models"):
                out.append(f"{imp.where}: {imp.text} — components never touch db.models "
                           f"(ask a service)")
        return out

    def engine_users(self) -> list[str]:
        users = [imp for imp in self.imports if layer(imp.source) == "components" and (
            imp.target == "db.engine" or imp.target == "db" and imp.name == "engine")]
        if len({imp.source for imp in users}) <= 1:
            return []
        return [f"{imp.where}: {imp.text} — {len({i.source for i in users})} component modules "
                f"import db.engine; one (the session/action helper) opens sessions for the "
                f"others" for imp in users]

    def streamlit(self) -> list[str]:
        return [f"{imp.where}: {imp.text} — the {layer(imp.source)} layer runs without a page: "
                f"no Streamlit" for imp in self.imports
                if layer(imp.source) in ("services", "db", "core")
                and imp.target.split(".")[0].startswith("streamlit")]

    def private(self) -> list[str]:
        out = []
        for imp in self.imports:
            if not self.ours(imp.target) or imp.target == imp.source:
                continue
            parts = imp.target.split(".")
            outside = [i for i, part in enumerate(parts)
                       if _private(part) and not _inside(imp.source, ".".join(parts[:i]))]
            if outside:
                i = outside[0]
                out.append(f"{imp.where}: {imp.text} — the module {'.'.join(parts[:i + 1])} "
                           f"is private to {'.'.join(parts[:i])}")
            elif (imp.name and _private(imp.name)
                  and f"{imp.target}.{imp.name}" not in self.modules):
                out.append(f"{imp.where}: {imp.text} — {imp.name} is private to "
                           f"{imp.target}: make it public there, or give it one home")
        for module in self.modules:
            out += self._private_attributes(module)
        return out

    def _private_attributes(self, module: str) -> list[str]:
        """``alias._name`` where ``alias`` is one of our modules imported by ``module``."""
        tree = self.tree(module)
        bound: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and self.ours(alias.name):
                        bound[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                for imp in self.imports:
                    if (imp.source == module and imp.line == node.lineno and imp.name
                            and imp.target in self.modules
                            and imp.target.endswith("." + imp.name)):
                        asname = next((a.asname for a in node.names
                                       if a.name == imp.name and a.asname), imp.name)
                        bound[asname] = imp.target
        out = []
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr)
                    and isinstance(node.value, ast.Name) and node.value.id in bound
                    and bound[node.value.id] != module):
                out.append(f"{self.rel(module)}:{node.lineno}: {node.value.id}.{node.attr} — "
                           f"{node.attr} is private to {bound[node.value.id]}")
        return out

    def cycles(self) -> list[str]:
        """One message per group of modules that import each other, with the imports that
        close one cycle through it."""
        edges: dict[str, dict[str, Import]] = {}
        for imp in self.imports:
            if not imp.type_only and imp.target != imp.source and imp.target in self.modules:
                edges.setdefault(imp.source, {}).setdefault(imp.target, imp)
        out = []
        for group in _strongly_connected(sorted(self.modules), edges):
            cycle = _shortest_cycle(group, edges)
            out.append("cycle: " + " -> ".join([cycle[0].source] + [i.target for i in cycle])
                       + (f" (a group of {len(group)} modules)" if len(group) > len(cycle)
                          else "") + "\n"
                       + "\n".join(f"    {i.where}: {i.text}" for i in cycle))
        return out


def _strongly_connected(nodes: list[str], edges: dict[str, dict[str, Import]]
                        ) -> list[list[str]]:
    """Tarjan's algorithm, iterative; only the groups of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(edges.get(root, {}))))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, {})))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def _shortest_cycle(group: list[str], edges: dict[str, dict[str, Import]]) -> list[Import]:
    """The imports of a shortest cycle through the group's first module (breadth first)."""
    members, start = set(group), group[0]
    paths: dict[str, list[Import]] = {start: []}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target, imp in sorted(edges.get(node, {}).items()):
            if target == start:
                return paths[node] + [imp]
            if target in members and target not in paths:
                paths[target] = paths[node] + [imp]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group has one


PROJECT = Scan(ROOT)


def _report(what: str, wrong: list[str]) -> str:
    return f"{len(wrong)} {what}:\n" + "\n".join(wrong)


def test_the_scan_reads_the_project() -> None:
    present = {layer(m) for m in PROJECT.modules}
    assert {"pages", "components", "services", "db", ENTRY} <= present
    assert len(PROJECT.imports) > 500
    assert not [i for i in PROJECT.imports if not i.target]


def test_no_layer_imports_a_higher_one() -> None:
    wrong = PROJECT.upward()
    assert not wrong, _report("upward imports", wrong)


def test_pages_and_components_keep_off_the_models() -> None:
    wrong = PROJECT.models()
    assert not wrong, _report("imports of db from pages or components", wrong)


def test_one_component_at_most_imports_the_engine() -> None:
    wrong = PROJECT.engine_users()
    assert not wrong, _report("imports of db.engine in components", wrong)


def test_services_never_import_streamlit() -> None:
    wrong = PROJECT.streamlit()
    assert not wrong, _report("Streamlit imports below the components", wrong)


def test_no_module_takes_another_modules_private_names() -> None:
    wrong = PROJECT.private()
    assert not wrong, _report("private names used across modules", wrong)


def test_no_import_cycles() -> None:
    wrong = PROJECT.cycles()
    assert not wrong, _report("import cycles (break them with an explicit registry, or by "
                              "moving the shared piece down)", wrong)


def test_each_rule_fires(tmp_path: Path) -> None:
    """A small tree with one breach of each rule: every check names it, with file and line."""
    files = {
        "app.py": "import components.ui\n",
        "manage.py": "from components import ui\n",
        "screens/home.py": "from db.engine import session_scope\n",
        "components/__init__.py": "",
        "components/ui.py": "from db import models\nfrom db.engine import read_scope\n",
        "components/other.py": "import db.engine\n",
        "services/__init__.py": "",
        "services/a.py": ("import streamlit as st\nfrom services.b import _helper\n"
                          "def f():\n    from services import b\n    return b._other()\n"),
        "services/b.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                          "    from components import ui\n"
                          "def g():\n    from services.a import f\n    return f()\n"
                          "def _helper(): ...\ndef _other(): ...\n"),
        "services/pkg/_impl.py": "x = 1\n",
        "services/pkg/face.py": "from ._impl import x\n",
        "db/__init__.py": "", "db/engine.py": "from services.a import f\n",
        "db/models.py": "", "core/clock.py": "from core import clock\n",
        # lazy edges: a registry's list and a spelled-out name count as imports
        "core/lazy.py": ("import importlib\nLISTED = ('services.a', 'json')\ndef load():\n"
                         "    for name in LISTED:\n        importlib.import_module(name)\n"
                         "    importlib.import_module('db.engine')\n"),
        "services/d.py": "from services import e\n",
        "services/e.py": ("import importlib\ndef load():\n"
                          "    importlib.import_module('services.d')\n"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "services/c.py").write_text("from services.pkg._impl import x\n")
    scan = Scan(tmp_path)
    assert sorted(scan.upward()) == [
        "core/lazy.py:5 (in a function): importlib.import_module('services.a') — the core "
        f"layer may not import the higher services layer ({RULE})",
        "core/lazy.py:6 (in a function): importlib.import_module('db.engine') — the core "
        f"layer may not import the higher db layer ({RULE})",
        "db/engine.py:1: from services.a import f — the db layer may not import the higher "
        f"services layer ({RULE})",
        "manage.py:1: from components import ui — an entry point (manage) may import "
        "services, db and core, not the components layer",
        "services/b.py:3: from components import ui — the services layer may not import the "
        f"higher components layer ({RULE})",
    ]
    assert sorted(scan.models()) == [
        "components/ui.py:1: from db import models — components never touch db.models (ask a "
        "service)",
        "screens/home.py:1: from db.engine import session_scope — pages never import db (they "
        "call services, and components for sessions)",
    ]
    assert [m.split(" — ")[0] for m in scan.engine_users()] == [
        "components/other.py:1: import db.engine",
        "components/ui.py:2: from db.engine import read_scope"]
    assert [m.split(" — ")[0] for m in scan.streamlit()] == ["services/a.py:1: import streamlit"]
    assert sorted(scan.private()) == [
        "services/a.py:2: from services.b import _helper — _helper is private to services.b: "
        "make it public there, or give it one home",
        "services/a.py:5: b._other — _other is private to services.b",
        "services/c.py:1: from services.pkg._impl import x — the module services.pkg._impl is "
        "private to services.pkg",
    ]
    assert scan.cycles() == [
        "cycle: services.a -> services.b -> services.a\n"
        "    services/a.py:2: from services.b import _helper\n"
        "    services/b.py:5 (in a function): from services.a import f",
        "cycle: services.d -> services.e -> services.d\n"
        "    services/d.py:1: from services import e\n"
        "    services/e.py:3 (in a function): importlib.import_module('services.d')"]
