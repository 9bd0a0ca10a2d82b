"""Every action code and detail key the code writes to the audit log has a label (zh+en).

The codes are collected from the source (AST of services/, components/, screens/, manage.py):
the action argument of ``audit.record`` / ``record_many`` / ``probes.audit_apart``, every
``audit_action=`` argument and the ``action`` of rows handed to ``audit.append`` /
``insert_rows``. A parameter is followed to the calls of its function (and its default), a
module constant to its value, ``a if c else b`` to both. A new code without a label fails
here instead of showing raw in the admin's audit log."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import select

from core import clock
from core.vocab import Role
from db.models import AuditEntry
from services.access import audit, audit_view
from tests.support.factories import actor_for

ROOT = Path(__file__).resolve().parents[2]
_SOURCES = [p for d in ("services", "components", "screens") for p in (ROOT / d).rglob("*.py")]
_SOURCES.append(ROOT / "manage.py")
_RECORDERS = {"record": 2, "record_many": 2, "audit_apart": 2}
_ROW_WRITERS = {"append", "insert_rows"}


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.constants = {t.id: n.value for n in self.tree.body if isinstance(n, ast.Assign)
                          for t in n.targets if isinstance(t, ast.Name)}
        self.constants.update({n.target.id: n.value for n in self.tree.body
                               if isinstance(n, ast.AnnAssign) and n.value is not None
                               and isinstance(n.target, ast.Name)})

    def function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node  # type: ignore[return-value]
        return None


MODULES = [_Module(p) for p in _SOURCES]


def _name(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def _calls_of(module: _Module, function: str) -> list[tuple[_Module, ast.Call]]:
    """Calls of a function: private ones in their module only."""
    where = [module] if function.startswith("_") else MODULES
    return [(m, n) for m in where for n in ast.walk(m.tree)
            if isinstance(n, ast.Call) and _name(n.func) == function]


def _values(module: _Module, node: ast.expr | None, depth: int = 0) -> set[str]:
    """The strings an expression may hold; an unresolvable part as ``prefix*``."""
    if node is None or depth > 8:
        return set()
    if isinstance(node, ast.Constant):
        return {node.value} if isinstance(node.value, str) else set()
    if isinstance(node, ast.IfExp):
        return _values(module, node.body, depth + 1) | _values(module, node.orelse, depth + 1)
    if isinstance(node, ast.Subscript):  # f"export.{what}"[:30]
        return _values(module, node.value, depth + 1)
    if isinstance(node, ast.JoinedStr):
        out = {""}
        for part in node.values:
            if isinstance(part, ast.Constant):
                out = {o + str(part.value) for o in out}
            else:
                got = _values(module, part.value, depth + 1)  # type: ignore[attr-defined]
                out = {o + g for o in out for g in got} if got else {o + "*" for o in out}
        return out
    if isinstance(node, ast.Name):
        function = module.function_of(node)
        if function is not None:
            params = [a.arg for a in function.args.posonlyargs + function.args.args]
            kwonly = [a.arg for a in function.args.kwonlyargs]
            if node.id in params or node.id in kwonly:
                found: set[str] = set()
                if node.id in params:
                    i = params.index(node.id)
                    defaults = function.args.defaults
                    j = i - (len(params) - len(defaults))
                    if j >= 0:
                        found |= _values(module, defaults[j], depth + 1)
                else:
                    found |= _values(module, function.args.kw_defaults[kwonly.index(node.id)],
                                     depth + 1)
                for m, call in _calls_of(module, function.name):
                    index = params.index(node.id) if node.id in params else 10**6
                    found |= _values(m, _argument(call, index, node.id), depth + 1)
                return found
            assigned = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)]
            if assigned:
                return set().union(*(_values(module, v, depth + 1) for v in assigned))
        if node.id in module.constants:
            return _values(module, module.constants[node.id], depth + 1)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):  # audit.PREFIX
        for other in MODULES:
            if other.path.stem == node.value.id and node.attr in other.constants:
                return _values(other, other.constants[node.attr], depth + 1)
    return set()


def _detail_keys(module: _Module, node: ast.expr | None) -> set[str]:
    """Keys of a dict literal (or of the dicts a local name is given); ``**kwargs`` of the
    enclosing function followed to the keywords its callers pass."""
    if isinstance(node, ast.Dict):
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        function = module.function_of(node)
        for k, v in zip(node.keys, node.values, strict=True):
            spread = None
            if k is None and isinstance(v, ast.DictComp):
                inner = v.generators[0].iter
                spread = _name(inner.func.value) if isinstance(inner, ast.Call) and isinstance(
                    inner.func, ast.Attribute) else None
            elif k is None and isinstance(v, ast.Name):
                spread = v.id
            if (spread and function is not None and function.args.kwarg is not None
                    and function.args.kwarg.arg == spread):
                named = {a.arg for a in function.args.args + function.args.kwonlyargs}
                keys |= {kw.arg for _, call in _calls_of(module, function.name)
                         for kw in call.keywords if kw.arg and kw.arg not in named}
        return keys
    if isinstance(node, ast.Name) and (function := module.function_of(node)) is not None:
        keys: set[str] = set()
        for n in ast.walk(function):
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id
                                                 for t in n.targets):
                keys |= _detail_keys(module, n.value)
            if (isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                    and n.target.id == node.id):
                keys |= _detail_keys(module, n.value)
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                    and n.func.attr == "update" and _name(n.func.value) == node.id):
                keys |= {kw.arg for kw in n.keywords if kw.arg}
        return keys
    return set()


def collected() -> tuple[dict[str, str], dict[str, str]]:
    """``{action: where}`` and ``{detail key: where}`` over the code base."""
    actions: dict[str, str] = {}
    keys: dict[str, str] = {}
    for module in MODULES:
        rel = module.path.relative_to(ROOT)
        for call in (n for n in ast.walk(module.tree) if isinstance(n, ast.Call)):
            name = _name(call.func)
            where = f"{rel}:{call.lineno}"
            found: set[str] = set()
            if name in _RECORDERS and not (name == "record" and _name(
                    getattr(call.func, "value", call.func)) != "audit"):
                found |= _values(module, _argument(call, _RECORDERS[name], "action"))
                if not found:
                    actions.setdefault(f"<unresolved {ast.unparse(call)[:60]}>", where)
                for part, index in (("detail", 99), ("changes", 5)):
                    keys.update({k: where for k in _detail_keys(
                        module, _argument(call, index if name == "record" else 99, part))})
            for kw in call.keywords:
                if kw.arg == "audit_action":
                    found |= _values(module, kw.value)
            if name in _ROW_WRITERS:
                for row in ast.walk(call):
                    if isinstance(row, ast.Call) and _name(row.func) == "dict":
                        found |= _values(module, _argument(row, 99, "action"))
                        keys.update({k: where for k in _detail_keys(
                            module, _argument(row, 99, "detail"))})
                    if isinstance(row, ast.Dict):
                        for k, v in zip(row.keys, row.values, strict=True):
                            if isinstance(k, ast.Constant) and k.value == "action":
                                found |= _values(module, v)
                            if isinstance(k, ast.Constant) and k.value == "detail":
                                keys.update({x: where for x in _detail_keys(module, v)})
            actions.update({a: where for a in found})
    return actions, keys


def test_collector_sees_the_known_codes() -> None:
    """The collector follows parameters and constants (so an empty list cannot pass)."""
    actions, keys = collected()
    for code in ("customer.update", "login", "download", "demo.seed", "import.preview",
                 "flagged.hidden_key_limit", "complaint.resolve", "import.*"):
        assert code in actions, code
    for key in ("seed", "counts", "file_name", "per_hour"):
        assert key in keys, key


def test_every_action_code_has_a_label() -> None:
    actions, _ = collected()
    missing = []
    for code, where in sorted(actions.items()):
        probe = code.replace("*", "anything")
        for lang in ("zh", "en"):
            if audit_view.action_label(probe, lang) == probe:
                missing.append(f"{code} ({lang}) at {where}")
    assert not missing, missing


def test_every_detail_key_has_a_label() -> None:
    _, keys = collected()
    missing = [f"{key} ({lang}) at {where}" for key, where in sorted(keys.items())
               for lang in ("zh", "en") if audit_view.field_label(key, None, lang) == key]
    assert not missing, missing


def test_user_rows_read_as_labels_and_display_names(app_people, db) -> None:
    """The admin's audit log: a new user's role by its label, ``active`` and ``username`` as
    words, a login (written without a user id) by the user's display name."""
    admin = app_people[Role.ADMIN]
    audit.record(db, actor_for(admin), "user.create", "user", admin.id,
                 changes={"username": [None, "wangfang"], "role": [None, "clerk"],
                          "active": [True, False]})
    audit.record(db, None, "login", "user", admin.id, username=admin.username)
    audit.append(db.connection(), [dict(at=clock.now(), user_id=None, username="cli",
                                        action="demo.seed", entity=None, entity_id=None,
                                        changes=None, detail={"seed": 42, "today": "2026-12-05"})])
    db.commit()
    entries = {e.action: e for e in db.scalars(select(AuditEntry))}
    created, login, seeded = audit_view.lines(
        db, [entries["user.create"], entries["login"], entries["demo.seed"]], "zh")
    assert "录入员" in created.details and "clerk" not in created.details
    for raw in ("username：", "role：", "active："):
        assert raw not in created.details, raw
    assert login.who == f"{admin.display_name}（{admin.username}）"
    assert seeded.action != "demo.seed" and "seed：" not in seeded.details
    en = audit_view.lines(db, [entries["user.create"]], "en")[0]
    assert "Clerk" in en.details
