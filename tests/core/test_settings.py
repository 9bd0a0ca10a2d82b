"""config.toml: typed settings, environment overrides, documented keys; secrets handling."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from core.settings import CONFIG_PATH, PROJECT_ROOT, load_settings
from services.access.secrets import load_secrets

README = PROJECT_ROOT / "README.md"


def _dotted_keys(table: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            keys.extend(_dotted_keys(value, f"{name}."))
        else:
            keys.append(name)
    return keys


def test_every_setting_is_documented_in_readme() -> None:
    with open(CONFIG_PATH, "rb") as fh:
        keys = _dotted_keys(tomllib.load(fh))
    readme = README.read_text(encoding="utf-8")
    missing = [k for k in keys if f"`{k}`" not in readme]
    assert not missing, f"settings missing from README.md: {missing}"
    assert "`CRM_DATABASE_URL`" in readme


def test_defaults_from_config_file() -> None:
    s = load_settings(env={})
    assert s.database_url == "sqlite:///" + str(PROJECT_ROOT / "data/crm.db")
    assert s.language == "zh"
    assert s.lockout_attempts == 5 and s.lockout_window_minutes == 15
    assert "金融" in s.industries and len(s.industries) == 8
    assert [r.tier.value for r in s.tier_rules] == ["钻石", "铂金", "黄金"]


def test_environment_overrides() -> None:
    s = load_settings(env={"CRM_DATABASE_URL": "postgresql+psycopg://u@h/db",
                           "CRM_LANGUAGE": "en"})
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert s.language == "en"


def test_bad_language_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[app]\nlanguage = "fr"\n')
    with pytest.raises(ValueError, match="language"):
        load_settings(cfg, env={})


def test_secrets_generated_once_into_private_file(tmp_path: Path) -> None:
    path = tmp_path / ".streamlit" / "secrets.toml"
    first = load_secrets(path, env={}, generate_data_keys=True)
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_secrets(path, env={})
    assert first == again
    other = load_secrets(tmp_path / "elsewhere.toml", env={}, generate_data_keys=True)
    assert other.cookie_key != first.cookie_key  # random, never a fixed default
    assert len(first.cookie_key) >= 32


def test_secrets_from_environment_win_and_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    env = {"CRM_COOKIE_KEY": "c" * 40, "CRM_ENCRYPTION_KEY": "e" * 44, "CRM_HASH_KEY": "h" * 40}
    got = load_secrets(path, env=env)
    assert got.cookie_key == "c" * 40 and not path.exists()


def test_secrets_file_is_git_ignored() -> None:
    ignored = (PROJECT_ROOT / ".gitignore").read_text()
    assert ".streamlit/secrets.toml" in ignored
