"""``verify-audit`` passes after ``init-db``, a demo seed and erasures (demo customers have
records of every kind, bulk-seeded audit entries and notes naming a contact person)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import manage
from db.models import Customer


def test_demo_seed_then_erasures_verify(engine: Engine, settings, capsys) -> None:
    assert manage.main(["init-db"]) == 0
    assert manage.main(["seed-demo", "--customers", "40", "--quiet"]) == 0
    with Session(engine) as session:
        numbers = session.scalars(select(Customer.customer_no).order_by(Customer.id)
                                  .limit(3)).all()
    for number in numbers:
        assert manage.main(["erase-customer", number, "--reason", "演示删除"]) == 0
    capsys.readouterr()
    assert manage.main(["verify-audit"]) == 0, capsys.readouterr()
    with Session(engine) as session:
        names = session.scalars(select(Customer.name).where(
            Customer.customer_no.in_(numbers))).all()
    assert sorted(names) == sorted(f"已删除客户{n}" for n in numbers)


@pytest.mark.parametrize("args", [["erase-customer", "--help"]])
def test_help(args: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        manage.main(args)
    assert exit_.value.code == 0
    assert "irreversibly" in capsys.readouterr().out
