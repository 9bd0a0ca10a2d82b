"""One typed settings object, read strictly from ``config.toml`` with environment overrides.

Why one object: pages, services and the command line must agree on thresholds; reading the file
in one place keeps them from drifting. Why strict: a typo (``[securty]``, ``lockout_atempts``)
or a value out of range (a negative lifetime, a threshold above 100) once went unnoticed and the
default silently applied; now the app and every command stop with a message naming the key and
the nearest valid name (``ConfigError``).

Each setting is a dataclass field declared with ``key(...)``: its dotted name in the file, its
type and its range live beside its default, and ``load_settings`` reads every field the same way.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.vocab import Tier

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = PROJECT_ROOT / "config.toml"
DEFAULT_TIME_ZONE = "Asia/Shanghai"

ENVIRONMENT: Mapping[str, str] = {
    "CRM_CONFIG": "path of the settings file (default: config.toml of the project)",
    "CRM_DATABASE_URL": "overrides app.database_url",
    "CRM_LANGUAGE": "overrides app.language",
    "CRM_LOG_FILE": "overrides logs.file",
    "CRM_DEMO_RESET_BACKUP_DIR": "overrides backup.demo_reset_dir",
    "CRM_COOKIE_KEY": "login cookie key (services.access.secrets)",
    "CRM_ENCRYPTION_KEY": "key that encrypts 证件号码 (services.access.secrets)",
    "CRM_HASH_KEY": "key of the 证件号码 hash (services.access.secrets)",
    "CRM_SECRETS_FILE": "path of the secrets file (services.access.secrets)",
    "CRM_NEW_ENCRYPTION_KEY": "new encryption key for manage.py rotate-keys",
    "CRM_NEW_HASH_KEY": "new hash key for manage.py rotate-keys",
    "CRM_DEMO_MODE": "no effect (a demo database is stamped by seed-demo)",
    "CRM_PG_BIN_DIR": "where pg_dump / pg_restore are, if not in the server's own bin directory",
    "CRM_TEST_POSTGRES_URL": "tests: the PostgreSQL server to test on",
    "CRM_KEEP_APP_LOG": "tests: keep the browser tests' server log",
    "CRM_REQUIRE_BROWSER": "tests: fail instead of skipping when Chromium is missing",
    "CRM_RAISE_ERRORS": "development and tests: an unexpected error on a page reaches Streamlit "
                        "(AppTest's exception, the browser tests' check) instead of the short "
                        "message with its request id",
}
"""Every ``CRM_*`` environment variable the project reads; any other is refused as a typo."""


class ConfigError(ValueError):
    """``config.toml`` or a ``CRM_*`` variable is wrong: the app and every command stop.

    ``code`` picks the catalog message (``config.<code>``), ``params`` fill it; the key and,
    for an unknown name, the nearest valid one are always among them.
    """

    def __init__(self, code: str, language: str = "zh", **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.language = language
        self.params = params

    def message(self, lang: str | None = None) -> str:
        from core.i18n import t  # late: the catalog is not needed to read settings

        return t(f"config.{self.code}", lang or self.language, **self.params)


@dataclass(frozen=True)
class Key:
    """How one setting is read: dotted name, type, range or choices, environment override."""

    name: str
    kind: str  # int, float, decimal, bool, str, zone, url, header, ints, strs, table
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    env: str | None = None
    parse: Callable[[Any, str], Any] | None = None  # kind "table": table -> value

    def range_text(self) -> str:
        """The range as the README's reference states it (a test holds the two together)."""
        if self.choices:
            return " / ".join(f"`{c}`" for c in self.choices)
        if self.kind == "strs":
            return (f"{_number(self.low or 1)}–{_number(self.high or 100)} distinct names "
                    "of 1–20 characters")
        if self.kind == "ints":
            return f"each {_number(self.low or 0)}–{_number(self.high or 0)}"
        if self.low is not None and self.high is not None:
            return f"{_number(self.low)}–{_number(self.high)}"
        return {"bool": "`true` / `false`", "zone": "an IANA time zone",
                "url": "a SQLAlchemy URL", "header": "an HTTP header name or `\"\"`",
                "str": "text"}.get(self.kind, "")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def key(name: str, default: Any, *, kind: str | None = None, low: float | None = None,
        high: float | None = None, choices: tuple[str, ...] = (), env: str | None = None,
        parse: Callable[[Any, str], Any] | None = None) -> Any:
    """A dataclass field that is read from ``config.toml`` at ``name`` (dotted)."""
    if kind is None:
        kind = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(default), "")
    spec = Key(name, kind, low, high, choices, env, parse)
    return field(default=default, metadata={"key": spec})


@dataclass(frozen=True)
class TierRule:
    tier: Tier
    min_spend: Decimal
    min_orders: int
    min_tenure_years: float


TIER_RULE_KEYS: Mapping[str, Key] = {
    "min_spend": Key("min_spend", "decimal", 0, 1e12),
    "min_orders": Key("min_orders", "int", 0, 100000),
    "min_tenure_years": Key("min_tenure_years", "float", 0, 100),
}
PERIODIC_DAYS = Key("days", "int", 0, 3650)


def _tier_name(name: str, where: str) -> Tier:
    try:
        return Tier(name)
    except ValueError:
        raise ConfigError("unknown", key=f"{where}.{name}",
                          nearest=f"{where}.{_nearest(name, [t.value for t in Tier])}") from None


def _tier_rules(table: Any, where: str) -> tuple[TierRule, ...]:
    """``[tiers."钻石"]`` tables: thresholds per tier, highest spend first."""
    rules = []
    for name, rule in _table(table, where).items():
        tier = _tier_name(name, where)
        rule = _table(rule, f"{where}.{name}")
        _refuse_unknown(rule, TIER_RULE_KEYS, f"{where}.{name}")
        values = {attr: _value(replace(spec, name=f"{where}.{name}.{attr}"), rule.get(attr, 0))
                  for attr, spec in TIER_RULE_KEYS.items()}
        rules.append(TierRule(tier=tier, **values))
    return tuple(sorted(rules, key=lambda r: r.min_spend, reverse=True))


def _periodic_days(table: Any, where: str) -> tuple[tuple[Tier, int], ...]:
    """``[follow_ups.periodic_days]``: days between periodic visits per tier (0: none)."""
    return tuple((_tier_name(name, where), _value(replace(PERIODIC_DAYS, name=f"{where}.{name}"),
                                                  days))
                 for name, days in _table(table, where).items())


_DEFAULT_PERIODIC = ((Tier.DIAMOND, 30), (Tier.PLATINUM, 90), (Tier.GOLD, 180), (Tier.SILVER, 365))
VISIT_METHODS = ("电话", "邮件", "短信", "上门", "在线问卷")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class ChurnRules:
    """Rules of the 流失预警 score: each fired rule adds its weight (see config.toml [churn])."""

    threshold: int = key("churn.threshold", 50, low=0, high=100)
    no_order_days: int = key("churn.no_order.days", 180, low=1, high=3650)
    no_order_weight: int = key("churn.no_order.weight", 30, low=0, high=100)
    contact_window_days: int = key("churn.contact_drop.window_days", 90, low=1, high=3650)
    contact_drop_ratio: float = key("churn.contact_drop.ratio", 0.5, low=0, high=1)
    contact_drop_weight: int = key("churn.contact_drop.weight", 20, low=0, high=100)
    complaint_window_days: int = key("churn.complaints.window_days", 180, low=1, high=3650)
    complaint_repeat: int = key("churn.complaints.repeat", 2, low=1, high=1000)
    complaint_weight: int = key("churn.complaints.weight", 25, low=0, high=100)
    satisfaction_max_score: int = key("churn.satisfaction.max_score", 2, low=1, high=5)
    satisfaction_drop: int = key("churn.satisfaction.drop", 2, low=1, high=4)
    satisfaction_weight: int = key("churn.satisfaction.weight", 25, low=0, high=100)
    contract_days: int = key("churn.contract.days", 60, low=1, high=3650)
    contract_weight: int = key("churn.contract.weight", 30, low=0, high=100)


@dataclass(frozen=True)
class Settings:
    database_url: str = key("app.database_url", "sqlite:///data/crm.db", kind="url",
                            env="CRM_DATABASE_URL")
    language: str = key("app.language", "zh", choices=("zh", "en"), env="CRM_LANGUAGE")
    # Display zone of every time a person reads (core.clock), and of "today".
    time_zone: str = key("app.time_zone", DEFAULT_TIME_ZONE, kind="zone")
    page_size: int = key("app.page_size", 50, low=10, high=500)
    session_lifetime_hours: float = key("security.session_lifetime_hours", 12.0,
                                        low=0.25, high=720)
    lockout_attempts: int = key("security.lockout_attempts", 5, low=1, high=100)
    lockout_window_minutes: int = key("security.lockout_window_minutes", 15, low=1, high=1440)
    lockout_minutes: int = key("security.lockout_minutes", 15, low=1, high=10080)
    # The header a trusted reverse proxy puts the client address in ("" = use the connection's)
    trusted_proxy_header: str = key("security.trusted_proxy_header", "", kind="header")
    review_interval_days: int = key("security.review_interval_days", 180, low=1, high=3650)
    # services.access.probes: look-ups through a 手机号 / 邮箱 / 证件号码 the user may not see in
    # full
    hidden_match_limit_per_hour: int = key("security.hidden_match_limit_per_hour", 5,
                                           low=0, high=10000)
    hidden_contact_values_per_hour: int = key("security.hidden_contact_values_per_hour", 1000,
                                              low=0, high=10_000_000)
    hidden_id_values_per_hour: int = key("security.hidden_id_values_per_hour", 5000,
                                         low=0, high=10_000_000)
    mobile_keep_prefix: int = key("masking.mobile_keep_prefix", 3, low=0, high=4)
    mobile_keep_suffix: int = key("masking.mobile_keep_suffix", 4, low=0, high=4)
    id_keep_prefix: int = key("masking.id_keep_prefix", 4, low=0, high=6)
    id_keep_suffix: int = key("masking.id_keep_suffix", 4, low=0, high=6)
    industries: tuple[str, ...] = key(
        "customers.industries", ("金融", "科技", "教育", "医疗", "制造", "零售", "政府", "其他"),
        kind="strs", low=1, high=100)
    tier_rules: tuple[TierRule, ...] = key("tiers", (), kind="table", parse=_tier_rules)
    new_customer_days: int = key("lifecycle.new_customer_days", 90, low=1, high=3650)
    loyal_years: float = key("lifecycle.loyal_years", 2.0, low=0, high=100)
    churn_days: int = key("lifecycle.churn_days", 365, low=1, high=3650)
    complaint_overdue_hours: int = key("complaints.overdue_hours", 48, low=1, high=8760)
    renewal_warning_days: tuple[int, ...] = key("renewals.warning_days", (30, 60, 90),
                                                kind="ints", low=1, high=3650)
    follow_up_after_first_order_days: int = key("follow_ups.after_first_order_days", 7,
                                                low=0, high=365)
    follow_up_after_complaint_days: int = key("follow_ups.after_complaint_days", 3,
                                              low=0, high=365)
    follow_up_next_visit_days: int = key("follow_ups.next_visit_days", 30, low=1, high=3650)
    follow_up_method: str = key("follow_ups.method", "电话", choices=VISIT_METHODS)
    # (tier, days between periodic visits); a tier left out gets no periodic visits
    follow_up_periodic_days: tuple[tuple[Tier, int], ...] = key(
        "follow_ups.periodic_days", _DEFAULT_PERIODIC, kind="table", parse=_periodic_days)
    churn: ChurnRules = field(default_factory=ChurnRules)
    dashboard_cache_ttl_seconds: int = key("dashboard.cache_ttl_seconds", 300,
                                           low=0, high=86400)
    import_max_file_mb: int = key("import.max_file_mb", 20, low=1, high=1024)
    import_max_rows: int = key("import.max_rows", 200000, low=1, high=10_000_000)
    # data-protection.md Retention: no order, contact, visit, complaint or live contract for
    # this long and a customer is "past retention" (listed for admins; never erased by itself)
    retention_inactive_years: int = key("retention.inactive_years", 3, low=1, high=100)

    # A demo reset deletes every customer: it backs the database up into this directory first
    # (services.backup.demo_reset), keeping the newest ``demo_reset_keep``.
    demo_reset_backup_dir: str = key("backup.demo_reset_dir", "data/backups/demo-reset",
                                     env="CRM_DEMO_RESET_BACKUP_DIR")
    demo_reset_backup_keep: int = key("backup.demo_reset_keep", 5, low=1, high=1000)

    # Structured logs (core.logs): where they go, what level, what is a slow query.
    log_file: str = key("logs.file", "data/logs/crm.jsonl", env="CRM_LOG_FILE")
    log_stderr: bool = key("logs.stderr", False)
    log_level: str = key("logs.level", "INFO", choices=LOG_LEVELS)
    slow_query_ms: int = key("logs.slow_query_ms", 500, low=1, high=600000)

    # The trainer's snapshots of the demo database (services.training.snapshots).
    snapshot_dir: str = key("training.snapshot_dir", "data/snapshots")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def demo_reset_backup_path(self) -> Path:
        """The demo reset's backup directory, relative to the project unless absolute."""
        path = Path(self.demo_reset_backup_dir)
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def log_path(self) -> Path | None:
        """The log file, relative to the project unless absolute; None: no file."""
        if not self.log_file:
            return None
        path = Path(self.log_file)
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def snapshot_path(self) -> Path:
        """Where the demo database's snapshots live, relative to the project unless absolute."""
        path = Path(self.snapshot_dir)
        return path if path.is_absolute() else PROJECT_ROOT / path


RETIRED: Mapping[str, str] = {
    "app.demo_mode": "no effect: only manage.py seed-demo makes a database a demo one",
}
"""Keys still accepted, read by nothing (old config files keep loading)."""


def keys(cls: type = Settings) -> Iterator[tuple[tuple[str, ...], Key]]:
    """Every setting as (attribute path, key), nested dataclasses included."""
    for f in fields(cls):
        spec = f.metadata.get("key")
        if spec is not None:
            yield (f.name,), spec
        elif is_dataclass(f.default_factory):  # type: ignore[arg-type]
            for path, inner in keys(f.default_factory):  # type: ignore[arg-type]
                yield (f.name, *path), inner


def all_keys() -> dict[str, Key]:
    """Dotted name -> key, for the README reference and the unknown-name check."""
    return {spec.name: spec for _path, spec in keys()}


# -- reading -------------------------------------------------------------------------------


def _nearest(name: str, candidates: list[str]) -> str:
    """The valid name closest to a wrong one (always one: the message must name it)."""
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.0)
    return found[0] if found else ""


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError("not_table", key=where)
    return value


def _refuse_unknown(table: dict[str, Any], known: Mapping[str, Any], where: str) -> None:
    for name in table:
        if name not in known:
            raise ConfigError("unknown", key=f"{where}.{name}",
                              nearest=f"{where}.{_nearest(name, list(known))}")


def _check_names(raw: dict[str, Any], tree: dict[str, Any], prefix: str = "") -> None:
    """Every name of the file must be a setting, a section of settings or a retired key."""
    for name, value in raw.items():
        dotted = f"{prefix}{name}"
        if name not in tree:
            raise ConfigError("unknown", key=dotted, nearest=prefix + _nearest(name, list(tree)))
        node = tree[name]
        if isinstance(node, dict):
            _check_names(_table(value, dotted), node, f"{dotted}.")


def _tree() -> dict[str, Any]:
    """Sections as nested dicts, keys as leaves (a table key is a leaf: its parser checks it)."""
    tree: dict[str, Any] = {}
    for dotted in [*all_keys(), *RETIRED]:
        *sections, last = dotted.split(".")
        node = tree
        for section in sections:
            node = node.setdefault(section, {})
        node[last] = None
    return tree


def _lookup(raw: dict[str, Any], dotted: str) -> tuple[bool, Any]:
    node: Any = raw
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


_HEADER = re.compile(r"[A-Za-z0-9-]*")


def _value(spec: Key, value: Any) -> Any:
    """``value`` as ``spec`` types it, or ``ConfigError`` naming the key."""
    name, kind = spec.name, spec.kind
    if kind == "table":
        return spec.parse(value, name)  # type: ignore[misc]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError("not_bool", key=name, value=repr(value))
        return value
    if kind in ("int", "float", "decimal"):
        number_ok = isinstance(value, int) if kind == "int" else isinstance(value, int | float)
        if isinstance(value, bool) or not number_ok or (
                isinstance(value, float) and not math.isfinite(value)):
            raise ConfigError("not_whole" if kind == "int" else "not_number", key=name,
                              value=repr(value))
        _in_range(spec, value)
        return {"int": int, "float": float, "decimal": lambda v: Decimal(str(v))}[kind](value)
    if kind in ("ints", "strs"):
        item = int if kind == "ints" else str
        if not isinstance(value, list) or any(
                isinstance(v, bool) or not isinstance(v, item) for v in value):
            raise ConfigError(f"not_{kind}", key=name, value=repr(value))
        if kind == "ints":
            for v in value:
                _in_range(spec, v)
        else:
            cleaned = [v.strip() for v in value]
            if not cleaned or any(not v or len(v) > 20 for v in cleaned) or \
                    len(set(cleaned)) != len(cleaned) or len(cleaned) > (spec.high or 100):
                raise ConfigError("bad_list", key=name, value=repr(value))
            value = cleaned
        return tuple(value)
    if not isinstance(value, str):
        raise ConfigError("not_text", key=name, value=repr(value))
    value = value.strip()
    if spec.choices and value not in spec.choices:
        raise ConfigError("not_choice", key=name, value=repr(value),
                          choices=", ".join(spec.choices),
                          nearest=_nearest(value, list(spec.choices)))
    if kind == "zone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError("bad_zone", key=name, value=repr(value)) from None
    if kind == "url":
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(value)
        except ArgumentError:
            raise ConfigError("bad_url", key=name) from None
    if kind == "header" and not _HEADER.fullmatch(value):
        raise ConfigError("bad_header", key=name, value=repr(value))
    return value


def _in_range(spec: Key, value: float) -> None:
    if (spec.low is not None and value < spec.low) or (spec.high is not None
                                                        and value > spec.high):
        raise ConfigError("out_of_range", key=spec.name, value=repr(value),
                          low=_number(spec.low or 0), high=_number(spec.high or 0))


def _check_environment(env: Mapping[str, str]) -> None:
    for name in sorted(env):
        if name.startswith("CRM_") and name not in ENVIRONMENT:
            raise ConfigError("unknown_env", key=name, nearest=_nearest(name, list(ENVIRONMENT)))


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("missing_file", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("syntax", path=str(path), detail=str(exc)) from None


def _build(cls: type, raw: dict[str, Any], env: Mapping[str, str]) -> Any:
    """An instance of ``cls`` from ``raw``: each key field read, each nested dataclass built."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        spec: Key | None = f.metadata.get("key")
        if spec is None:
            if is_dataclass(f.default_factory):  # type: ignore[arg-type]
                values[f.name] = _build(f.default_factory, raw, env)  # type: ignore[arg-type]
            continue
        if spec.env and env.get(spec.env):
            values[f.name] = _value(replace(spec, name=spec.env), env[spec.env])
            continue
        present, value = _lookup(raw, spec.name)
        if present:
            values[f.name] = _value(spec, value)
    return cls(**values)


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read ``config.toml`` (or ``CRM_CONFIG``) and apply ``CRM_*`` environment overrides;
    ``ConfigError`` on any unknown name or value out of range."""
    env = dict(os.environ) if env is None else env
    path = path or Path(env.get("CRM_CONFIG") or CONFIG_PATH)
    raw = _read(path)
    language = raw.get("app", {}).get("language") if isinstance(raw.get("app"), dict) else None
    language = env.get("CRM_LANGUAGE") or language
    try:
        _check_environment(env)
        _check_names(raw, _tree())
        settings = _build(Settings, raw, env)
    except ConfigError as exc:
        exc.language = language if language in ("zh", "en") else "zh"
        exc.params.setdefault("path", str(path))
        raise
    return replace(settings, database_url=_resolve_sqlite_path(settings.database_url))


def _resolve_sqlite_path(url: str) -> str:
    """Make a relative SQLite path relative to the project, not to the caller's directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(PROJECT_ROOT / url[len(prefix):])
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
