"""Issue 14, reading the screens (AppTest): the result of an import stays on the page and names
every count (inserted, updated, skipped, rejected, held) with the rejected rows to download; a
demo reset closes its confirm popover and shows what it did instead of staying ready to reset
again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from components.excel_ui import IMPORT_DONE, ImportDone
from core.vocab import Role
from services import customers as cr
from services import demo
from services.excel import run_import
from tests.support.app import logged_in
from tests.support.excel import HEADER, customer_row, xlsx
from tests.support.factories import actor_for, make_user

RESET_POPOVER = "home_demo_reset"


def _alerts(at: Any) -> str:
    return "\n".join(str(e.value) for kind in (at.success, at.warning, at.info)
                     for e in kind).replace("\\", "")


@pytest.fixture
def clerk_result(db: Session) -> ImportDone:
    clerk = actor_for(make_user(db, Role.CLERK.value, Role.CLERK), demo_mode=False)
    for role in (Role.ADMIN, Role.MANAGER, Role.TRAINER):
        make_user(db, role.value, role)
    cr.create_customer(db, clerk, {"name": "已有", "mobile": "13900000009"})
    db.commit()
    rows = [HEADER, customer_row(name="新客户", mobile="13900000001"),
            customer_row(name="错号码", mobile="139"),
            customer_row(name="已有", mobile="13900000009")]
    result = run_import(db, clerk, xlsx(rows), "三行*客户*.xlsx")
    db.commit()
    assert (result.summary.inserted, result.summary.rejected, result.summary.duplicates) == (
        1, 1, 1)
    return ImportDone.of(result, "zh")


def test_the_import_result_stays_and_names_every_count(clerk_result: ImportDone) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/import_export.py")
    at.session_state[IMPORT_DONE] = clerk_result
    at.run()
    assert not at.exception
    shown = _alerts(at)
    assert "三行*客户*.xlsx" in shown
    for part in ("新增 1", "更新 0", "跳过（重复）1", "有误未导入 1", "待核对 0"):
        assert part in shown, (part, shown)
    assert any(b.label.startswith("下载有误的行") for b in at.get("download_button"))
    assert {m.label: m.value for m in at.metric}["有误"] == "1"
    at.run()  # still there after any other rerun: not a toast that vanishes
    assert "有误未导入 1" in _alerts(at)
    next(b for b in at.button if b.key == "io_done_close").click().run()
    assert not at.exception
    assert "有误未导入" not in _alerts(at)
    assert IMPORT_DONE not in at.session_state


def test_the_result_workbook_holds_the_rejected_rows(clerk_result: ImportDone) -> None:
    import io

    import openpyxl

    assert clerk_result.rejected_xlsx is not None
    sheet = openpyxl.load_workbook(io.BytesIO(clerk_result.rejected_xlsx)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "错号码" in rows[1]


def test_a_demo_reset_closes_its_popover_and_shows_the_result(
        engine: Any, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    demo.seed_demo(engine, customers=5, seed=1)
    real = demo.reset_demo
    monkeypatch.setattr(demo, "reset_demo",
                        lambda eng, actor, dataset="general": real(
                            eng, actor, customers=6, seed=2, dataset=dataset))
    at = logged_in(Role.TRAINER).run()
    assert not at.exception
    at.session_state[RESET_POPOVER] = True  # the trainer opened the popover
    at.run()
    next(b for b in at.button if b.key == "demo_reset").click().run()
    assert not at.exception, at.exception
    assert at.session_state[RESET_POPOVER] is False
    assert "演示数据已重置" in _alerts(at) and "6" in _alerts(at)
