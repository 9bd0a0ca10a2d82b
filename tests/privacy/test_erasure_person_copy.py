"""A copy for the person (data-protection.md): ``manage.py export-person`` writes every field
in full and every record, one sheet per kind, a cover sheet (when, by whom); audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import manage
from core.vocab import Role
from db.models import AuditEntry
from services.access.roles import PermissionDenied
from services.privacy.person_copy import write_person_copy
from tests.privacy.test_erasure_bytes import (
    COMPLAINT,
    CONSENT_NOTE,
    CONTACT,
    FEEDBACK,
    ID_NUMBER,
    NAME,
    NEW_MOBILE,
    NOTES,
    STEP,
    SURVEY,
    TAG,
    seeded,  # noqa: F401 - fixture
)
from tests.support.factories import actor_for, make_user


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_export_person_holds_everything(engine: Engine, seeded, tmp_path: Path,  # noqa: F811
                                        capsys) -> None:
    out = tmp_path / "copy.xlsx"
    assert manage.main(["export-person", seeded["no"], str(out)]) == 0, capsys.readouterr()
    sheets = _sheets(out)
    assert list(sheets) == ["封面", "客户信息", "交易记录", "沟通记录", "回访记录", "投诉",
                            "投诉处理步骤", "满意度调查", "合同", "续约", "授权记录", "等级变更"]
    cover = {r[0]: r[1] for r in sheets["封面"]}
    assert cover["客户编号"] == seeded["no"] and cover["生成人"] == "cli"
    assert cover["生成时间"] is not None
    fields = {r[0]: r[1] for r in sheets["客户信息"][1:]}
    assert NAME in fields.values() and NEW_MOBILE in fields.values()
    assert ID_NUMBER in fields.values() and NOTES in fields.values()
    assert TAG in str(fields.values())
    text = str(sheets)
    for value in (CONTACT, FEEDBACK, COMPLAINT, STEP, SURVEY, CONSENT_NOTE):
        assert value in text, value
    assert len(sheets["交易记录"]) == 2 and len(sheets["投诉"]) == 2
    assert len(sheets["投诉处理步骤"]) >= 4  # create, start, the step, resolve
    assert len(sheets["授权记录"]) == 2 and len(sheets["等级变更"]) >= 1
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "customer.export_person")).one()
        assert entry.username == "cli" and entry.entity_id == str(seeded["id"])
        assert entry.detail["sheets"]["orders"] == 1


def test_only_admins(engine: Engine, seeded, db: Session, tmp_path: Path) -> None:  # noqa: F811
    manager = actor_for(make_user(db, "mgr", role=Role.MANAGER))
    db.commit()
    with pytest.raises(PermissionDenied):
        write_person_copy(db, manager, seeded["id"], str(tmp_path / "x.xlsx"))
    assert manage.main(["export-person", "C000", str(tmp_path / "y.xlsx")]) == 1


def test_help(capsys) -> None:
    with pytest.raises(SystemExit):
        manage.main(["export-person", "--help"])
    assert "Art. 45" in capsys.readouterr().out
