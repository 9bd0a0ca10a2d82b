"""The case datasets (issue 17): each seeds, stays inside the app's vocabularies, and shows what
its case is about: 电商 many small orders and repeat buyers, 金融 one risk grade per customer
and renewed terms, 医疗 patients marked sensitive and hidden from trainees.

One database per dataset for the whole module (a few hundred customers each).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.settings import PROJECT_ROOT, load_settings
from core.vocab import (
    COMPLAINT_TYPES,
    ComplaintChannel,
    InteractionMethod,
    PaymentMethod,
    Role,
    VisitMethod,
)
from db.engine import make_engine
from db.models import (
    AuditEntry,
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    Survey,
    Tag,
    customer_tags,
)
from services.access.masking import HIDDEN_TEXT, SENSITIVE_TAGS
from services.access.roles import Actor
from services.customers.profile import get_profile
from services.customers.timelines import timeline
from services.demo import DATASETS, PROFILES, rules, seed_demo
from services.demo import get_profile as dataset_profile
from services.demo.datasets import RISK_GRADES
from services.system.database_facts import demo_dataset
from tests.support.factories import make_user

TODAY = date(2026, 6, 30)
CUSTOMERS = 1000


@pytest.fixture(scope="module")
def dataset_db(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Callable[[str], Engine]]:
    """A database seeded with a dataset, seeded once for the whole module."""
    made: dict[str, Engine] = {}

    def get(name: str) -> Engine:
        if name not in made:
            path = tmp_path_factory.mktemp(f"dataset-{name}") / "crm.db"
            shutil.copy(sqlite_template, path)
            made[name] = make_engine(f"sqlite:///{path}")
            seed_demo(made[name], customers=CUSTOMERS, seed=42, today=TODAY, dataset=name)
        return made[name]

    yield get
    for engine in made.values():
        engine.dispose()


@pytest.fixture(params=DATASETS)
def seeded(request: pytest.FixtureRequest,
           dataset_db: Callable[[str], Engine]) -> tuple[str, Engine]:
    return request.param, dataset_db(request.param)


def values(engine: Engine, column) -> list:
    with engine.connect() as conn:
        return list(conn.scalars(select(column)))


def tags_by_customer(engine: Engine) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    with engine.connect() as conn:
        for cid, name in conn.execute(select(customer_tags.c.customer_id, Tag.name)
                                      .join(Tag, Tag.id == customer_tags.c.tag_id)):
            found.setdefault(cid, []).append(name)
    return found


# ---- every dataset ----------------------------------------------------------------------------

def test_the_dataset_is_recorded_and_audited(seeded: tuple[str, Engine]) -> None:
    name, engine = seeded
    with engine.connect() as conn:
        assert demo_dataset(conn) == name
        entry = conn.execute(select(AuditEntry).where(AuditEntry.action == "demo.seed")).one()
    assert entry.detail["dataset"] == name
    assert sorted(values(engine, Tag.name)) == sorted(PROFILES[name].tags)


def test_every_rule_holds(seeded: tuple[str, Engine]) -> None:
    """Each rule of ``services.demo.rules`` (a trainer can teach from the data), with the
    tier mix the dataset asks for."""
    name, engine = seeded
    with Session(engine) as session:
        problems = rules.all_problems(session, TODAY, PROFILES[name])
    assert {rule: found for rule, found in problems.items() if found} == {}


def test_values_stay_in_the_apps_vocabularies(seeded: tuple[str, Engine]) -> None:
    """A case words its texts to fit the app: a form opened on any record shows its values."""
    _, engine = seeded
    assert len(values(engine, Customer.id)) == CUSTOMERS
    assert set(values(engine, Customer.industry)) <= set(load_settings().industries)
    assert set(values(engine, Complaint.complaint_type)) <= set(COMPLAINT_TYPES)
    assert set(values(engine, Complaint.channel)) <= {c.value for c in ComplaintChannel}
    assert set(values(engine, Interaction.method)) <= {m.value for m in InteractionMethod}
    assert set(values(engine, FollowUp.method)) <= {m.value for m in VisitMethod}
    assert set(values(engine, Order.payment_method)) <= {m.value for m in PaymentMethod}
    assert max(len(p) for p in values(engine, Order.product)) <= 100
    assert max(len(c) for c in values(engine, Survey.channel) if c) <= 10
    assert max(len(p) for p in values(engine, FollowUp.purpose) if p) <= 200
    for table in (Order, Interaction, FollowUp, Complaint, Survey, Contract, Renewal):
        assert values(engine, table.id), table.__tablename__  # every kind of record present


# ---- 电商 --------------------------------------------------------------------------------------

def buying(engine: Engine) -> tuple[float, float, float]:
    """(median order amount, share of buyers with two orders or more, orders per buyer)."""
    amounts = [float(a) for a in values(engine, Order.amount)]
    per_buyer = Counter(values(engine, Order.customer_id))
    repeat = sum(1 for n in per_buyer.values() if n >= 2) / len(per_buyer)
    return statistics.median(amounts), repeat, len(amounts) / len(per_buyer)


def test_retail_many_small_orders_and_repeat_buyers(dataset_db: Callable[[str], Engine]) -> None:
    engine = dataset_db("retail")
    median, repeat, per_buyer = buying(engine)
    assert median < 500 and repeat >= 0.8 and per_buyer >= 6
    types = Counter(values(engine, Customer.customer_type))
    assert types["个人"] >= 0.9 * CUSTOMERS
    channels = Counter(values(engine, Complaint.channel))
    assert channels.most_common(1)[0][0] == "在线客服"  # returns come through the shop's chat
    assert any(d.startswith("申请退货") for d in values(engine, Complaint.description))
    reviewed = len(set(values(engine, Survey.customer_id)))  # reviews as surveys
    assert reviewed >= 0.5 * len(set(values(engine, Order.customer_id)))


def test_retail_differs_from_general_where_the_case_says(
        dataset_db: Callable[[str], Engine]) -> None:
    engine, general = dataset_db("retail"), dataset_db("general")
    median, repeat, per_buyer = buying(engine)
    g_median, g_repeat, g_per_buyer = buying(general)
    assert median < g_median / 10 and repeat > g_repeat and per_buyer > 1.5 * g_per_buyer


# ---- 金融 --------------------------------------------------------------------------------------

def test_finance_one_risk_grade_each_and_renewed_terms(dataset_db: Callable[[str], Engine]) -> None:
    engine = dataset_db("finance")
    tags = tags_by_customer(engine)
    for cid in values(engine, Customer.id):
        grades = [t for t in tags.get(cid, []) if t in RISK_GRADES]
        assert len(grades) == 1, (cid, tags.get(cid))
    assert set(Counter(t for ts in tags.values() for t in ts if t in RISK_GRADES)) \
        == set(RISK_GRADES)
    products = " ".join(values(engine, Order.product))
    assert all(word in products for word in ("理财", "基金", "险", "贷款"))
    with engine.connect() as conn:
        renewed = conn.scalar(select(func.count()).select_from(Contract)
                              .where(Contract.previous_contract_id.is_not(None)))
        outcomes = set(conn.scalars(select(Renewal.outcome)))
        holders = conn.scalar(select(func.count(func.distinct(Contract.customer_id))))
    assert renewed and outcomes == {"已续约", "未续约", "跟进中"}
    assert holders >= 0.3 * CUSTOMERS  # wealth-management terms are common at a branch


# ---- 医疗 --------------------------------------------------------------------------------------

def test_healthcare_patients_are_marked_sensitive(dataset_db: Callable[[str], Engine]) -> None:
    engine = dataset_db("healthcare")
    assert set(values(engine, Customer.customer_type)) == {"个人"}
    tags = tags_by_customer(engine)
    assert all(SENSITIVE_TAGS[0] in tags.get(cid, []) for cid in values(engine, Customer.id))
    assert any("回访" in (p or "") for p in values(engine, FollowUp.purpose))


def test_healthcare_texts_are_hidden_from_a_trainee(dataset_db: Callable[[str], Engine]) -> None:
    engine = dataset_db("healthcare")
    with Session(engine) as db:
        user = make_user(db, "学员09", Role.CLERK)
        db.commit()
        trainee = Actor(user_id=user.id, username=user.username, role=Role.CLERK,
                        demo_mode=True, trainee=True)
        clerk = Actor(user_id=user.id, username=user.username, role=Role.CLERK,
                      demo_mode=True)
        patient = db.scalars(select(Customer.id).where(Customer.notes.is_not(None))
                             .order_by(Customer.id)).first()
        assert patient is not None
        seen = get_profile(db, trainee, patient)
        assert seen.notes == HIDDEN_TEXT and seen.texts_hidden and "*" in (seen.mobile or "")
        assert get_profile(db, clerk, patient).notes not in (None, HIDDEN_TEXT)
        busy = db.scalars(select(Order.customer_id).group_by(Order.customer_id)
                          .order_by(func.count().desc(), Order.customer_id)).first()
        items = timeline(db, trainee, busy).items
        assert items and all(HIDDEN_TEXT in i.title() for i in items if i.kind == "order")
        products = {i.title() for i in timeline(db, clerk, busy).items if i.kind == "order"}
        assert not any(HIDDEN_TEXT in p for p in products)


def test_an_unknown_dataset_is_refused() -> None:
    with pytest.raises(KeyError, match="general, retail, finance, healthcare"):
        dataset_profile("insurance")


def test_every_dataset_seeds_and_resets_on_this_backend(engine: Engine) -> None:
    """Each backend's bulk path (COPY on PostgreSQL) takes every dataset, one after another
    with ``reset``: the tags are the dataset's own each time."""
    for n, name in enumerate(DATASETS):
        report = seed_demo(engine, customers=60, seed=5, today=TODAY, reset=n > 0,
                           dataset=name)
        assert report.counts["customers"] == 60
        with engine.connect() as conn:
            assert demo_dataset(conn) == name
        assert sorted(values(engine, Tag.name)) == sorted(PROFILES[name].tags)
        assert len(values(engine, Customer.id)) == 60


def test_manage_seed_demo_takes_a_dataset(database_url: str) -> None:
    """``--help`` names each dataset in Chinese and English; ``--dataset`` seeds that case."""
    help_text = subprocess.run([sys.executable, "manage.py", "seed-demo", "--help"],
                               cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert help_text.returncode == 0, help_text.stderr
    flat = " ".join(help_text.stdout.split())
    for words in ("general = 通用 / General", "retail = 电商（网店） / Retail (online shop)",
                  "finance = 金融（银行网点） / Finance (bank branch)",
                  "healthcare = 医疗（诊所） / Healthcare (clinic)"):
        assert words in flat, words
    env = {**os.environ, "CRM_DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "manage.py", "seed-demo", "--customers", "12",
                           "--dataset", "finance", "--quiet"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dataset finance" in done.stdout
    with make_engine(database_url).connect() as conn:
        assert demo_dataset(conn) == "finance"
    wrong = subprocess.run([sys.executable, "manage.py", "seed-demo", "--dataset", "bank"],
                           cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                           timeout=60)
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
