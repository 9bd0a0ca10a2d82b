"""Issue 14: the audit log and the change log read as a person reads them — labels for
actions, fields and values, local times, display names, a one-click way to the customer — and
the audit log exports (audited, formula-safe)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from core.vocab import Role
from db.models import AuditEntry
from services.access import audit, audit_view
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_customer

WHEN = datetime(2026, 12, 5, 7, 26, tzinfo=UTC)
RAW = ("customer.update", "['", "T07:26", "+00:00", "rule", "customer ", "clerk\n")


def _seed(db, app_people):
    clerk = app_people[Role.CLERK]
    customer = make_customer(db, name="欧阳测试", tier="黄金")
    audit.record(db, actor_for(clerk), "customer.update", "customer", customer.id,
                 changes={"tags": [["老客户"], ["老客户", "VIP"]],
                          "tier_source": ["rule", "manual"],
                          "last_reviewed_at": [None, WHEN.isoformat()],
                          "city": ["=HYPERLINK(\"http://x\")", "杭州市"]},
                 detail={"version": 2})
    db.commit()
    return customer


def test_audit_log_reads_as_labels_local_times_and_names(app_people, db) -> None:
    customer = _seed(db, app_people)
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/audit.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    text = frame.to_string()
    row = frame.iloc[0]
    assert row.iloc[1] == "clerk-name（clerk）"
    assert row.iloc[2] == "修改客户"
    assert customer.customer_no in row.iloc[3] and "欧阳测试" in row.iloc[3]
    details = row.iloc[4]
    assert "标签：老客户 → 老客户、VIP" in details
    assert "等级来源：按规则 → 手动设置" in details
    assert "2026-12-05 15:26" in details
    for raw in ("customer.update", "['", "T07:26", "+00:00", "customer "):
        assert raw not in text, raw
    # One click on the row opens the customer in this tab.
    at.session_state["audit_grid"] = {"selection": {"rows": [], "columns": [],
                                                    "cells": [[0, frame.columns[3]]]}}
    at.run()
    assert not at.exception
    assert "欧阳测试" in [t.value for t in at.title]


def test_change_log_reads_as_labels(app_people, db) -> None:
    customer = _seed(db, app_people)
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/customers/profile.py").run()
    at.query_params["id"] = str(customer.id)
    at.switch_page("screens/customers/profile.py").run()
    history = next(f.value for f in at.dataframe if "变更前" in " ".join(f.value.columns)
                   or "修改前" in " ".join(f.value.columns))
    text = history.to_string()
    assert "老客户、VIP" in text and "按规则" in text and "2026-12-05 15:26" in text
    assert "clerk-name" in text
    for raw in ("['", "T07:26", "rule"):
        assert raw not in text, raw


def test_audit_log_export_is_audited_and_formula_safe(app_people, db) -> None:
    _seed(db, app_people)
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/audit.py").run()
    at.button(key="audit_export_prepare").click().run()
    assert not at.exception
    data = at.session_state["audit_export"][1]
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "修改客户" in [c.value for c in cells]
    assert any("HYPERLINK" in str(c.value) for c in cells)
    assert all(c.data_type != "f" for c in cells)  # text stays text, never a formula
    db.expire_all()
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "export.audit_log")).all()


def test_lines_read_an_export_sized_page(app_people, db) -> None:
    """The export reads up to 100,000 entries at once: the lookups behind the labels are
    chunked, never one IN list over the database's bound-parameter limit."""
    customer = _seed(db, app_people)
    entries = [AuditEntry(id=i, at=WHEN, user_id=None, username="cli", action="customer.update",
                          entity="customer", entity_id=str(customer.id + i), changes=None,
                          detail=None) for i in range(70_000)]
    lines = audit_view.lines(db, entries)
    assert len(lines) == 70_000
    assert lines[0].customer_id == customer.id and lines[1].customer_id is None
