"""The 导入导出 page's export tab: the prepare button makes the file and offers the download.

The export reports its progress as stage "export"; a progress text missing from the catalog
once crashed the button on every click.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import AuditEntry, Customer
from tests.support.app import logged_in
from tests.support.factories import make_customer


def test_prepare_then_download_the_customer_export(db: Session, app_people: dict) -> None:
    for name in ("甲客户", "乙客户"):
        make_customer(db, name=name)
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/import_export.py").run()
    assert not at.exception, at.exception
    prepare = next(b for b in at.button if b.label == "生成 Excel 文件")
    prepare.click().run()
    assert not at.exception, at.exception
    assert at.session_state["io_export"][1][:2] == b"PK"  # an xlsx file, ready to download
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.customers")).all()
    shown = db.scalar(select(func.count()).select_from(Customer))  # app_people adds two more
    assert [(e.detail["rows"], e.detail["masked"]) for e in entries] == [(shown, True)]
