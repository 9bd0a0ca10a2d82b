"""AppTest: every page for every role, what each sees and what it cannot reach."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role
from tests.support.app import APP, MARKERS, PAGES, REACHABLE, logged_in, navigation_pages, texts


def test_anonymous_sees_only_the_login_form(app_people) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert "欧阳娜娜" not in texts(at)
    with pytest.raises(ValueError):
        at.switch_page("screens/customers/list.py")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_its_pages(app_people, role: Role) -> None:
    at = logged_in(role).run()
    assert not at.exception, at.exception
    assert navigation_pages(at) == REACHABLE[role]
    markers = {**MARKERS, "screens/home.py": f"您好，{role.value}-name"}
    for page in PAGES:
        if page in REACHABLE[role]:
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
            assert markers[page] in texts(at), page
            assert not at.error, (page, [e.value for e in at.error])
        else:
            # Not reachable through the navigation, and even the page file run directly
            # (bypassing the navigation) checks the role itself.
            with pytest.raises(ValueError):
                at.switch_page(page)
            alone = logged_in(role, str(Path(APP).parent / page)).run()
            assert not alone.exception, (page, alone.exception)
            assert markers[page] not in [t.value for t in alone.title]
            assert "无权使用" in texts(alone)
            assert not alone.dataframe


@pytest.mark.parametrize("role", list(Role))
def test_customer_list_masks_contacts_for_every_role(app_people, role: Role) -> None:
    at = logged_in(role).run()
    at.switch_page("screens/customers/list.py").run()
    frame = at.dataframe[0].value
    assert "欧阳娜娜" in frame.to_string()
    assert "13912345678" not in frame.to_string()
    assert "139****5678" in frame.to_string()


def test_search_box_filters_the_list(app_people) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/list.py").run()
    at.text_input(key="q").set_value("5678").run()
    frame = at.dataframe[0].value.to_string()
    assert "欧阳娜娜" in frame and "云帆" not in frame
    at.text_input(key="q").set_value("没有这个人").run()
    assert "没有符合条件的客户" in texts(at)


def test_home_tells_the_role_what_it_can_do(app_people) -> None:
    at = logged_in(Role.CLERK).run()
    assert "您是录入员" in texts(at)
    assert "clerk-name" in texts(at)


def test_admin_creates_a_user(app_people) -> None:
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/users.py").run()
    at.text_input[0].set_value("newclerk")
    at.text_input[1].set_value("新来的")
    at.text_input[2].set_value("long-enough-pw")
    at.button[0].click().run()
    assert not at.exception
    assert any("newclerk" in s.value for s in at.success)


def test_language_switch_is_remembered_per_user(app_people, db) -> None:
    from db.models import User

    at = logged_in(Role.CLERK).run()
    at.sidebar.selectbox(key="crm_lang_picker").set_value("en").run()
    assert "You are a clerk" in texts(at)
    db.expire_all()
    assert db.get(User, app_people[Role.CLERK].id).language == "en"
    fresh = logged_in(Role.CLERK).run()
    assert "You are a clerk" in texts(fresh)


def test_session_of_deactivated_user_ends(app_people, db) -> None:
    at = logged_in(Role.CLERK).run()
    assert "您是录入员" in texts(at)
    user = app_people[Role.CLERK]
    user.active = False
    user.sessions_revoked_at = now()
    db.commit()
    # The page refuses, and the session goes back to the app's login form, which says why.
    at.switch_page("screens/customers/list.py").run()
    assert not at.dataframe
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert "登录已失效" in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_file_run_alone_stops_without_data(app_people, page: str) -> None:
    at = AppTest.from_file(str(Path(APP).parent / page), default_timeout=30).run()
    assert not at.exception
    assert "请先登录" in texts(at)
    assert not at.dataframe


@pytest.mark.parametrize("role,visible", [(Role.TRAINER, True), (Role.ADMIN, True),
                                          (Role.CLERK, False), (Role.MANAGER, False)])
def test_demo_reset_button_for_trainers_and_admins(app_people, role: Role, visible: bool) -> None:
    at = logged_in(role).run()
    assert any(b.label == "重置演示数据" for b in at.button) is visible
