"""The command line exactly per spec: one JSON object on stdout, exit codes 0 / 2 / 1,
--dry-run, --on-duplicate, export and template. Run as real subprocesses against the test
database (CRM_DATABASE_URL and the test secrets passed through)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import PROJECT_ROOT
from db.models import AuditEntry, Customer
from tests.support.excel import HEADER, customer_row, read_xlsx, snapshot, xlsx

KEYS = ["inserted", "updated", "duplicates", "rejected", "blank", "errors", "warnings"]


def manage(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRM_DATABASE_URL": url}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def as_json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.stdout.count("\n") == 1, proc.stdout  # exactly one line: one JSON object
    data = json.loads(proc.stdout)
    assert list(data) == KEYS
    return data


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "客户.xlsx"
    good.write_bytes(xlsx([HEADER, customer_row(name="甲", mobile="13800000001"),
                           customer_row(name="乙", email="bad"), [None] * 19,
                           customer_row(name="丙", mobile="13800000001")]))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("客户名称,手机号\n甲,13800000001\n", encoding="utf-8")
    no_name = tmp_path / "no_name.xlsx"
    no_name.write_bytes(xlsx([["手机号"], ["13800000001"]]))
    return {"good": good, "fake": fake, "no_name": no_name, "dir": tmp_path}


def test_import_prints_one_json_object_and_exits_0(database_url: str, files, db: Session
                                                   ) -> None:
    dry = manage(database_url, "import-customers", str(files["good"]), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    before = snapshot(db)
    assert before["customers"] == [] and before["imports"] == 0
    proc = manage(database_url, "import-customers", str(files["good"]), "--json")
    assert proc.returncode == 0, proc.stderr
    data = as_json(proc)
    assert data == as_json(dry)
    assert {k: data[k] for k in KEYS[:5]} == {"inserted": 1, "updated": 0, "duplicates": 1,
                                              "rejected": 1, "blank": 1}
    assert data["errors"] == [{"row": 3, "column": "邮箱",
                               "message": "邮箱：“bad” 不是有效的邮箱地址，应形如 "
                                          "name@example.com"}]
    assert data["warnings"] == []
    db.expire_all()
    assert db.scalars(select(Customer.name)).all() == ["甲"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "import.customers")).one()
    assert entry.username == "cli" and entry.detail["file_name"] == "客户.xlsx"
    again = as_json(manage(database_url, "import-customers", str(files["good"]), "--json"))
    assert (again["inserted"], again["duplicates"]) == (0, 2)


def test_update_mode_and_plain_output(database_url: str, files, tmp_path: Path,
                                      db: Session) -> None:
    manage(database_url, "import-customers", str(files["good"]), "--json")
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(xlsx([HEADER, customer_row(name="甲", mobile="13800000001",
                                                   city="上海")]))
    proc = manage(database_url, "import-customers", str(changed), "--on-duplicate", "update")
    assert proc.returncode == 0 and "更新 1" in proc.stdout
    db.expire_all()
    assert db.scalars(select(Customer.city)).one() == "上海"


@pytest.mark.parametrize("which", ["fake", "no_name", "missing"])
def test_unreadable_files_exit_2(database_url: str, files, which: str) -> None:
    path = files["dir"] / "missing.xlsx" if which == "missing" else files[which]
    proc = manage(database_url, "import-customers", str(path), "--json")
    assert proc.returncode == 2
    data = as_json(proc)
    assert data["inserted"] == 0 and data["errors"][0]["row"] is None
    assert data["errors"][0]["message"]


def test_other_failures_exit_1(files, tmp_path: Path) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'empty.db'}"
    proc = manage(unmigrated, "import-customers", str(files["good"]), "--json")
    assert proc.returncode == 1
    assert as_json(proc)["errors"][0]["message"]


def test_export_and_template(database_url: str, files, tmp_path: Path, db: Session) -> None:
    manage(database_url, "import-customers", str(files["good"]))
    out = tmp_path / "out" / "customers.xlsx"
    proc = manage(database_url, "export-customers", str(out))
    assert proc.returncode == 0, proc.stderr
    sheets = read_xlsx(out.read_bytes())
    assert list(sheets) == ["客户"] and sheets["客户"][0] == HEADER
    assert sheets["客户"][1][4] == "13800000001"
    db.expire_all()
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.customers")).one()
    assert entry.username == "cli" and entry.detail["rows"] == 1
    template = tmp_path / "template.xlsx"
    assert manage(database_url, "template", str(template)).returncode == 0
    assert read_xlsx(template.read_bytes())["客户"][0] == HEADER
    orders = tmp_path / "orders.xlsx"
    assert manage(database_url, "template", str(orders), "--kind", "orders").returncode == 0
    assert "交易记录" in read_xlsx(orders.read_bytes())


def test_a_killed_import_leaves_nothing_half_imported(database_url: str, tmp_path: Path,
                                                      db: Session) -> None:
    """One transaction: killed part-way, the database has all of the file or none of it."""
    import signal
    import time

    rows = [HEADER] + [customer_row(name=f"客户{i}", mobile=f"1380{i:07d}")
                       for i in range(3000)]
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx(rows))
    env = {**os.environ, "CRM_DATABASE_URL": database_url}
    proc = subprocess.Popen([sys.executable, "manage.py", "import-customers", str(path),
                             "--json"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    time.sleep(3.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    db.expire_all()
    count = len(db.scalars(select(Customer.id)).all())
    assert count in (0, 3000)
