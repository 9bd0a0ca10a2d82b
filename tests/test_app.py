"""AppTest: every page for every role, what each sees and what it cannot reach."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role
from tests.factories import make_customer, make_user

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["screens/home.py", "screens/customers/list.py", "screens/customers/new.py",
         "screens/customers/profile.py", "screens/customers/import_export.py",
         "screens/admin/users.py", "screens/admin/tags.py", "screens/admin/audit.py",
         "screens/admin/retention.py", "screens/service/complaints.py",
         "screens/service/follow_ups.py", "screens/service/renewals.py"]
# The chart pages of the dashboards (managers, admins, trainers).
CHART_PAGES = {"screens/analysis/overview.py": "经营总览", "screens/analysis/churn.py": "流失预警",
               "screens/analysis/satisfaction.py": "满意度分析",
               "screens/analysis/renewals.py": "续约分析",
               "screens/analysis/complaints.py": "投诉分析",
               "screens/analysis/composition.py": "客户构成",
               "screens/analysis/account_managers.py": "客户经理业绩"}
PAGES += list(CHART_PAGES)
EVERYONE = {"screens/home.py", "screens/customers/list.py", "screens/customers/profile.py",
            "screens/customers/import_export.py", "screens/service/complaints.py",
            "screens/service/follow_ups.py", "screens/service/renewals.py"}
# config.toml is a demo database, where trainers may enter customers too.
NEW, AUDIT = "screens/customers/new.py", "screens/admin/audit.py"
REACHABLE = {
    Role.ADMIN: set(PAGES),
    Role.MANAGER: EVERYONE | {NEW, AUDIT} | set(CHART_PAGES),
    Role.CLERK: EVERYONE | {NEW},
    Role.TRAINER: EVERYONE | {NEW} | set(CHART_PAGES),
}
# What each page shows first (title, or the profile's prompt when no customer is chosen).
MARKERS = {"screens/customers/list.py": "客户查询", "screens/customers/new.py": "新建客户",
           "screens/customers/profile.py": "请在客户查询中选择一位客户",
           "screens/customers/import_export.py": "Excel 导入导出",
           "screens/admin/users.py": "用户管理", "screens/admin/tags.py": "标签管理",
           "screens/admin/audit.py": "审计日志", "screens/admin/retention.py": "保存期限",
           "screens/service/complaints.py": "投诉处理",
           "screens/service/follow_ups.py": "回访工作台", "screens/service/renewals.py": "续约管理",
           **CHART_PAGES}


@pytest.fixture
def people(db):
    users = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
             for role in Role}
    make_customer(db, name="欧阳娜娜", mobile="13912345678", email="nana@example.cn",
                  account_manager_id=users[Role.CLERK].id)
    make_customer(db, name="上海云帆科技有限公司", customer_type="企业", mobile="13700001111",
                  company="上海云帆科技有限公司", province="上海市", tier="钻石")
    db.commit()
    return users


def logged_in(role: Role, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = role.value
    at.session_state["crm_login_at"] = now()
    return at


def unescaped(markdown: str) -> str:
    """Markdown source as the reader sees it: user text is escaped (``admin\\-name``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [e.value for e in at.error]
    parts += [e.value for e in at.caption]
    return unescaped("\n".join(str(p) for p in parts))


def test_anonymous_sees_only_the_login_form(people) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert "欧阳娜娜" not in texts(at)
    with pytest.raises(ValueError):
        at.switch_page("screens/customers/list.py")


def navigation_pages(at: AppTest) -> set[str]:
    """Page files that st.navigation registered in the last run (what the sidebar lists)."""
    root = Path(APP).parent
    return {str(Path(info["script_path"]).resolve().relative_to(root))
            for info in at._registered_pages.values()
            if info.get("script_path") and Path(info["script_path"]).name != "app.py"}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_its_pages(people, role: Role) -> None:
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
def test_customer_list_masks_contacts_for_every_role(people, role: Role) -> None:
    at = logged_in(role).run()
    at.switch_page("screens/customers/list.py").run()
    frame = at.dataframe[0].value
    assert "欧阳娜娜" in frame.to_string()
    assert "13912345678" not in frame.to_string()
    assert "139****5678" in frame.to_string()


def test_search_box_filters_the_list(people) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/list.py").run()
    at.text_input(key="q").set_value("5678").run()
    frame = at.dataframe[0].value.to_string()
    assert "欧阳娜娜" in frame and "云帆" not in frame
    at.text_input(key="q").set_value("没有这个人").run()
    assert "没有符合条件的客户" in texts(at)


def test_home_tells_the_role_what_it_can_do(people) -> None:
    at = logged_in(Role.CLERK).run()
    assert "您是录入员" in texts(at)
    assert "clerk-name" in texts(at)


def test_admin_creates_a_user(people) -> None:
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/users.py").run()
    at.text_input[0].set_value("newclerk")
    at.text_input[1].set_value("新来的")
    at.text_input[2].set_value("long-enough-pw")
    at.button[0].click().run()
    assert not at.exception
    assert any("newclerk" in s.value for s in at.success)


def test_language_switch_is_remembered_per_user(people, db) -> None:
    from db.models import User

    at = logged_in(Role.CLERK).run()
    at.sidebar.selectbox(key="crm_lang_picker").set_value("en").run()
    assert "You are a clerk" in texts(at)
    db.expire_all()
    assert db.get(User, people[Role.CLERK].id).language == "en"
    fresh = logged_in(Role.CLERK).run()
    assert "You are a clerk" in texts(fresh)


def test_session_of_deactivated_user_ends(people, db) -> None:
    at = logged_in(Role.CLERK).run()
    assert "您是录入员" in texts(at)
    user = people[Role.CLERK]
    user.active = False
    user.sessions_revoked_at = now()
    db.commit()
    # The page refuses, and the session goes back to the app's login form, which says why.
    at.switch_page("screens/customers/list.py").run()
    assert not at.dataframe
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert "登录已失效" in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_file_run_alone_stops_without_data(people, page: str) -> None:
    at = AppTest.from_file(str(Path(APP).parent / page), default_timeout=30).run()
    assert not at.exception
    assert "请先登录" in texts(at)
    assert not at.dataframe


@pytest.mark.parametrize("role,visible", [(Role.TRAINER, True), (Role.ADMIN, True),
                                          (Role.CLERK, False), (Role.MANAGER, False)])
def test_demo_reset_button_for_trainers_and_admins(people, role: Role, visible: bool) -> None:
    at = logged_in(role).run()
    assert any(b.label == "重置演示数据" for b in at.button) is visible
