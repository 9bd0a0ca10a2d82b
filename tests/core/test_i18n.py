"""Every UI string goes through the one catalog, in both languages."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from core.i18n import CATALOG, label, t
from core.settings import PROJECT_ROOT

UI_DIRS = ("screens", "components")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_both_languages_present_with_same_placeholders(key: str) -> None:
    zh, en = CATALOG[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)


def _ui_files() -> list[Path]:
    files = [PROJECT_ROOT / "app.py"]
    for folder in UI_DIRS:
        files.extend(sorted((PROJECT_ROOT / folder).rglob("*.py")))
    return files


def test_no_chinese_literals_in_ui_code() -> None:
    """Chinese text in screens/components would bypass the catalog (and the English UI)."""
    offenders = []
    for path in _ui_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings and CJK.search(node.value)):
                offenders.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not offenders, offenders


def test_every_literal_key_used_in_ui_exists() -> None:
    missing = []
    for path in _ui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"tr", "t"}
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value not in CATALOG):
                missing.append(f"{path.name}:{node.lineno}: {node.args[0].value}")
    assert not missing, missing


def test_translation_and_labels() -> None:
    assert t("nav.customers") == "客户查询"
    assert t("nav.customers", "en") == "Customer lookup"
    assert t("customers.total", "en", total=3, page=1, pages=1).startswith("3 customers")
    assert label("钻石", "en") == "Diamond" and label("钻石", "zh") == "钻石"
    assert label("自定义行业", "en") == "自定义行业"
    with pytest.raises(KeyError):
        t("no.such.key")
