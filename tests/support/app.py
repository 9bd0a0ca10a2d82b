"""AppTest helpers: the app, its pages per role, logging in without the form, the text a page
shows. Shared by every AppTest file (they used to import them from ``test_app.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role

APP = str(Path(__file__).resolve().parents[2] / "app.py")
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
# Training (issue 17): trainers and admins on a demo database (config.toml's is one).
CLASSES = "screens/training/classes.py"
PAGES.append(CLASSES)
# The course (issue 17): its chapters, its survey, and the class's progress (trainers, admins).
COURSE_PAGES = {"screens/training/chapter_overview.py": "客户信息管理概述与分类",
                "screens/training/chapter_collect.py": "客户信息采集",
                "screens/training/chapter_profile.py": "建立客户档案",
                "screens/training/chapter_query.py": "客户信息查询",
                "screens/training/chapter_analysis.py": "客户分析",
                "screens/training/chapter_service.py": "回访、投诉与满意度",
                "screens/training/chapter_security.py": "客户信息安全",
                "screens/training/course_feedback.py": "课程满意度评价",
                "screens/training/class_progress.py": "班级学习进度"}
PAGES += list(COURSE_PAGES)
EVERYONE = {"screens/home.py", "screens/customers/list.py", "screens/customers/profile.py",
            "screens/customers/import_export.py", "screens/service/complaints.py",
            "screens/service/follow_ups.py", "screens/service/renewals.py"}
# config.toml is a demo database, where trainers may enter customers too.
NEW, AUDIT = "screens/customers/new.py", "screens/admin/audit.py"
REACHABLE = {
    Role.ADMIN: set(PAGES),
    Role.MANAGER: EVERYONE | {NEW, AUDIT} | set(CHART_PAGES),
    Role.CLERK: EVERYONE | {NEW},
    Role.TRAINER: EVERYONE | {NEW} | set(CHART_PAGES) | {CLASSES} | set(COURSE_PAGES),
}
# What each page shows first (title, or the profile's prompt when no customer is chosen).
MARKERS = {"screens/customers/list.py": "客户查询", "screens/customers/new.py": "新建客户",
           "screens/customers/profile.py": "请在客户查询中选择一位客户",
           "screens/customers/import_export.py": "Excel 导入导出",
           "screens/admin/users.py": "用户管理", "screens/admin/tags.py": "标签管理",
           "screens/admin/audit.py": "审计日志", "screens/admin/retention.py": "保存期限",
           "screens/service/complaints.py": "投诉处理",
           "screens/service/follow_ups.py": "回访工作台", "screens/service/renewals.py": "续约管理",
           CLASSES: "班级管理",
           **CHART_PAGES, **COURSE_PAGES}


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


def navigation_pages(at: AppTest) -> set[str]:
    """Page files that st.navigation registered in the last run (what the sidebar lists)."""
    root = Path(APP).parent
    return {str(Path(info["script_path"]).resolve().relative_to(root))
            for info in at._registered_pages.values()
            if info.get("script_path") and Path(info["script_path"]).name != "app.py"}
