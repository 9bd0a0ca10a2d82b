"""One typed settings object, read from ``config.toml`` with environment overrides.

Why one object: pages, services and the command line must agree on thresholds; reading the file
in one place keeps them from drifting.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from services.domain import Tier

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = PROJECT_ROOT / "config.toml"


@dataclass(frozen=True)
class TierRule:
    tier: Tier
    min_spend: Decimal
    min_orders: int
    min_tenure_years: float


@dataclass(frozen=True)
class ChurnRules:
    """Rules of the 流失预警 score: each fired rule adds its weight (see config.toml [churn])."""

    threshold: int = 50
    no_order_days: int = 180
    no_order_weight: int = 30
    contact_window_days: int = 90
    contact_drop_ratio: float = 0.5
    contact_drop_weight: int = 20
    complaint_window_days: int = 180
    complaint_repeat: int = 2
    complaint_weight: int = 25
    satisfaction_max_score: int = 2
    satisfaction_drop: int = 2
    satisfaction_weight: int = 25
    contract_days: int = 60
    contract_weight: int = 30


def _churn_rules(raw: dict) -> ChurnRules:
    d = ChurnRules()
    no_order, contact = raw.get("no_order", {}), raw.get("contact_drop", {})
    complaints, sat = raw.get("complaints", {}), raw.get("satisfaction", {})
    contract = raw.get("contract", {})
    return ChurnRules(
        threshold=int(raw.get("threshold", d.threshold)),
        no_order_days=int(no_order.get("days", d.no_order_days)),
        no_order_weight=int(no_order.get("weight", d.no_order_weight)),
        contact_window_days=int(contact.get("window_days", d.contact_window_days)),
        contact_drop_ratio=float(contact.get("ratio", d.contact_drop_ratio)),
        contact_drop_weight=int(contact.get("weight", d.contact_drop_weight)),
        complaint_window_days=int(complaints.get("window_days", d.complaint_window_days)),
        complaint_repeat=int(complaints.get("repeat", d.complaint_repeat)),
        complaint_weight=int(complaints.get("weight", d.complaint_weight)),
        satisfaction_max_score=int(sat.get("max_score", d.satisfaction_max_score)),
        satisfaction_drop=int(sat.get("drop", d.satisfaction_drop)),
        satisfaction_weight=int(sat.get("weight", d.satisfaction_weight)),
        contract_days=int(contract.get("days", d.contract_days)),
        contract_weight=int(contract.get("weight", d.contract_weight)),
    )


_DEFAULT_PERIODIC = ((Tier.DIAMOND, 30), (Tier.PLATINUM, 90), (Tier.GOLD, 180), (Tier.SILVER, 365))


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///data/crm.db"
    language: str = "zh"
    page_size: int = 50
    session_lifetime_hours: float = 12
    lockout_attempts: int = 5
    lockout_window_minutes: int = 15
    lockout_minutes: int = 15
    # The header a trusted reverse proxy puts the client address in ("" = use the connection's)
    trusted_proxy_header: str = ""
    review_interval_days: int = 180
    # services.probes: look-ups through a 手机号 / 邮箱 / 证件号码 the user may not see in full
    hidden_match_limit_per_hour: int = 5
    hidden_contact_values_per_hour: int = 1000
    hidden_id_values_per_hour: int = 5000
    mobile_keep_prefix: int = 3
    mobile_keep_suffix: int = 4
    id_keep_prefix: int = 4
    id_keep_suffix: int = 4
    industries: tuple[str, ...] = ("金融", "科技", "教育", "医疗", "制造", "零售", "政府", "其他")
    tier_rules: tuple[TierRule, ...] = field(default_factory=tuple)
    new_customer_days: int = 90
    loyal_years: float = 2
    churn_days: int = 365
    complaint_overdue_hours: int = 48
    renewal_warning_days: tuple[int, ...] = (30, 60, 90)
    follow_up_after_first_order_days: int = 7
    follow_up_after_complaint_days: int = 3
    follow_up_next_visit_days: int = 30
    follow_up_method: str = "电话"
    # (tier, days between periodic visits); a tier left out gets no periodic visits
    follow_up_periodic_days: tuple[tuple[Tier, int], ...] = _DEFAULT_PERIODIC
    churn: ChurnRules = field(default_factory=ChurnRules)
    dashboard_cache_ttl_seconds: int = 300
    import_max_file_mb: int = 20
    import_max_rows: int = 200000

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _resolve_sqlite_path(url: str) -> str:
    """Make a relative SQLite path relative to the project, not to the caller's directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(PROJECT_ROOT / url[len(prefix):])
    return url



def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read ``config.toml`` (or ``CRM_CONFIG``) and apply ``CRM_*`` environment overrides."""
    env = dict(os.environ) if env is None else env
    path = path or Path(env.get("CRM_CONFIG", CONFIG_PATH))
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    app = raw.get("app", {})
    sec = raw.get("security", {})
    mask = raw.get("masking", {})
    life = raw.get("lifecycle", {})
    visits = raw.get("follow_ups", {})
    rules = tuple(
        TierRule(
            tier=Tier(name),
            min_spend=Decimal(str(rule.get("min_spend", 0))),
            min_orders=int(rule.get("min_orders", 0)),
            min_tenure_years=float(rule.get("min_tenure_years", 0)),
        )
        for name, rule in raw.get("tiers", {}).items()
    )
    defaults = Settings()
    settings = Settings(
        database_url=env.get("CRM_DATABASE_URL") or app.get("database_url", defaults.database_url),
        language=env.get("CRM_LANGUAGE") or app.get("language", defaults.language),
        page_size=int(app.get("page_size", defaults.page_size)),
        session_lifetime_hours=float(sec.get("session_lifetime_hours",
                                             defaults.session_lifetime_hours)),
        lockout_attempts=int(sec.get("lockout_attempts", defaults.lockout_attempts)),
        lockout_window_minutes=int(sec.get("lockout_window_minutes",
                                           defaults.lockout_window_minutes)),
        lockout_minutes=int(sec.get("lockout_minutes", defaults.lockout_minutes)),
        trusted_proxy_header=str(sec.get("trusted_proxy_header",
                                         defaults.trusted_proxy_header)).strip(),
        review_interval_days=int(sec.get("review_interval_days", defaults.review_interval_days)),
        hidden_match_limit_per_hour=int(sec.get("hidden_match_limit_per_hour",
                                                defaults.hidden_match_limit_per_hour)),
        hidden_contact_values_per_hour=int(sec.get("hidden_contact_values_per_hour",
                                                   defaults.hidden_contact_values_per_hour)),
        hidden_id_values_per_hour=int(sec.get("hidden_id_values_per_hour",
                                              defaults.hidden_id_values_per_hour)),
        mobile_keep_prefix=int(mask.get("mobile_keep_prefix", defaults.mobile_keep_prefix)),
        mobile_keep_suffix=int(mask.get("mobile_keep_suffix", defaults.mobile_keep_suffix)),
        id_keep_prefix=int(mask.get("id_keep_prefix", defaults.id_keep_prefix)),
        id_keep_suffix=int(mask.get("id_keep_suffix", defaults.id_keep_suffix)),
        industries=tuple(raw.get("customers", {}).get("industries", defaults.industries)),
        tier_rules=tuple(sorted(rules, key=lambda r: r.min_spend, reverse=True)),
        new_customer_days=int(life.get("new_customer_days", defaults.new_customer_days)),
        loyal_years=float(life.get("loyal_years", defaults.loyal_years)),
        churn_days=int(life.get("churn_days", defaults.churn_days)),
        complaint_overdue_hours=int(raw.get("complaints", {}).get(
            "overdue_hours", defaults.complaint_overdue_hours)),
        renewal_warning_days=tuple(raw.get("renewals", {}).get(
            "warning_days", defaults.renewal_warning_days)),
        follow_up_after_first_order_days=int(visits.get(
            "after_first_order_days", defaults.follow_up_after_first_order_days)),
        follow_up_after_complaint_days=int(visits.get(
            "after_complaint_days", defaults.follow_up_after_complaint_days)),
        follow_up_next_visit_days=int(visits.get("next_visit_days",
                                                 defaults.follow_up_next_visit_days)),
        follow_up_method=str(visits.get("method", defaults.follow_up_method)),
        follow_up_periodic_days=tuple(
            (Tier(name), int(days)) for name, days in visits["periodic_days"].items()
        ) if "periodic_days" in visits else defaults.follow_up_periodic_days,
        churn=_churn_rules(raw.get("churn", {})),
        dashboard_cache_ttl_seconds=int(raw.get("dashboard", {}).get(
            "cache_ttl_seconds", defaults.dashboard_cache_ttl_seconds)),
        import_max_file_mb=int(raw.get("import", {}).get("max_file_mb",
                                                         defaults.import_max_file_mb)),
        import_max_rows=int(raw.get("import", {}).get("max_rows", defaults.import_max_rows)),
    )
    if settings.follow_up_method not in {"电话", "邮件", "短信", "上门", "在线问卷"}:
        raise ValueError(f"config: follow_ups.method {settings.follow_up_method!r} is not a "
                         "回访 method")
    if settings.language not in ("zh", "en"):
        raise ValueError(f"config: language must be zh or en, not {settings.language!r}")
    return _with_url(settings, _resolve_sqlite_path(settings.database_url))


def _with_url(settings: Settings, url: str) -> Settings:
    from dataclasses import replace

    return replace(settings, database_url=url)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
