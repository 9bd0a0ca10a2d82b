"""The profile of one customer, ready to show (contacts masked for every role), and ``reveal``,
the only way to a full 手机号 / 邮箱 / 证件号码 (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from core import clock
from core.settings import Settings, get_settings
from services.access import audit, crypto, masking
from services.access.roles import Actor, Perm
from services.access.users import display_names
from services.customers import tiers
from services.customers.errors import RecordError
from services.customers.tier_rules import local_date
from services.customers.visibility import is_erased, mask_value, visible

REVEAL_PERMS: Final[dict[str, Perm]] = {
    "mobile": Perm.REVEAL_CONTACT,
    "phone": Perm.REVEAL_CONTACT,  # when protected (services.access.masking.phone_protected)
    "email": Perm.REVEAL_CONTACT,
    "id_number": Perm.REVEAL_ID_NUMBER,
}


@dataclass(frozen=True)
class CustomerProfile:
    """The profile header and details, ready to show: contacts masked for every role."""

    id: int
    customer_no: str
    name: str
    customer_type: str
    gender: str | None
    mobile: str | None  # masked
    phone: str | None  # formatted; masked when protected (services.access.masking.phone_protected)
    phone_masked: bool  # the 固定电话 is protected: masked above, revealed like a 手机号
    email: str | None  # masked
    id_number: str | None  # masked: first 4 and last 4
    company: str | None
    title: str | None
    industry: str | None
    province: str | None
    city: str | None
    address: str | None
    source: str | None
    notes: str | None  # ``masking.HIDDEN_TEXT`` for a trainee on a sensitive record
    tags: list[str]
    account_manager_id: int | None
    account_manager: str | None
    tier: str
    tier_source: str
    tier_reason: str | None
    tier_set_by: str | None
    rule_tier: str  # what the rules say (differs from ``tier`` under a manual tier)
    tier_figures: tiers.TierFigures  # "why this tier": 12-month spend, orders, tenure, checks
    tier_history: list[tiers.TierHistoryItem]
    lifecycle: str
    value_segment: str
    first_order_at: date | None
    last_order_at: date | None
    last_contact_at: date | None
    created_at: datetime
    created_by: str | None
    updated_at: datetime
    updated_by: str | None
    last_reviewed_at: datetime | None
    review_due: date
    review_overdue: bool
    deleted_at: datetime | None
    deleted_by: str | None
    version: int
    can_edit: bool
    can_reveal_contact: bool
    can_reveal_id_number: bool
    can_delete: bool
    texts_hidden: bool = False
    """A trainee on a sensitive record (``masking.SENSITIVE_TAGS``): every free text of the
    customer and its records is shown as ``masking.HIDDEN_TEXT``."""

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def review_due_date(last_reviewed_at: datetime | None, created_at: datetime,
                    settings: Settings | None = None) -> date:
    """The day a record is due for 核查: the last review (or creation) + the interval."""
    settings = settings or get_settings()
    base = last_reviewed_at or created_at
    return local_date(base) + timedelta(days=settings.review_interval_days)


def get_profile(session: Session, actor: Actor, customer_id: int, *,
                today: date | None = None) -> CustomerProfile:
    """The profile of one customer as ``actor`` may see it (never a full contact value)."""
    customer = visible(session, actor, customer_id)
    session.refresh(customer)
    settings = get_settings()
    today = today or clock.today()
    figures = tiers.tier_figures(session, customer, today, settings)
    names = display_names(session, (customer.account_manager_id, customer.created_by_id,
                                  customer.updated_by_id, customer.tier_set_by_id,
                                  customer.deleted_by_id))
    due = review_due_date(customer.last_reviewed_at, customer.created_at, settings)
    id_number = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None
    live = customer.deleted_at is None and not is_erased(customer)
    hidden = masking.hides(session, actor, customer.id)
    return CustomerProfile(
        id=customer.id, customer_no=customer.customer_no, name=customer.name,
        customer_type=customer.customer_type, gender=customer.gender,
        mobile=mask_value("mobile", customer.mobile, settings),
        phone=mask_value("phone", customer.phone, settings, customer_type=customer.customer_type),
        phone_masked=masking.phone_protected(customer.phone, customer.customer_type),
        email=mask_value("email", customer.email, settings),
        id_number=mask_value("id_number", id_number, settings),
        company=customer.company, title=customer.title, industry=customer.industry,
        province=customer.province, city=customer.city, address=customer.address,
        source=customer.source,
        notes=masking.hide_text(customer.notes) if hidden else customer.notes,
        tags=[tag.name for tag in customer.tags],
        account_manager_id=customer.account_manager_id,
        account_manager=names.get(customer.account_manager_id)  # type: ignore[arg-type]
        if customer.account_manager_id else None,
        tier=customer.tier, tier_source=customer.tier_source, tier_reason=customer.tier_reason,
        tier_set_by=names.get(customer.tier_set_by_id)  # type: ignore[arg-type]
        if customer.tier_set_by_id else None,
        rule_tier=figures.rule_tier.value, tier_figures=figures,
        tier_history=tiers.tier_history(session, actor, customer.id),
        lifecycle=customer.lifecycle, value_segment=customer.value_segment,
        first_order_at=customer.first_order_at, last_order_at=customer.last_order_at,
        last_contact_at=customer.last_contact_at,
        created_at=customer.created_at,
        created_by=names.get(customer.created_by_id)  # type: ignore[arg-type]
        if customer.created_by_id else None,
        updated_at=customer.updated_at,
        updated_by=names.get(customer.updated_by_id)  # type: ignore[arg-type]
        if customer.updated_by_id else None,
        last_reviewed_at=customer.last_reviewed_at, review_due=due,
        review_overdue=today > due,
        deleted_at=customer.deleted_at,
        deleted_by=names.get(customer.deleted_by_id)  # type: ignore[arg-type]
        if customer.deleted_by_id else None,
        version=customer.version,
        can_edit=live and actor.can(Perm.EDIT_CUSTOMERS),
        can_reveal_contact=actor.can(Perm.REVEAL_CONTACT)
        and bool(customer.mobile or customer.email
                 or masking.phone_protected(customer.phone, customer.customer_type)),
        can_reveal_id_number=actor.can(Perm.REVEAL_ID_NUMBER) and id_number is not None,
        can_delete=actor.can(Perm.DELETE_CUSTOMERS), texts_hidden=hidden,
    )


def reveal(session: Session, actor: Actor, customer_id: int, field: str) -> str | None:
    """The full 手机号 / 邮箱 / 固定电话 (REVEAL_CONTACT) or 证件号码 (REVEAL_ID_NUMBER); audited
    as ``customer.reveal`` with the field. Trainers never, clerks never the 证件号码."""
    perm = REVEAL_PERMS.get(field)
    if perm is None:
        raise RecordError("records.error.reveal_field", field=field)
    actor.require(perm)
    customer = visible(session, actor, customer_id)
    if field == "id_number":
        value = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None
    elif field == "phone":
        value = masking.mask_field("phone", customer.phone, full=True)
    else:
        value = getattr(customer, field)
    if value is not None:
        audit.record(session, actor, "customer.reveal", "customer", customer.id,
                     detail={"field": field})
    return value
