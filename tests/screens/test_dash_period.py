"""The 期间 picker after a change of period type (月 → 季度 → 年)."""

from __future__ import annotations

import pytest

from core.vocab import Role
from tests.support import dashboard_data as data
from tests.support.app import logged_in
from tests.support.factories import make_user

OVERVIEW = "screens/analysis/overview.py"


pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def world(db):
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    db.commit()
    return data.build(db)


def _picker(at):
    return next(s for s in at.selectbox if s.label == "期间")


def _shown(at, before: tuple[str, str] | None) -> str:
    """What the browser shows in the picker: a widget it already has (same id) keeps the
    value it shows unless the server sets a new one; a new widget shows its default."""
    picker = _picker(at)
    options = list(picker.proto.options)
    if before is not None and picker.id == before[0] and not picker.proto.set_value:
        return before[1]
    if picker.proto.set_value and picker.proto.raw_value:
        return picker.proto.raw_value
    return options[picker.proto.default]


def test_the_picker_shows_a_period_of_the_chosen_type(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    shown = _shown(at, None)
    assert shown == "2026年6月"
    steps = (("quarter", "2026年第2季度", "2026-Q2"), ("year", "2026年", "2026"),
             ("month", "2026年6月", "2026-06"))
    for kind, name, token in steps:
        before = (_picker(at).id, shown)
        at.segmented_control(key="dash_kind").set_value(kind).run()
        assert not at.exception, at.exception
        shown = _shown(at, before)
        # Failed before: after 月 → 季度 the picker still showed "2026年6月".
        assert shown == name, (kind, shown)
        assert _picker(at).value == token
        assert at.query_params["p"] in (token, [token])


def test_an_older_period_chosen_then_a_type_change_starts_at_the_current_one(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    _picker(at).set_value("2025-12").run()
    before = (_picker(at).id, "2025年12月")
    at.segmented_control(key="dash_kind").set_value("quarter").run()
    assert _shown(at, before) == "2026年第2季度"
    assert _picker(at).value == "2026-Q2"
