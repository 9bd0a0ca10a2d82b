"""Real-browser run of one chapter (7 信息安全) as a trainer and two trainees (issue 17): the
trainer creates a class of two on 班级管理 and downloads its login sheet; each trainee logs in
with it, answers the chapter's questions (one wrong first), makes a masked export from
客户查询 and has each exercise checked; the trainer's progress page and the chapter's class
table show both done; the trainer resets the class with its progress cleared, and the
progress page shows nothing done."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CourseProgress, User
from services.demo import seed_demo
from tests.support.browser import (
    ROOT,
    browser_page,
    chromium_path,
    go,
    login,
    running_app,
    wait_idle,
)

pytestmark = pytest.mark.browser
ANSWERS = {"trainer_phone": "讲师角色无权查看完整号码", "audit_reader": "管理员和经理（经理只读）",
           "person_copy": "由管理员在档案中导出个人信息副本",
           "backup_keys": "与备份分开存放，只有负责恢复的人能取得"}
WRONG = ("backup_keys", "和备份放在同一个目录，方便恢复")


@pytest.fixture
def course_db(settings, engine, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A seeded demo database and a settings file keeping the class's snapshot in the test's
    own directory (the app reads ``CRM_CONFIG``)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=200, seed=5)
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(re.sub(r'(?m)^snapshot_dir = .*$',
                             f'snapshot_dir = "{tmp_path / "snaps"}"', text), encoding="utf-8")
    return settings.database_url, {"CRM_CONFIG": str(config)}


def _box(page, exercise: str):
    return page.locator(f".st-key-course_security_{exercise}_box")


def _check(page, exercise: str, expect: str) -> None:
    box = _box(page, exercise)
    box.get_by_role("button", name="检查").click()
    box.get_by_text(expect).wait_for()
    wait_idle(page)


def _logout(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录", exact=True).wait_for()


def _create_class(page, base: str, tmp_path: Path) -> list[tuple[str, str]]:
    """The trainer makes a class of two on 班级管理; the logins read from its sheet."""
    login(page, base, "trainer", "trainer-demo")
    go(page, "班级管理", "班级管理")
    page.get_by_label("班级名称").fill("信息安全班")
    page.get_by_label("学员人数").fill("2")
    page.get_by_role("button", name="创建班级和学员账号").click()
    button = page.get_by_role("button", name="下载登录表")
    button.wait_for(timeout=60_000)
    with page.expect_download() as got:
        button.click()
    path = tmp_path / "sheet.xlsx"
    got.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(min_row=5, values_only=True))
    _logout(page)
    return [(str(r[1]), str(r[2])) for r in rows if r[1]]


def _trainee_does_the_chapter(page, base: str, username: str, password: str) -> None:
    login(page, base, username, password)
    go(page, "7 信息安全", "第 7 章 客户信息安全")
    # a wrong answer first: not recorded, and the message says so
    _box(page, WRONG[0]).get_by_text(WRONG[1]).click()
    wait_idle(page)
    _check(page, WRONG[0], "答案不正确")
    for exercise, option in ANSWERS.items():
        _box(page, exercise).get_by_text(option).click()
        wait_idle(page)
        _check(page, exercise, "完成！已记录。")
    _check(page, "masked_export", "还没有找到你做过的导出")
    go(page, "客户查询", "客户查询")
    page.get_by_role("button", name="导出 Excel").click()
    page.get_by_role("button", name="生成 Excel 文件").click()
    page.get_by_role("button", name="下载 Excel").wait_for()
    go(page, "7 信息安全", "第 7 章 客户信息安全")
    _check(page, "masked_export", "完成！已记录。")
    for exercise in [*ANSWERS, "masked_export"]:
        _box(page, exercise).get_by_text("已完成").wait_for()
    _logout(page)


def test_a_class_does_the_security_chapter(course_db, engine, tmp_path: Path) -> None:
    url, env = course_db
    with running_app(url, env=env) as base, browser_page(1400, 2400) as page:
        logins = _create_class(page, base, tmp_path)
        assert len(logins) == 2
        for username, password in logins:
            _trainee_does_the_chapter(page, base, username, password)
        with Session(engine) as s:
            done = s.execute(select(User.username, CourseProgress.exercise)
                             .join(User, User.id == CourseProgress.user_id)).all()
        assert sorted(done) == sorted((u, e) for u, _ in logins
                                      for e in [*ANSWERS, "masked_export"])

        login(page, base, "trainer", "trainer-demo")
        go(page, "班级学习进度", "班级学习进度")
        page.get_by_text("2 位学员，共完成 10 个练习。").wait_for()
        go(page, "7 信息安全", "第 7 章 客户信息安全")
        page.get_by_role("heading", name="本班本章完成情况").wait_for()
        page.get_by_text("2 / 2 位学员已完成本章全部练习。").wait_for()

        # ---- the trainer resets the class, clearing its progress ----
        go(page, "班级管理", "班级管理")
        page.get_by_role("button", name="重置班级").first.click()
        page.get_by_text("清除进度（练习、测验、评价、错误记录）").click()
        wait_idle(page)
        page.locator("[data-testid='stPopoverBody']").get_by_role(
            "button", name="重置班级").click()
        page.get_by_text("已重置到快照").wait_for(timeout=60_000)
        go(page, "班级学习进度", "班级学习进度")
        page.get_by_text("2 位学员，共完成 0 个练习。").wait_for()
    with Session(engine) as s:
        assert not s.scalars(select(CourseProgress)).all()
