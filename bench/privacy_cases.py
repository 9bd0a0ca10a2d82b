#!/usr/bin/env python3
"""Benchmark row of erasure (data-protection.md): ``erase: one customer, 200 records`` erases
one customer who has 200 records (orders, contacts, visits, complaints with their steps,
surveys, contracts) and an audit entry for each, as ``manage.py erase-customer`` does it: the
erasure in one transaction, then the WAL checkpoint (SQLite). Budget: 1 s (issue 16).

Each timed run erases a fresh customer: the next one is made, untimed, after each run (the
warm-up run makes the first).

Listed in ``bench/run.py``; standalone, against an existing database::

    .venv/bin/python bench/privacy_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 5]
"""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import Session

from bench.harness import BenchContext, Rows, standalone
from core import clock
from db.models import (
    Complaint,
    ComplaintEvent,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Survey,
)
from services.access import audit, crypto
from services.privacy.erasure import erase_customer, finish

ERASE_MS = 1000
RECORDS = 200
_READY: dict[int, list[int]] = {}

CASES = Rows()


def make_customer(ctx: BenchContext) -> int:
    """A customer with every personal field, ``RECORDS`` records with free text (a fifth of
    each kind but contracts) and one audit entry per record quoting its text."""
    tag = uuid.uuid4().hex[:10]
    now = clock.now()
    today = clock.today()
    with Session(ctx.engine) as session:
        c = Customer(customer_no=f"B{tag}", name=f"待删客户{tag[:4]}", customer_type="个人",
                     gender="女", mobile=f"139{int(tag[:8], 16) % 10**8:08d}",
                     phone="+862087654321", email=f"{tag}@example.cn",
                     id_number_enc=crypto.encrypt("44010519850312417X"),
                     id_number_hash=crypto.keyed_hash(f"bench-{tag}"), company="基准科技公司",
                     title="经理", industry="科技", province="广东省", city="广州市",
                     address="广州市天河区某路一号", notes="基准测试备注" * 5, created_at=now,
                     updated_at=now)
        session.add(c)
        session.flush()
        per = RECORDS // 5
        texts = []
        for i in range(per):
            day = today - timedelta(days=i + 1)
            session.add(Order(customer_id=c.id, order_no=f"B{tag}-{i}", order_date=day,
                              product="维保服务", quantity=1, amount=Decimal("100"),
                              created_at=now))
            session.add(Interaction(customer_id=c.id, occurred_at=now - timedelta(days=i + 1),
                                    method="电话", content=f"沟通内容{tag}{i}", created_at=now))
            session.add(FollowUp(customer_id=c.id, planned_date=day, done_date=day, method="电话",
                                 content=f"回访内容{tag}{i}", feedback="满意", created_at=now))
            complaint = Complaint(customer_id=c.id, channel="电话", complaint_type="产品质量",
                                  description=f"投诉描述{tag}{i}", received_at=now,
                                  status="已解决", solution="已处理", created_at=now)
            session.add(complaint)
            session.flush()
            session.add(ComplaintEvent(complaint_id=complaint.id, at=now, action="note",
                                       note=f"处理步骤{tag}{i}"))
            session.add(Survey(customer_id=c.id, survey_date=day, score=4,
                               comment=f"评价{tag}{i}", created_at=now))
            texts.append(f"沟通内容{tag}{i}")
        session.add(Contract(customer_id=c.id, contract_no=f"K{tag}", start_date=today,
                             end_date=today + timedelta(days=365), amount=Decimal("1000"),
                             created_at=now))
        audit.record_many(session, ctx.actor, "interaction.create",
                          [("customer", c.id, {"content": [None, t]}, None) for t in texts]
                          * 5)
        session.commit()
        return c.id


def _prepare(ctx: BenchContext, _result: object = None) -> None:
    _READY.setdefault(id(ctx.engine), []).append(make_customer(ctx))


@CASES.case("erase: one customer, 200 records", ERASE_MS)
def erase_one(ctx: BenchContext) -> int:
    ready = _READY.setdefault(id(ctx.engine), [])
    if not ready:  # the warm-up run
        _prepare(ctx)
    customer_id = ready.pop()
    with Session(ctx.engine) as session:
        done = erase_customer(session, ctx.actor, customer_id, "基准测试")
        session.commit()
    finish(ctx.engine)
    return done.records


CASES[-1] = type(CASES[-1])(CASES[-1].name, CASES[-1].budget_ms, CASES[-1].run,
                            after=_prepare)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, CASES))
