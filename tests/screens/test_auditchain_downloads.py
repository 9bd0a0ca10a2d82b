"""Point 17, every download of any kind is audited: all go through
``components.downloads.download_button``, and a click writes a ``download`` entry."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import select

from core.vocab import Role
from db.models import AuditEntry
from tests.support.app import logged_in

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ROOT / "components" / "downloads.py"


def _offenders() -> list[str]:
    """Every use of Streamlit's download button outside components/downloads.py."""
    found = []
    files = [ROOT / "app.py", *ROOT.glob("screens/**/*.py"), *ROOT.glob("components/**/*.py"),
             *ROOT.glob("services/**/*.py")]
    for path in files:
        if path == ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = (isinstance(node, ast.Attribute) and node.attr == "download_button"
                     and not (isinstance(node.value, ast.Name)
                              and node.value.id == "downloads"))
            imported = (isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "streamlit") and any(a.name == "download_button" for a in node.names))
            if named or imported:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_download_button_bypasses_the_audited_one() -> None:
    assert _offenders() == []


def test_the_scan_sees_a_direct_call(tmp_path, monkeypatch) -> None:
    """The scan above is not vacuous: a page calling st.download_button is found."""
    page = ROOT / "screens" / "zz_auditchain_probe.py"
    page.write_text("import streamlit as st\nst.download_button('x', b'1')\n")
    try:
        assert _offenders() == ["screens/zz_auditchain_probe.py:2"]
    finally:
        page.unlink()


def _downloads(db) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == "download")
                           .order_by(AuditEntry.id)))


def test_template_download_is_audited(app_people, db) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/import_export.py").run()
    assert not at.exception
    assert _downloads(db) == []  # rendering the button is no download
    buttons = at.get("download_button")
    assert buttons, "the template download is offered"
    buttons[0].click().run()
    assert not at.exception
    entries = _downloads(db)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.username == Role.CLERK.value
    assert entry.detail["what"] == "template.customers"
    assert entry.detail["file_name"].endswith(".xlsx") and entry.detail["bytes"] > 0


def test_export_download_is_audited_besides_its_preparation(app_people, db) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/customers/list.py").run()
    assert not at.exception
    prepare = [b for b in at.button if b.label == "生成 Excel 文件"]
    assert prepare, [b.label for b in at.button]
    prepare[0].click().run()
    db.expire_all()
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "export.customers"))
    at.get("download_button")[0].click().run()
    assert not at.exception
    entries = _downloads(db)
    assert [e.detail["what"] for e in entries] == ["export.customers"]
    assert entries[0].username == Role.MANAGER.value
    assert not at.get("download_button")  # the prepared file is handed out once, as before


def test_charts_offer_no_unaudited_image_download() -> None:
    """Plotly's "Download plot as png" is a browser-side download: removed from every chart."""
    from components.charts import PLOTLY_CONFIG

    assert "toImage" in PLOTLY_CONFIG["modeBarButtonsToRemove"]
    calls = []
    for path in [ROOT / "app.py", *ROOT.glob("screens/**/*.py"), *ROOT.glob("components/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "plotly_chart":
                config = [k.value for k in node.keywords if k.arg == "config"]
                calls.append((path.name, isinstance(config[0], ast.Name)
                              and config[0].id == "PLOTLY_CONFIG" if config else False))
    assert calls and all(ok for _, ok in calls), calls
