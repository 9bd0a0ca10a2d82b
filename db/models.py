"""The data model (SQLAlchemy 2 typed ORM), identical on SQLite and PostgreSQL.

Closed vocabularies are stored as their Chinese values (see ``core.vocab``) in plain string
columns, so the Excel export, the database and the spec speak the same words. Money is
``Numeric(14, 2)`` read as ``Decimal``; every timestamp is timezone-aware (``UTCDateTime``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(14, 2, asdecimal=True)
# BIGINT on PostgreSQL, but INTEGER on SQLite so the column stays the rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), Decimal: Money, dict[str, Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(5))
    sessions_revoked_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # A trainee (issue 17): a clerk account of a class, on a demo database only. ``use_alter``:
    # training_classes.created_by points back at users, so one of the two keys comes after.
    training_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_classes.id", use_alter=True), index=True)

    __table_args__ = (
        CheckConstraint("role in ('admin', 'manager', 'clerk', 'trainer')", name="role"),
    )


class LoginLock(Base):
    """Failed logins of one account from one client address, and the lock they led to.

    Per address, so a stranger elsewhere cannot keep the account's owner out; in the database,
    so every app process sees the same count.
    """

    __tablename__ = "login_locks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client: Mapped[str] = mapped_column(String(64))
    failed_attempts: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime]
    locked_until: Mapped[datetime | None] = mapped_column(index=True)

    __table_args__ = (UniqueConstraint("user_id", "client"),)


customer_tags = Table(
    "customer_tags",
    Base.metadata,
    Column("customer_id", BigId, ForeignKey("customers.id", ondelete="CASCADE"),
           primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_customer_tags_tag_id_customer_id", "tag_id", "customer_id"),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime]


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    customer_type: Mapped[str] = mapped_column(String(4), default="个人", index=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    # Last four characters of ``mobile`` for the 尾号 search; kept by
    # ``services.customers.search_index``.
    mobile_last4: Mapped[str | None] = mapped_column(String(4), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    # 证件号码: Fernet ciphertext, plus a keyed hash (HMAC) for duplicate lookup.
    id_number_enc: Mapped[str | None] = mapped_column(Text)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    company: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(String(50))
    industry: Mapped[str | None] = mapped_column(String(20), index=True)
    province: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(4), default="白银")
    tier_source: Mapped[str] = mapped_column(String(10), default="rule")
    tier_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    tier_reason: Mapped[str | None] = mapped_column(String(200))
    lifecycle: Mapped[str] = mapped_column(String(4), default="潜在", index=True)
    value_segment: Mapped[str] = mapped_column(String(4), default="普通")
    account_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    # 个人信息授权 per purpose as of the latest ``consent_ledger`` entry (True granted, False
    # withdrawn, None never recorded): a cache kept by services.privacy.consent, so a list
    # filter or a marketing export reads the row, not the ledger.
    consent_service: Mapped[bool | None] = mapped_column(Boolean)
    consent_marketing: Mapped[bool | None] = mapped_column(Boolean)
    # Activity dates kept on the row so lifecycle, churn and lookups need no aggregate per row.
    first_order_at: Mapped[date | None] = mapped_column(Date)
    last_order_at: Mapped[date | None] = mapped_column(Date)
    last_contact_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Indexed by (last_reviewed_at, created_at) and (deleted_at, created_at) below.
    last_reviewed_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    tags: Mapped[list[Tag]] = relationship(secondary=customer_tags, lazy="selectin",
                                           order_by=Tag.name)
    account_manager: Mapped[User | None] = relationship(foreign_keys=[account_manager_id],
                                                        lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_customers_province_city", "province", "city"),
        # Search (services.customers.lookup): filter counts answered by one index range, and pages
        # walked in id order (explicit on PostgreSQL; SQLite appends the rowid anyway).
        Index("ix_customers_province_tier_id", "province", "tier", "id"),
        Index("ix_customers_last_reviewed_at_created_at", "last_reviewed_at", "created_at"),
        # Dashboards (0005): live customers created before a day, from the index alone.
        Index("ix_customers_deleted_at_created_at", "deleted_at", "created_at"),
        # 流失预警 (0005): customers whose last order is older than a day, from the index alone.
        Index("ix_customers_last_order_at_id", "last_order_at", "id"),
        # Dashboard charts (0005): the customer mix counted from the index alone, in its
        # order (客户构成; customers per account manager), and the few columns a join by id
        # reads to group records by tier or manager (an index-only lookup on PostgreSQL).
        Index("ix_customers_composition", "tier", "customer_type", "lifecycle", "industry",
              "province", "account_manager_id", "created_at", "deleted_at", "first_order_at"),
        Index("ix_customers_id_manager", "id", "account_manager_id", "tier", "deleted_at"),
        # 续约管理 (0004): the ids of a tier or of an account manager's customers from the
        # index alone (id explicit for PostgreSQL; SQLite appends the rowid anyway).
        Index("ix_customers_tier_id", "tier", "id"),
        Index("ix_customers_account_manager_id_id", "account_manager_id", "id"),
        CheckConstraint("customer_type in ('个人', '企业', '机构')", name="customer_type"),
        CheckConstraint("tier in ('白银', '黄金', '铂金', '钻石')", name="tier"),
        CheckConstraint("tier_source in ('rule', 'manual')", name="tier_source"),
        CheckConstraint("lifecycle in ('潜在', '新客户', '稳定', '老客户', '流失')",
                        name="lifecycle"),
        CheckConstraint("value_segment in ('高价值', '潜在', '普通')", name="value_segment"),
    )


class ConsentEntry(Base):
    """One grant or withdrawal of a customer's consent (个人信息授权) for one purpose: the
    ledger the current state is read from (its latest entry), never edited. For an enterprise
    or institution it is the consent of the contact person the record's contacts reach.
    ``import_id``: the Excel import that wrote it, so undoing that import removes it."""

    __tablename__ = "consent_ledger"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(4))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(4))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("imports.id", ondelete="SET NULL"), index=True)

    __table_args__ = (
        # A customer's entries per purpose, latest first: the state and the history.
        Index("ix_consent_ledger_customer_id_purpose_at", "customer_id", "purpose", "at"),
        CheckConstraint("purpose in ('服务', '营销')", name="purpose"),
        CheckConstraint("channel in ('表单', '电话', '在线', '拜访', '导入', '其他')",
                        name="channel"),
    )


customer_search_grams = Table(
    "customer_search_grams",
    Base.metadata,
    # Unigrams and bigrams of the ASCII-lower-cased name and company
    # (services.customers.search_index).
    # The key is the index: one gram's customers in id order. No foreign key: a cascade would
    # need a second index on customer_id just for hard deletes, which the ORM events handle.
    # Byte order on PostgreSQL ("C"): a third faster to build and probe than a locale's order,
    # which a gram has no use for.
    Column("gram", String(2).with_variant(String(2, collation="C"), "postgresql"),
           primary_key=True),
    Column("customer_id", BigId, primary_key=True),
    sqlite_with_rowid=False,
)


customer_review_days = Table(
    "customer_review_days",
    Base.metadata,
    # How many customers (deleted included) were last reviewed, or if never reviewed created,
    # on each UTC day: the "review overdue" total without counting most of the table. Kept by
    # triggers (migration 0007) as append-only deltas, so no writer waits on a shared counter
    # row; services.customers.review_days sums and compacts them.
    Column("day", Date, nullable=False),
    Column("customers", Integer, nullable=False),
    Index("ix_customer_review_days_day_customers", "day", "customers"),
)


class TierChange(Base):
    """Every tier change, from the rules or by a person, as the profile shows it."""

    __tablename__ = "tier_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    from_tier: Mapped[str | None] = mapped_column(String(4))
    to_tier: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime]


class Interaction(Base):
    """沟通记录."""

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    method: Mapped[str] = mapped_column(String(4))
    content: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_interactions_customer_id_occurred_at", "customer_id", "occurred_at"),
        # Dashboards (0005): the customers contacted in a period, from the index alone.
        Index("ix_interactions_occurred_at_customer_id", "occurred_at", "customer_id"),
        CheckConstraint("method in ('电话', '邮件', '短信', '拜访', '在线')", name="method"),
    )


class FollowUp(Base):
    """回访: planned, then done with its outcome and the next date."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    planned_date: Mapped[date] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(4))
    purpose: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(Text)
    feedback: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(String(200))
    next_date: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Why it was planned: by hand, or by a rule of config.toml [follow_ups].
    source: Mapped[str] = mapped_column(String(12), default="manual", server_default="manual")
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]

    __table_args__ = (
        # Visits done (ranges of done_date: dashboards). Partial, so that the worklist's
        # "done_date IS NULL" is never mistaken for a selective probe of this index.
        Index("ix_follow_ups_done_date_planned_date", "done_date", "planned_date",
              sqlite_where=text("done_date IS NOT NULL"),
              postgresql_where=text("done_date IS NOT NULL")),
        # The 回访 worklist: open visits by due date, everyone's or one assignee's, in the
        # page's order, covering its filters (method, the deleted-customer check).
        Index("ix_follow_ups_open_due", "planned_date", "method", "customer_id", "id",
              sqlite_where=text("done_date IS NULL"), postgresql_where=text("done_date IS NULL")),
        Index("ix_follow_ups_open_assignee", "assignee_id", "planned_date", "method",
              "customer_id", "id", sqlite_where=text("done_date IS NULL"),
              postgresql_where=text("done_date IS NULL")),
        # Dashboards (0005): the customers visited in a period, from the index alone.
        Index("ix_follow_ups_done_date_customer_id", "done_date", "customer_id"),
        CheckConstraint("method in ('电话', '邮件', '短信', '上门', '在线问卷')", name="method"),
        CheckConstraint("source in ('manual', 'first_order', 'complaint', 'periodic', 'next')",
                        name="source"),
    )


class Order(Base):
    """交易记录."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    order_date: Mapped[date] = mapped_column(Date, index=True)
    product: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal]
    payment_method: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_orders_customer_id_order_date", "customer_id", "order_date"),
        # Dashboards (0005): the customers and amounts of a period, from the index alone.
        Index("ix_orders_order_date_customer_id_amount", "order_date", "customer_id", "amount"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("amount >= 0", name="amount"),
    )


class Complaint(Base):
    """投诉 and its handling."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    channel: Mapped[str] = mapped_column(String(4), index=True)
    complaint_type: Mapped[str] = mapped_column(String(10), index=True)
    description: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(4), default="待处理")
    handling_steps: Mapped[str | None] = mapped_column(Text)
    solution: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    # Minutes from received to resolved, computed when it is resolved (never typed), so that
    # averages and medians are plain SQL on both databases.
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_complaints_status_received_at", "status", "received_at"),
        # The 投诉处理 queue (0004): any mix of its filters within a status range, counted and
        # paged in received order from the index alone (id: the order's tie-break).
        Index("ix_complaints_queue", "status", "received_at", "id", "channel", "complaint_type",
              "handler_id", "customer_id"),
        # Dashboards (0005): open at a moment (unresolved, or resolved after it) and the
        # resolution times of a period, from the index alone.
        Index("ix_complaints_resolved_at_received_at_closed_at", "resolved_at", "received_at",
              "closed_at", "resolution_minutes", "customer_id"),
        # Dashboard charts (0005): the complaints received in a period by channel, type and
        # status, from the index alone.
        Index("ix_complaints_received_at_cover", "received_at", "customer_id", "channel",
              "complaint_type", "status"),
        CheckConstraint("channel in ('电话', '邮件', '在线客服', '反馈表')", name="channel"),
        CheckConstraint("status in ('待处理', '处理中', '已解决', '已关闭')", name="status"),
    )


class ComplaintEvent(Base):
    """One step of a complaint's handling: a status change or a note, who and when."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(10))
    from_status: Mapped[str | None] = mapped_column(String(4))
    to_status: Mapped[str | None] = mapped_column(String(4))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_complaint_events_complaint_id_at", "complaint_id", "at"),
        CheckConstraint("action in ('create', 'assign', 'start', 'note', 'resolve', 'close', "
                        "'reopen')", name="action"),
    )


class Survey(Base):
    """满意度调查: score 5 (非常满意) … 1 (非常不满意)."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    survey_date: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str | None] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_surveys_customer_id_survey_date", "customer_id", "survey_date"),
        # Dashboards (0005): a period's scores, from the index alone.
        Index("ix_surveys_survey_date_score_customer_id", "survey_date", "score", "customer_id"),
        CheckConstraint("score between 1 and 5", name="score"),
    )


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    contract_no: Mapped[str] = mapped_column(String(32), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal]
    previous_contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    created_at: Mapped[datetime]

    __table_args__ = (
        # 续约管理 (0004): the contracts of an expiry window with their customers, from the
        # index alone, in (end date, id) order (id explicit for PostgreSQL).
        Index("ix_contracts_end_date_id_customer_id", "end_date", "id", "customer_id"),
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint("amount >= 0", name="amount"),
    )


class Renewal(Base):
    """续约 record of a contract: the decision and, when renewed, the amount."""

    __tablename__ = "renewals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    decided_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(4))
    amount: Mapped[Decimal | None]
    reason: Mapped[str | None] = mapped_column(String(200))
    new_contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]

    __table_args__ = (
        # 续约管理 (0004): where a contract's renewal stands, one index probe per contract;
        # the records of one outcome, counted and paged (latest due first) from the index.
        Index("ix_renewals_contract_id_outcome", "contract_id", "outcome"),
        Index("ix_renewals_outcome_due_date_id", "outcome", "due_date", "id", "customer_id"),
        # Dashboards (0005): a period's outcomes and amounts, from the index alone.
        Index("ix_renewals_due_date_outcome_amount", "due_date", "outcome", "amount",
              "customer_id"),
        CheckConstraint("outcome in ('已续约', '未续约', '跟进中')", name="outcome"),
    )


class RenewalTarget(Base):
    """续约目标 of one period, set by a manager: the renewal rate and amount aimed for."""

    __tablename__ = "renewal_targets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(7))
    period_start: Mapped[date] = mapped_column(Date)
    target_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # percent, 0-100
    target_amount: Mapped[Decimal | None]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("period_kind", "period_start"),
        CheckConstraint("period_kind in ('month', 'quarter', 'year')", name="period_kind"),
        CheckConstraint("target_rate between 0 and 100", name="target_rate"),
        CheckConstraint("target_amount >= 0", name="target_amount"),
    )


class ChurnScore(Base):
    """A customer at churn risk, as of ``churn_state.day`` (services.analysis.churn keeps it:
    rebuilt each day or when the rules change, and for the customers whose records changed).
    Derived data: only ids and figures, never audited."""

    __tablename__ = "churn_scores"

    customer_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    flags: Mapped[int] = mapped_column(Integer)  # bit mask of the rules that fired
    spend: Mapped[Decimal]  # orders over the last 12 months, for the list's order

    __table_args__ = (
        Index("ix_churn_scores_score_spend_customer_id", "score", "spend", "customer_id"),
    )


class ChurnState(Base):
    """The one row saying what ``churn_scores`` is computed from: the day, the rules and the
    data marks (newest audit row and record ids) it has seen."""

    __tablename__ = "churn_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    rules: Mapped[str] = mapped_column(String(300))
    marks: Mapped[dict[str, Any]]
    # {"total": n, "by_rule": {rule: n}} over live customers, for the unfiltered views
    summary: Mapped[dict[str, Any] | None]
    rebuilt_at: Mapped[datetime]
    refreshed_at: Mapped[datetime]


class AuditEntry(Base):
    """Append-only audit trail; the migration adds triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(30), index=True)
    entity: Mapped[str | None] = mapped_column(String(30))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    changes: Mapped[dict[str, Any] | None]
    detail: Mapped[dict[str, Any] | None]
    # Random salt of the digest of ``changes``/``detail`` that the chain covers; None once an
    # erasure scrubbed those values (``erased_by`` then names the erasure entry).
    salt: Mapped[str | None] = mapped_column(String(32))
    erased_by: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),)


class AuditChainLink(Base):
    """One link of the audit log's hash chain (``services.access.audit_chain``): ``seq`` counts
    links in commit order without gaps; ``hash`` is the HMAC of the previous hash, seq and entry."""

    __tablename__ = "audit_chain"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("audit_log.id"), unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the entry's salt and personal values, kept here so an erasure can scrub them.
    digest: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The chain's last link (one row, id 1): locked while linking, so the chain cannot fork."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class NumberCounter(Base):
    """Counters for issued numbers (客户编号 per year), safe across processes. Table ``sequences``;
    not named ``Sequence``, which would shadow the standard abstract type."""

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class DatabaseFact(Base):
    """Facts about this database kept in the database itself, not in a config file that can
    be copied or edited: whether ``seed-demo`` made it a demo database, and fingerprints of
    the keys its encrypted fields were written with (``services.system.database_facts``)."""

    __tablename__ = "database_facts"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class ImportRun(Base):
    """One committed Excel import (services.excel): who, when, which file, the counts, and
    what it wrote, so that an administrator or manager can undo it.

    ``inserted_ids`` holds the ids the import created as ``[first, last]`` ranges (compact
    for 100,000 rows); ``updates`` one entry per updated customer: its id, the version the
    import left it at, the Excel row and the before-values of the columns it changed.
    """

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(index=True)
    on_duplicate: Mapped[str] = mapped_column(String(10))
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    blank: Mapped[int] = mapped_column(Integer, default=0)
    inserted_ids: Mapped[list[Any] | None] = mapped_column(JSON)
    updates: Mapped[list[Any] | None] = mapped_column(JSON)
    detail: Mapped[dict[str, Any] | None]
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint("kind in ('customers', 'orders', 'complaints', 'surveys', "
                        "'follow_ups', 'renewals')", name="kind"),
        CheckConstraint("on_duplicate in ('skip', 'update')", name="on_duplicate"),
    )


class HiddenKeyProbe(Base):
    """One look-up through a key its user may not see in full (services.access.probes): ``kind``
    ``contact`` / ``id`` for a value submitted (``digest``: its keyed hash, so a value asked
    again in the hour is not counted twice), ``match`` for an action that found a customer
    through such a key (``digest``: of the set of values it asked). Counted per user and
    hour."""

    __tablename__ = "hidden_key_probes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # No foreign key: written in a transaction of its own, which must not wait for (or fail
    # on) a users row the caller's transaction holds.
    user_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(10))
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_hidden_key_probes_user_id_kind_at", "user_id", "kind", "at"),
        CheckConstraint("kind in ('contact', 'id', 'match')", name="kind"),
    )


class ImportHold(Base):
    """Rows of a customer import held back because they match an existing customer only
    through a key the uploader may not see in full: kept as one group for a manager or an
    administrator to import or discard. ``payload`` is the encrypted JSON of the rows (header,
    column mapping, cells): it holds 证件号码 and contacts in full."""

    __tablename__ = "import_holds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(50))
    file_name: Mapped[str] = mapped_column(String(255))
    on_duplicate: Mapped[str] = mapped_column(String(10))
    rows: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), index=True, default="open")
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    import_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("imports.id"))

    __table_args__ = (
        CheckConstraint("status in ('open', 'imported', 'discarded')", name="status"),
        CheckConstraint("on_duplicate in ('skip', 'update')", name="on_duplicate"),
    )


# ---- training (issue 17): classes of trainees and their course ----------------------------

class TrainingClass(Base):
    """A trainer's class of trainee accounts on a demo database (services.training.classes):
    its dataset, the snapshot it starts from, when it expires or was closed."""

    __tablename__ = "training_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    dataset: Mapped[str] = mapped_column(String(20))
    snapshot_name: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("dataset in ('general', 'retail', 'finance', 'healthcare')",
                        name="dataset"),
    )


class CourseProgress(Base):
    """One exercise a trainee finished (checked from what they did, or from their answer)."""

    __tablename__ = "course_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    chapter: Mapped[str] = mapped_column(String(30))
    exercise: Mapped[str] = mapped_column(String(50))
    done_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("user_id", "chapter", "exercise"),)


class CourseQuizResult(Base):
    """One attempt at a chapter's quiz (every attempt kept; the best one counts)."""

    __tablename__ = "course_quiz_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    chapter: Mapped[str] = mapped_column(String(30))
    score: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    answers: Mapped[str] = mapped_column(Text)
    taken_at: Mapped[datetime]


class CourseFeedback(Base):
    """A trainee's 课程满意度评价 of the course (one per user, changed in place)."""

    __tablename__ = "course_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (CheckConstraint("rating between 1 and 5", name="rating"),)


class TrainingMistake(Base):
    """A validation message a trainee met (its key, not the value typed): the class's common
    mistakes."""

    __tablename__ = "training_mistakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"))
    message_key: Mapped[str] = mapped_column(String(80))
    field: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_training_mistakes_class_id_message_key", "class_id", "message_key"),
    )
