"""The timeline of one customer: orders, contacts, visits, complaints, surveys, renewals and
tier changes, newest first, paged."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.i18n import label, t
from core.money import money_text
from core.vocab import SATISFACTION_LABELS
from db.models import (
    Complaint,
    Contract,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    Survey,
    TierChange,
)
from services.access import masking
from services.access.roles import Actor
from services.customers import tiers
from services.customers.visibility import local_midnight, visible

TIMELINE_KINDS: Final = ("order", "interaction", "follow_up", "complaint", "survey", "renewal",
                         "contract", "tier_change")


_KIND_RANK: Final = {kind: rank for rank, kind in enumerate(TIMELINE_KINDS)}


@dataclass(frozen=True)
class TimelineItem:
    """One event of the 时间线. ``when`` is aware; date-only records (``all_day``) sit at
    00:00 China time. Title and detail render per language via ``title`` / ``detail_text``."""

    kind: str
    when: datetime
    all_day: bool
    record_id: int
    title_key: str
    title_params: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None
    detail_key: str | None = None
    quantity: int | None = None
    """An order's quantity, and below the amount of an order, contract or decided renewal: in
    their own columns, since a table cuts a long event text and the figures with it."""
    amount: Decimal | None = None

    @property
    def amount_text(self) -> str:
        """The amount as the 时间线 shows it (``12,345.50``), empty when the event has none."""
        return "" if self.amount is None else money_text(self.amount)

    def title(self, lang: str = "zh") -> str:
        params = {k: label(v, lang) if isinstance(v, str) else ("—" if v is None else v)
                  for k, v in self.title_params.items()}
        return t(self.title_key, lang, **params)

    def detail_text(self, lang: str = "zh") -> str:
        if self.detail_key is not None:
            return t(self.detail_key, lang)
        return self.detail or ""


@dataclass(frozen=True)
class TimelinePage:
    items: list[TimelineItem]
    total: int


def _join(*parts: str | None) -> str | None:
    text = " / ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def _timeline_sources(customer_id: int) -> list[tuple[str, Any, Any, Any]]:
    """Per kind: (kind, entity, sort column, customer filter)."""
    followup_when = func.coalesce(FollowUp.done_date, FollowUp.planned_date)
    return [
        ("order", Order, Order.order_date, Order.customer_id == customer_id),
        ("interaction", Interaction, Interaction.occurred_at,
         Interaction.customer_id == customer_id),
        ("follow_up", FollowUp, followup_when, FollowUp.customer_id == customer_id),
        ("complaint", Complaint, Complaint.received_at, Complaint.customer_id == customer_id),
        ("survey", Survey, Survey.survey_date, Survey.customer_id == customer_id),
        ("renewal", Renewal, Renewal.due_date, Renewal.customer_id == customer_id),
        ("contract", Contract, Contract.start_date, Contract.customer_id == customer_id),
        ("tier_change", TierChange, TierChange.changed_at,
         TierChange.customer_id == customer_id),
    ]


def _item(kind: str, row: Any) -> TimelineItem:
    if kind == "order":
        return TimelineItem(kind, local_midnight(row.order_date), True, row.id,
                            "records.timeline.order",
                            {"order_no": row.order_no, "product": row.product,
                             "quantity": row.quantity, "amount": money_text(row.amount)},
                            detail=row.payment_method, quantity=row.quantity, amount=row.amount)
    if kind == "interaction":
        return TimelineItem(kind, row.occurred_at, False, row.id, "records.timeline.interaction",
                            {"method": row.method}, detail=row.content)
    if kind == "follow_up":
        done = row.done_date is not None
        return TimelineItem(kind, local_midnight(row.done_date or row.planned_date), True,
                            row.id, "records.timeline.follow_up_done" if done
                            else "records.timeline.follow_up_planned",
                            {"method": row.method, "purpose": row.purpose or ""},
                            detail=_join(row.result, row.feedback, row.content))
    if kind == "complaint":
        return TimelineItem(kind, row.received_at, False, row.id, "records.timeline.complaint",
                            {"complaint_type": row.complaint_type, "status": row.status},
                            detail=row.description)
    if kind == "survey":
        return TimelineItem(kind, local_midnight(row.survey_date), True, row.id,
                            "records.timeline.survey",
                            {"score": row.score,
                             "label": SATISFACTION_LABELS.get(row.score, str(row.score))},
                            detail=row.comment)
    if kind == "renewal":
        return TimelineItem(kind, local_midnight(row.due_date), True, row.id,
                            "records.timeline.renewal" if row.amount is not None
                            else "records.timeline.renewal_open",
                            {"due_date": row.due_date.isoformat(), "outcome": row.outcome,
                             "amount": money_text(row.amount)},
                            detail=row.reason, amount=row.amount)
    if kind == "contract":
        return TimelineItem(kind, local_midnight(row.start_date), True, row.id,
                            "records.timeline.contract_renewal" if row.previous_contract_id
                            else "records.timeline.contract",
                            {"contract_no": row.contract_no,
                             "start_date": row.start_date.isoformat(),
                             "end_date": row.end_date.isoformat(),
                             "amount": money_text(row.amount)},
                            amount=row.amount)
    return TimelineItem(kind, row.changed_at, False, row.id, "records.timeline.tier_change",
                        {"from_tier": row.from_tier, "to_tier": row.to_tier},
                        detail=row.reason, detail_key=tiers.stored_reason_key(row.reason))


_TITLE_TEXTS: Final = {"order": ("product",), "follow_up": ("purpose",)}
"""Free texts a title carries (hidden with the detail for a trainee on a sensitive record)."""


def _hidden(item: TimelineItem) -> TimelineItem:
    """The event with its free texts hidden: the detail, and the product or purpose named in
    the title; a tier change's reason is the rules' own wording, not the customer's."""
    if item.kind == "tier_change":
        return item
    params = {k: masking.hide_text(v) if k in _TITLE_TEXTS.get(item.kind, ()) else v
              for k, v in item.title_params.items()}
    detail = item.detail if item.kind in ("order", "contract") else masking.hide_text(item.detail)
    return replace(item, title_params=params, detail=detail)


def timeline(session: Session, actor: Actor, customer_id: int, *, limit: int = 50,
             offset: int = 0) -> TimelinePage:
    """Orders, contacts, follow-ups, complaints, surveys, renewals and tier changes of one
    customer in one list, newest first, paged. Each kind is read newest first up to
    ``offset + limit`` rows, then merged, so a page costs a few indexed queries."""
    customer = visible(session, actor, customer_id)
    items: list[TimelineItem] = []
    total = 0
    for kind, entity, when, where in _timeline_sources(customer.id):
        total += session.scalar(select(func.count()).select_from(entity).where(where)) or 0
        rows = session.scalars(select(entity).where(where)
                               .order_by(when.desc(), entity.id.desc())
                               .limit(offset + limit))
        items.extend(_item(kind, row) for row in rows)
    if masking.hides(session, actor, customer.id):
        items = [_hidden(item) for item in items]
    items.sort(key=lambda i: (i.when, -_KIND_RANK[i.kind], i.record_id), reverse=True)
    return TimelinePage(items=items[offset:offset + limit], total=total)
