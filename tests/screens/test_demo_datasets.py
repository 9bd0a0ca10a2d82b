"""The home page's demo section (issue 17): it names the dataset the demo database holds, and
the trainer picks the dataset when resetting it (AppTest)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from components.demo_datasets import current_dataset
from core.vocab import Role
from services import demo
from services.system.database_facts import demo_dataset
from tests.support.app import logged_in

RESET_POPOVER = "home_demo_reset"


def _texts(at: Any) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                    + [s.value for s in at.success])


def test_the_trainer_resets_to_the_picked_dataset(engine: Engine,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    demo.seed_demo(engine, customers=5, seed=1)
    real = demo.reset_demo
    picked: list[str] = []

    def small_reset(eng: Engine, actor: Any, dataset: str = "general") -> demo.SeedReport:
        picked.append(dataset)
        return real(eng, actor, customers=8, seed=2, dataset=dataset)

    monkeypatch.setattr(demo, "reset_demo", small_reset)
    at = logged_in(Role.TRAINER).run()
    assert not at.exception
    assert "当前演示数据：通用" in _texts(at)
    at.session_state[RESET_POPOVER] = True  # the trainer opened the popover
    at.run()
    radio = next(r for r in at.radio if r.key == "demo_reset_dataset")
    assert radio.value == "general" and list(radio.options) == [
        "通用", "电商（网店）", "金融（银行网点）", "医疗（诊所）"]
    radio.set_value("healthcare").run()
    assert "患者" in _texts(at)  # what the picked dataset holds, described below the pick
    next(b for b in at.button if b.key == "demo_reset").click().run()
    assert not at.exception, at.exception
    assert picked == ["healthcare"]
    with engine.connect() as conn:
        assert demo_dataset(conn) == "healthcare"
    shown = _texts(at)
    assert "演示数据已重置为「医疗（诊所）」" in shown and "当前演示数据：医疗（诊所）" in shown


def test_a_database_seeded_before_datasets_shows_general(engine: Engine) -> None:
    demo.seed_demo(engine, customers=3, seed=1)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM database_facts WHERE key = 'demo_dataset'")
    assert current_dataset() == "general"
