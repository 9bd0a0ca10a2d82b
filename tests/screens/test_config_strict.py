"""Strict configuration (data-protection spec, "Configuration and logs"): an unknown section or
key of ``config.toml``, a value out of its range, or an unknown ``CRM_*`` variable stops the app
and every command with a message naming the key and the nearest valid name; ``CRM_CONFIG``
names another file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.settings import (
    CONFIG_PATH,
    ENVIRONMENT,
    PERIODIC_DAYS,
    PROJECT_ROOT,
    TIER_RULE_KEYS,
    ConfigError,
    all_keys,
    get_settings,
    load_settings,
)

SHIPPED = CONFIG_PATH.read_text(encoding="utf-8")
APP = str(PROJECT_ROOT / "app.py")


def _config(tmp_path: Path, old: str, new: str, *, append: str = "") -> Path:
    """The shipped file with one change: every other key stays valid."""
    if old:
        assert old in SHIPPED, old
    path = tmp_path / "config.toml"
    path.write_text(SHIPPED.replace(old, new, 1) + append, encoding="utf-8")
    return path


# (old text, new text, appended text, key named, nearest valid name or None)
UNKNOWN = {
    "section typo": ("[security]", "[securty]", "", "securty", "security"),
    "key typo": ("lockout_attempts = 5", "lockout_atempts = 5", "",
                 "security.lockout_atempts", "security.lockout_attempts"),
    "nested section typo": ("[churn.no_order]", "[churn.no_ordr]", "",
                            "churn.no_ordr", "churn.no_order"),
    "nested key typo": ("window_days = 90", "window_dayz = 90", "",
                        "churn.contact_drop.window_dayz", "churn.contact_drop.window_days"),
    "tier typo": ('[tiers."铂金"]', '[tiers."铂銀"]', "", "tiers.铂銀", "tiers."),
    "tier key typo": ("min_orders = 6", "min_ordrs = 6", "",
                      "tiers.铂金.min_ordrs", "tiers.铂金.min_orders"),
    "periodic tier typo": ('"白银" = 365', '"白金" = 365', "",
                           "follow_ups.periodic_days.白金", "follow_ups.periodic_days."),
    "new section": ("", "", "\n[loging]\nlevel = 1\n", "loging", ""),
    "app key": ("page_size = 50", "pagesize = 50", "", "app.pagesize", "app.page_size"),
}

RANGE = {
    "negative lifetime": ("session_lifetime_hours = 12", "session_lifetime_hours = -1",
                          "security.session_lifetime_hours", "0.25"),
    "threshold above 100": ("threshold = 50", "threshold = 101", "churn.threshold", "100"),
    "weight above 100": ("weight = 30\n\n[churn.contact_drop]",
                         "weight = 130\n\n[churn.contact_drop]", "churn.no_order.weight", "100"),
    "ratio above 1": ("ratio = 0.5", "ratio = 1.5", "churn.contact_drop.ratio", "1"),
    "zero lockout": ("lockout_attempts = 5", "lockout_attempts = 0",
                     "security.lockout_attempts", "1"),
    "negative spend": ("min_spend = 50000", "min_spend = -1", "tiers.铂金.min_spend", "0"),
    "negative periodic days": ('"钻石" = 30', '"钻石" = -30',
                               "follow_ups.periodic_days.钻石", "3650"),
    "zero page size": ("page_size = 50", "page_size = 0", "app.page_size", "10"),
    "warning day": ("warning_days = [30, 60, 90]", "warning_days = [30, -60]",
                    "renewals.warning_days", "3650"),
}

TYPE = {
    "text for a number": ("lockout_minutes = 15", 'lockout_minutes = "15"',
                          "security.lockout_minutes"),
    "fraction for a whole number": ("page_size = 50", "page_size = 50.5", "app.page_size"),
    "bool for a number": ("overdue_hours = 48", "overdue_hours = true",
                          "complaints.overdue_hours"),
    "number for text": ('language = "zh"', "language = 1", "app.language"),
    "bad choice": ('language = "zh"', 'language = "zhh"', "app.language"),
    "bad method": ('method = "电话"', 'method = "电报"', "follow_ups.method"),
    "bad zone": ('time_zone = "Asia/Shanghai"', 'time_zone = "Asia/Shanghia"', "app.time_zone"),
    "empty industries": ('industries = ["金融", "科技", "教育", "医疗", "制造", "零售", "政府", '
                         '"其他"]', "industries = []", "customers.industries"),
    "value for a section": ('[follow_ups.periodic_days]\n"钻石" = 30\n"铂金" = 90\n"黄金" = 180\n'
                            '"白银" = 365', "periodic_days = 30", "follow_ups.periodic_days"),
    "bad header": ('trusted_proxy_header = ""', 'trusted_proxy_header = "X Forwarded"',
                   "security.trusted_proxy_header"),
    "bad url": ('database_url = "sqlite:///data/crm.db"', 'database_url = "not a url"',
                "app.database_url"),
}


def _refusal(path: Path, env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env=env or {})
    return caught.value


def test_shipped_config_loads_and_every_key_of_it_is_a_setting() -> None:
    settings = load_settings(env={})
    assert settings.time_zone == "Asia/Shanghai"
    assert settings.churn.threshold == 50 and settings.page_size == 50


@pytest.mark.parametrize("case", UNKNOWN)
def test_unknown_name_is_refused_naming_the_nearest(case: str, tmp_path: Path) -> None:
    old, new, append, named, nearest = UNKNOWN[case]
    exc = _refusal(_config(tmp_path, old, new, append=append))
    assert exc.code == "unknown"
    assert exc.params["key"] == named
    assert exc.params["nearest"].startswith(nearest) and exc.params["nearest"] != nearest + "."
    for lang in ("zh", "en"):
        text = exc.message(lang)
        assert named in text and exc.params["nearest"] in text and str(tmp_path) in text


@pytest.mark.parametrize("case", RANGE)
def test_value_out_of_range_is_refused(case: str, tmp_path: Path) -> None:
    old, new, named, bound = RANGE[case]
    exc = _refusal(_config(tmp_path, old, new))
    assert (exc.code, exc.params["key"]) == ("out_of_range", named)
    assert bound in (exc.params["low"], exc.params["high"])
    assert named in exc.message("en") and bound in exc.message("zh")


@pytest.mark.parametrize("case", TYPE)
def test_value_of_the_wrong_kind_is_refused(case: str, tmp_path: Path) -> None:
    old, new, named = TYPE[case]
    exc = _refusal(_config(tmp_path, old, new))
    assert exc.params["key"] == named, exc
    assert named in exc.message("zh") and named in exc.message("en")


def test_bad_choice_names_the_nearest_choice(tmp_path: Path) -> None:
    exc = _refusal(_config(tmp_path, 'method = "电话"', 'method = "电活"'))
    assert exc.params["nearest"] == "电话"


def test_every_boundary_is_accepted(tmp_path: Path) -> None:
    """The range is inclusive: the documented low and high both load."""
    path = _config(tmp_path, "threshold = 50", "threshold = 100")
    assert load_settings(path, env={}).churn.threshold == 100
    path = _config(tmp_path, "session_lifetime_hours = 12", "session_lifetime_hours = 0.25")
    assert load_settings(path, env={}).session_lifetime_hours == 0.25


def test_missing_and_broken_files(tmp_path: Path) -> None:
    exc = _refusal(tmp_path / "nowhere.toml")
    assert exc.code == "missing_file" and "nowhere.toml" in exc.message("zh")
    broken = tmp_path / "broken.toml"
    broken.write_text("[app\nlanguage = 'zh'\n")
    exc = _refusal(broken)
    assert exc.code == "syntax" and "broken.toml" in exc.message("en")


def test_crm_config_names_another_file(tmp_path: Path) -> None:
    path = _config(tmp_path, "page_size = 50", "page_size = 20")
    assert load_settings(env={"CRM_CONFIG": str(path)}).page_size == 20
    bad = tmp_path / "bad.toml"
    bad.write_text("[app]\npage_siz = 20\n")
    exc = _refusal(None, env={"CRM_CONFIG": str(bad)})  # type: ignore[arg-type]
    assert exc.params["nearest"] == "app.page_size" and str(bad) in exc.message("en")


def test_environment_is_strict_too() -> None:
    exc = _refusal(CONFIG_PATH, env={"CRM_LANGAUGE": "en"})
    assert (exc.code, exc.params["key"], exc.params["nearest"]) == (
        "unknown_env", "CRM_LANGAUGE", "CRM_LANGUAGE")
    exc = _refusal(CONFIG_PATH, env={"CRM_LANGUAGE": "fr"})
    assert exc.params["key"] == "CRM_LANGUAGE"
    exc = _refusal(CONFIG_PATH, env={"CRM_DATABASE_URL": "::"})
    assert exc.params["key"] == "CRM_DATABASE_URL"
    # Every variable the code reads is known: none is refused as a typo.
    source = "\n".join(p.read_text(encoding="utf-8") for d in ("services", "components", "db",
                                                               "tests", "bench")
                       for p in (PROJECT_ROOT / d).rglob("*.py")
                       if not p.name.startswith("test_config_"))  # these typos are on purpose
    source += (PROJECT_ROOT / "manage.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\bCRM_[A-Z_]*[A-Z]\b", source))
    assert read <= set(ENVIRONMENT), read - set(ENVIRONMENT)


def test_message_language_follows_the_file(tmp_path: Path) -> None:
    path = _config(tmp_path, 'language = "zh"', 'language = "en"\npagesize = 1')
    exc = _refusal(path)
    assert exc.message().startswith("Configuration error")
    exc = _refusal(_config(tmp_path, "page_size = 50", "pagesize = 50"))
    assert exc.message().startswith("配置错误")


def test_readme_gives_every_key_with_its_range() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", readme, re.M)}
    expected = {name: spec.range_text() for name, spec in all_keys().items()
                if spec.kind != "table"}
    for tier in ("钻石", "铂金", "黄金"):
        expected |= {f"tiers.{tier}.{k}": s.range_text() for k, s in TIER_RULE_KEYS.items()}
    for tier in ("钻石", "铂金", "黄金", "白银"):
        expected[f"follow_ups.periodic_days.{tier}"] = PERIODIC_DAYS.range_text()
    for name, text in expected.items():
        assert name in rows, f"README lacks {name}"
        assert f"| {text}" in rows[name], f"README's range of {name} is not {text}"


# -- the app and the commands stop ---------------------------------------------------------


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


APP_CASES = {
    "section typo": ("[security]", "[securty]", "securty", "security"),
    "key typo": ("lockout_attempts = 5", "lockout_atempts = 5", "security.lockout_atempts",
                 "security.lockout_attempts"),
    "negative lifetime": ("session_lifetime_hours = 12", "session_lifetime_hours = -3",
                          "security.session_lifetime_hours", "0.25"),
    "threshold above 100": ("threshold = 50", "threshold = 150", "churn.threshold", "100"),
}


@pytest.mark.parametrize("case", APP_CASES)
def test_app_shows_only_the_message(case: str, tmp_path: Path, fresh_settings: None,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, named, hint = APP_CASES[case]
    monkeypatch.setenv("CRM_CONFIG", str(_config(tmp_path, old, new)))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and named in errors[0] and hint in errors[0], errors
    assert "Traceback" not in errors[0] and not at.text_input  # no login form behind it


def test_app_refuses_an_unknown_variable(fresh_settings: None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_LANGAUGE", "en")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] and "CRM_LANGUAGE" in at.error[0].value


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("case", APP_CASES)
def test_commands_stop_with_status_4(case: str, tmp_path: Path) -> None:
    old, new, named, hint = APP_CASES[case]
    env = {"CRM_CONFIG": str(_config(tmp_path, old, new)),
           "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'untouched.db'}"}
    for command in (["verify-audit"], ["init-db"]):
        done = _manage(*command, env=env)
        assert done.returncode == 4, done.stderr
        assert named in done.stderr and hint in done.stderr
        assert "Traceback" not in done.stderr and not done.stdout
    assert not (tmp_path / "untouched.db").exists()  # stopped before touching a database


def test_command_refuses_an_unknown_variable() -> None:
    done = _manage("refresh-churn", env={"CRM_CONFG": "/etc/crm.toml"})
    assert done.returncode == 4 and "CRM_CONFIG" in done.stderr and "CRM_CONFG" in done.stderr


def test_help_works_whatever_the_config(tmp_path: Path) -> None:
    env = {"CRM_CONFIG": str(_config(tmp_path, "[security]", "[securty]"))}
    done = _manage("plan-visits", "--help", env=env)
    assert done.returncode == 0 and "--ahead" in done.stdout


def test_time_zone_is_a_setting(tmp_path: Path) -> None:
    """``[app] time_zone``: every shown time and "today" follow it (read once per process)."""
    path = _config(tmp_path, 'time_zone = "Asia/Shanghai"', 'time_zone = "America/New_York"')
    code = ("from datetime import datetime, UTC\n"
            "from core import clock\n"
            "print(clock.LOCAL_TZ.key, clock.shown(datetime(2026, 1, 1, 3, 0, tzinfo=UTC)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, env={**os.environ, "CRM_CONFIG": str(path)}, timeout=60)
    assert done.stdout.split(maxsplit=1) == ["America/New_York", "2025-12-31 22:00\n"], done
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, env={**os.environ, "CRM_CONFIG": str(CONFIG_PATH)},
                          timeout=60)
    assert done.stdout.split(maxsplit=1) == ["Asia/Shanghai", "2026-01-01 11:00\n"], done
