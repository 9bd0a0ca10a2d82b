"""The one export control (issue 15) on pages whose own copy no other test clicked: prepare
makes the file of what the page shows, kept with what it was made for."""

from __future__ import annotations

import io

import openpyxl

from core import clock
from core.vocab import Role
from db.models import Complaint
from tests.screens.test_app_renewals import data  # noqa: F401 - the renewals page's fixture
from tests.support.app import logged_in
from tests.support.factories import make_customer


def _cells(blob: bytes) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    return {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}


def test_renewals_due_list_export(data) -> None:  # noqa: F811 - the fixture
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/service/renewals.py").run()
    at.button(key="due_export_prepare").click().run()
    assert not at.exception
    wanted, blob = at.session_state["due_export"]
    assert wanted is None  # the due list's file does not depend on a filter
    assert "HT-NANA" in _cells(blob)


def test_complaint_queue_export(data, db) -> None:  # noqa: F811 - the fixture
    customer = make_customer(db, name="投诉客户", mobile="13600001111")
    db.add(Complaint(customer_id=customer.id, channel="电话", complaint_type="产品质量",
                     description="坏了", received_at=clock.now(), status="待处理",
                     created_at=clock.now()))
    db.commit()
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/service/complaints.py").run()
    at.button(key="complaints_export_prepare").click().run()
    assert not at.exception
    _, blob = at.session_state["complaints_export"]
    assert "投诉客户" in _cells(blob)
