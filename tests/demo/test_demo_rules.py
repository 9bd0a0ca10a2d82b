"""Demo data a trainer can teach from (issue 17): each rule of ``services.demo.rules`` holds
over several seeds, sizes and days of the year (one of them a year end).

Each database is seeded once for the module; every test asks one rule for its offending items
and expects none (the same rules fail on the data of the flat ``services/demo.py``: spikes on
the last day, every due contract 跟进中, complaints open for a year without a step, 唐山
customers on 沈阳大道, quarters that are not the sum of their months, 88 % 白银).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.engine import make_engine
from services.demo import rules, seed_demo

CASES = (  # seed, customers, today
    (1, 1500, date(2026, 10, 20)),
    (7, 800, date(2026, 3, 31)),
    (42, 1200, date(2026, 12, 28)),
)


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"seed{c[0]}-{c[1]}")
def seeded(request: pytest.FixtureRequest, sqlite_template: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, date]]:
    seed, customers, today = request.param
    path = tmp_path_factory.mktemp("rules") / f"demo{seed}.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    seed_demo(engine, customers=customers, seed=seed, today=today)
    yield engine, today
    engine.dispose()


def test_no_spikes_at_the_edges_of_the_range(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    with engine.connect() as conn:
        assert rules.day_spikes(conn, today) == []


def test_contracts_due_soon_have_a_mix_of_outcomes(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    with engine.connect() as conn:
        assert rules.renewal_mix(conn, today) == []


def test_the_churn_rule_on_contracts_fires(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    with Session(engine) as session:
        assert rules.churn_contract_silent(session, today) == []


def test_complaint_durations_match_status_and_steps(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    with engine.connect() as conn:
        assert rules.complaint_mismatches(conn, today) == []


def test_cities_and_addresses_agree(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with engine.connect() as conn:
        assert rules.address_mismatches(conn) == []


def test_renewal_targets_add_up(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with engine.connect() as conn:
        assert rules.target_mismatches(conn) == []


def test_tier_mix_is_near_the_profile(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with engine.connect() as conn:
        assert rules.tier_mix_off(conn) == []


def test_all_problems_names_every_rule(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    with Session(engine) as session:
        problems = rules.all_problems(session, today)
    assert set(problems) == {"day_spikes", "renewal_mix", "churn_contract_silent",
                             "complaint_mismatches", "address_mismatches",
                             "target_mismatches", "tier_mix_off"}
    assert all(not items for items in problems.values()), problems


# ---- each rule can fail ---------------------------------------------------------------------

def test_edge_spikes_sees_a_heap_on_the_last_day() -> None:
    first, last = date(2026, 1, 1), date(2026, 4, 30)
    days = [date.fromordinal(first.toordinal() + k % 120) for k in range(1200)]
    assert rules.edge_spikes(days, first, last, "orders") == []
    heaped = days + [last] * 60
    assert rules.edge_spikes(heaped, first, last, "orders")[0].startswith(
        "orders: the last 1 day(s) have 70")


def test_complaint_problems_sees_an_old_pending_complaint() -> None:
    from datetime import datetime
    from types import SimpleNamespace

    old = SimpleNamespace(status="待处理", handling_steps=None, solution=None,
                          received_at=datetime(2025, 1, 1, 2, tzinfo=UTC),
                          resolved_at=None, resolution_minutes=None, closed_at=None)
    assert rules.complaint_problems(old, date(2026, 10, 1)) == ["待处理 for 638 days with 0 steps"]
