"""回访 (follow-up visits): plan one, record one done, correct or delete it, and the worklist of
visits due today, overdue and coming up.

A visit is *planned* (``done_date`` empty) or *done*. Recording a visit stores purpose, content,
customer feedback and result, and proposes the next date (done date +
``follow_ups.next_visit_days``); when the next date is kept, the next visit is planned right
away (``source = 'next'``), with the same method and assignee. The planning rules of
``config.toml`` live in ``services.records.visit_planning``.

The worklist reads only open visits through the indexes ``(done_date, planned_date)`` and
``(assignee_id, done_date, planned_date)``, so a page and its total stay fast at a million
customers (``bench/follow_up_cases.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from core import clock
from core.errors import CatalogError
from core.settings import Settings, get_settings
from core.vocab import VisitMethod
from db.models import Customer, FollowUp, User
from services.access import audit, masking
from services.access.roles import Actor, Perm
from services.customers import live, mask_value
from services.records.contacts import refresh_last_contact
from services.records.input import Checker, InvalidRecord
from services.records.stored import add_record, delete_record, live_record, update_record

UPCOMING_DAYS: Final = 14
"""The 即将到期 tab: open visits planned for the next this many days."""
SOURCES: Final = ("manual", "first_order", "complaint", "periodic", "next")
PLAN_FIELDS: Final = ("planned_date", "method", "purpose", "assignee_id")
RECORD_FIELDS: Final = ("done_date", "method", "purpose", "content", "feedback", "result",
                        "next_date")
TEXT_MAX: Final = 5000


class VisitNotFound(CatalogError):
    def __init__(self, follow_up_id: int) -> None:
        super().__init__("visits.error.not_found", follow_up_id=follow_up_id)


class VisitAlreadyDone(CatalogError):
    def __init__(self) -> None:
        super().__init__("visits.error.already_done")


class Due(StrEnum):
    TODAY = "today"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class VisitView:
    id: int
    customer_id: int
    planned_date: date
    done_date: date | None
    method: str
    purpose: str | None
    content: str | None
    feedback: str | None
    result: str | None
    next_date: date | None
    assignee_id: int | None
    source: str
    complaint_id: int | None

    @property
    def done(self) -> bool:
        return self.done_date is not None

    def values(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {n: getattr(self, n) for n in names}


@dataclass(frozen=True)
class RecordResult:
    follow_up_id: int
    next_id: int | None


# ---- checking the forms ------------------------------------------------------------------------


def _assignee(session: Session, check: Checker, raw: Mapping[str, Any],
              keep: int | None = None) -> int | None:
    """An active user's id (the visit's current assignee is accepted even if deactivated)."""
    value = raw.get("assignee_id")
    if value in (None, ""):
        return None
    try:
        user_id = int(value)
    except (TypeError, ValueError):
        check.fail("assignee_id", "recinput.user.unknown")
        return None
    if user_id == keep:
        return user_id
    user = session.get(User, user_id)
    if user is None or not user.active:
        check.fail("assignee_id", "recinput.user.unknown")
        return None
    return user_id


def check_plan(session: Session, raw: Mapping[str, Any], *, today: date | None = None,
               current: VisitView | None = None) -> dict[str, Any]:
    """A planned visit: date (today or later; an overdue visit may keep its date), method,
    purpose, assignee."""
    today = today or clock.today()
    check = Checker("visit", raw, today)
    planned = check.day("planned_date", required=True, not_future=False)
    if planned is not None and planned < today and not (
            current is not None and planned == current.planned_date):
        check.fail("planned_date", "recinput.date.past", value=planned.isoformat(),
                   today=today.isoformat())
        planned = None
    values = {
        "planned_date": planned,
        "method": check.choice("method", [m.value for m in VisitMethod], required=True),
        "purpose": check.text("purpose", required=True, max_length=200),
        "assignee_id": _assignee(session, check, raw,
                                 current.assignee_id if current else None),
    }
    check.done()
    return values


def check_record(raw: Mapping[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """A visit done: done date (not in the future), method, purpose, content, feedback, result,
    and the next date (after the done date, not in the past) if any."""
    today = today or clock.today()
    check = Checker("visit", raw, today)
    done = check.day("done_date", required=True)
    values = {
        "done_date": done,
        "method": check.choice("method", [m.value for m in VisitMethod], required=True),
        "purpose": check.text("purpose", required=True, max_length=200),
        "content": check.text("content", required=True, max_length=TEXT_MAX,
                              multiline=True),
        "feedback": check.text("feedback", max_length=TEXT_MAX, multiline=True),
        "result": check.text("result", required=True, max_length=200),
        "next_date": check.day("next_date", not_future=False),
    }
    nxt = values["next_date"]
    if nxt is not None and done is not None and nxt <= done:
        check.fail("next_date", "recinput.date.before", value=nxt.isoformat(),
                   other=(done + timedelta(days=1)).isoformat())
    elif nxt is not None and nxt < today:
        check.fail("next_date", "recinput.date.past", value=nxt.isoformat(),
                   today=today.isoformat())
    check.done()
    return values


def propose_next_date(done_date: date | None = None, settings: Settings | None = None) -> date:
    """The next visit's proposed date: ``follow_ups.next_visit_days`` after the visit (never
    before tomorrow)."""
    settings = settings or get_settings()
    today = clock.today()
    base = done_date or today
    return max(base + timedelta(days=settings.follow_up_next_visit_days),
               today + timedelta(days=1))


# ---- reading one ---------------------------------------------------------------------------------


def _view(row: FollowUp) -> VisitView:
    return VisitView(row.id, row.customer_id, row.planned_date, row.done_date, row.method,
                     row.purpose, row.content, row.feedback, row.result, row.next_date,
                     row.assignee_id, row.source, row.complaint_id)


def _visit(session: Session, follow_up_id: int) -> FollowUp:
    return live_record(session, FollowUp, follow_up_id, VisitNotFound)


def get_visit(session: Session, actor: Actor, follow_up_id: int) -> VisitView:
    actor.require(Perm.VIEW_CUSTOMERS)
    row = _visit(session, follow_up_id)
    return masking.hide_record(_view(row), "follow_up",
                               masking.hides(session, actor, row.customer_id))


def default_assignee(session: Session, actor: Actor, customer_id: int) -> int | None:
    """Who a new visit goes to: the customer's account manager, else the person planning it."""
    manager = session.scalar(select(Customer.account_manager_id)
                             .where(Customer.id == customer_id))
    return manager if manager is not None else actor.user_id


def _keyed(values: Mapping[str, Any], session: Session | None = None) -> dict[str, Any]:
    """Audit keys ``visit.<field>``; the assignee by username (``visit.assignee``), so the
    变更记录 reads as names, not ids."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "assignee_id":
            user = session.get(User, value) if session is not None and value else None
            out["visit.assignee"] = user.username if user else value
        else:
            out[f"visit.{key}"] = value
    return out


def _audit(session: Session, actor: Actor, action: str, row: FollowUp,
           changes: Mapping[str, Any], **detail: Any) -> None:
    audit.record(session, actor, action, "customer", row.customer_id, changes=changes,
                 detail={"follow_up_id": row.id, **detail})


# ---- changing ------------------------------------------------------------------------------------


def plan_visit(session: Session, actor: Actor, customer_id: int, raw: Mapping[str, Any]) -> int:
    """Plan a visit by hand (``source = 'manual'``); the assignee defaults to the account
    manager when the form leaves it out (key absent)."""
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = live(session, customer_id)
    if "assignee_id" not in raw:
        raw = {**raw, "assignee_id": default_assignee(session, actor, customer.id)}
    values = check_plan(session, raw)
    row = add_record(session, actor, FollowUp(customer_id=customer.id, source="manual",
                                              created_at=clock.now(), **values),
                     "follow_up.plan", _keyed(values, session), "follow_up_id")
    return row.id


def _plan_next(session: Session, actor: Actor, row: FollowUp, next_date: date) -> int:
    following = FollowUp(customer_id=row.customer_id, planned_date=next_date, method=row.method,
                         purpose=row.purpose, assignee_id=row.assignee_id
                         or default_assignee(session, actor, row.customer_id),
                         source="next", created_at=clock.now())
    session.add(following)
    session.flush()
    _audit(session, actor, "follow_up.plan", following,
           audit.diff({}, _keyed({"planned_date": next_date, "method": following.method,
                                  "purpose": following.purpose})),
           source="next", after_follow_up_id=row.id)
    return following.id


def record_visit(session: Session, actor: Actor, follow_up_id: int, raw: Mapping[str, Any], *,
                 plan_next: bool = True) -> RecordResult:
    """Record a planned visit as done. With ``plan_next`` and a next date, the next visit is
    planned in the same transaction."""
    actor.require(Perm.EDIT_CUSTOMERS)
    row = _visit(session, follow_up_id)
    if row.done_date is not None:
        raise VisitAlreadyDone()
    values = check_record(raw)
    before = _view(row).values(RECORD_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    row.done_by_id = actor.user_id
    session.flush()
    _audit(session, actor, "follow_up.record", row, audit.diff(_keyed(before), _keyed(values)))
    next_id = _plan_next(session, actor, row, values["next_date"]) if (
        plan_next and values["next_date"] is not None) else None
    refresh_last_contact(session, row.customer_id)
    return RecordResult(row.id, next_id)


def record_unplanned(session: Session, actor: Actor, customer_id: int, raw: Mapping[str, Any],
                     *, plan_next: bool = True) -> RecordResult:
    """Record a visit that was done without being planned (planned date = done date)."""
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = live(session, customer_id)
    values = check_record(raw)
    row = FollowUp(customer_id=customer.id, planned_date=values["done_date"], source="manual",
                   assignee_id=actor.user_id, done_by_id=actor.user_id, created_at=clock.now(),
                   **values)
    session.add(row)
    session.flush()
    _audit(session, actor, "follow_up.record", row, audit.diff({}, _keyed(values)))
    next_id = _plan_next(session, actor, row, values["next_date"]) if (
        plan_next and values["next_date"] is not None) else None
    refresh_last_contact(session, customer.id)
    return RecordResult(row.id, next_id)


def update_visit(session: Session, actor: Actor, follow_up_id: int,
                 raw: Mapping[str, Any]) -> bool:
    """Correct a visit: a planned one's plan (date, method, purpose, assignee), a done one's
    record (no next visit is planned by a correction)."""
    actor.require(Perm.EDIT_CUSTOMERS)
    row = _visit(session, follow_up_id)
    current = _view(row)
    raw = masking.keep_hidden(raw, current.values(tuple(masking.SENSITIVE_TEXTS["follow_up"])))
    if current.done:
        values = check_record(raw)
        before = current.values(RECORD_FIELDS)
    else:
        values = check_plan(session, raw, current=current)
        before = current.values(PLAN_FIELDS)
    if not update_record(session, actor, row, "follow_up.update", values,
                         _keyed(before, session), _keyed(values, session),
                         {"follow_up_id": row.id}):
        return False
    if current.done:
        refresh_last_contact(session, row.customer_id)
    return True


def delete_visit(session: Session, actor: Actor, follow_up_id: int) -> None:
    """Delete a visit (admins only: deleting a service record needs DELETE_CUSTOMERS)."""
    actor.require(Perm.DELETE_CUSTOMERS)
    row = _visit(session, follow_up_id)
    current = _view(row)
    before = _keyed(current.values(RECORD_FIELDS if current.done else PLAN_FIELDS), session)
    customer_id = delete_record(session, actor, row, "follow_up.delete", before,
                                {"follow_up_id": follow_up_id, "source": current.source})
    if current.done:
        refresh_last_contact(session, customer_id)


def reassign(session: Session, actor: Actor, follow_up_id: int, assignee_id: int | None) -> None:
    """Give an open visit to someone else (TEAM_WORK: managers and admins)."""
    actor.require(Perm.TEAM_WORK)
    row = _visit(session, follow_up_id)
    if row.done_date is not None:
        raise VisitAlreadyDone()
    check = Checker("visit", {"assignee_id": assignee_id}, clock.today())
    new = _assignee(session, check, {"assignee_id": assignee_id})
    if check.errors:
        raise InvalidRecord(check.errors)
    if new == row.assignee_id:
        return
    changes = audit.diff(_keyed({"assignee_id": row.assignee_id}, session),
                         _keyed({"assignee_id": new}, session))
    row.assignee_id = new
    session.flush()
    _audit(session, actor, "follow_up.update", row, changes)


# ---- the worklist --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistFilter:
    due: Due = Due.TODAY
    mine: bool = True
    method: str | None = None
    assignee_id: int | None = None       # only with TEAM_WORK (everyone's list)


@dataclass(frozen=True)
class WorklistRow:
    id: int
    customer_id: int
    customer_no: str
    customer_name: str
    tier: str
    mobile: str | None                   # masked per role
    planned_date: date
    days_late: int                       # > 0 overdue, 0 today, < 0 days to go
    method: str
    purpose: str | None
    source: str
    assignee: str | None


@dataclass(frozen=True)
class WorklistPage:
    rows: list[WorklistRow]
    total: int
    today: date


OPEN_DUE_INDEX: Final = "ix_follow_ups_open_due"
OPEN_ASSIGNEE_INDEX: Final = "ix_follow_ups_open_assignee"


def _allow_sqlite_indexed_by() -> None:
    """Let ``Select.with_hint(table, "INDEXED BY ix", dialect_name="sqlite")`` reach SQLite
    (its compiler drops from-hints; only ``INDEXED BY …`` hints are passed through).

    Why: SQLite's statistics give ``done_date IS NULL`` the average rows of one done date, so
    any index leading with ``done_date`` looks far more selective than the open-visit partial
    indexes and a count of 85,000 overdue visits reads the table instead of one index. The
    worklist names its index; PostgreSQL ignores the hint and picks the partial index itself.
    """
    from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

    if getattr(SQLiteCompiler, "_crm_indexed_by", False):
        return

    def get_from_hint_text(self: Any, table: Any, text: str | None) -> str | None:
        return text if text and text.startswith("INDEXED BY ") else None

    SQLiteCompiler.get_from_hint_text = get_from_hint_text  # type: ignore[method-assign]
    SQLiteCompiler._crm_indexed_by = True  # type: ignore[attr-defined]


_allow_sqlite_indexed_by()


def _worklist_where(stmt: Select[Any], actor: Actor, flt: WorklistFilter,
                    today: date) -> Select[Any]:
    by_assignee = flt.mine or not actor.can(Perm.TEAM_WORK) or flt.assignee_id is not None
    stmt = stmt.with_hint(FollowUp.__table__, "INDEXED BY " + (
        OPEN_ASSIGNEE_INDEX if by_assignee else OPEN_DUE_INDEX), dialect_name="sqlite")
    stmt = stmt.where(FollowUp.done_date.is_(None))
    if flt.due is Due.TODAY:
        stmt = stmt.where(FollowUp.planned_date == today)
    elif flt.due is Due.OVERDUE:
        stmt = stmt.where(FollowUp.planned_date < today)
    else:
        stmt = stmt.where(FollowUp.planned_date > today,
                          FollowUp.planned_date <= today + timedelta(days=UPCOMING_DAYS))
    if flt.mine or not actor.can(Perm.TEAM_WORK):
        stmt = stmt.where(FollowUp.assignee_id == actor.user_id)
    elif flt.assignee_id is not None:
        stmt = stmt.where(FollowUp.assignee_id == flt.assignee_id)
    if flt.method:
        stmt = stmt.where(FollowUp.method == flt.method)
    # Deleted customers are few: a hashed NOT IN keeps the count inside the visits' index
    # (customer_id is its last column) instead of a lookup of every customer.
    deleted = select(Customer.id).where(Customer.deleted_at.is_not(None))
    return stmt.where(FollowUp.customer_id.not_in(deleted))


def _worklist_select(actor: Actor, flt: WorklistFilter, today: date) -> Select[Any]:
    assignee = aliased(User)
    return _worklist_where(
        select(FollowUp.id, FollowUp.customer_id, Customer.customer_no, Customer.name,
               Customer.tier, Customer.mobile, FollowUp.planned_date, FollowUp.method,
               FollowUp.purpose, FollowUp.source, assignee.display_name)
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(assignee, assignee.id == FollowUp.assignee_id), actor, flt, today
    ).order_by(FollowUp.planned_date, FollowUp.method, FollowUp.customer_id, FollowUp.id)


def _check_scope(actor: Actor, flt: WorklistFilter) -> None:
    actor.require(Perm.VIEW_CUSTOMERS)
    if not flt.mine:
        actor.require(Perm.TEAM_WORK)


def _rows(session: Session, actor: Actor, stmt: Select[Any], today: date, *,
          full_contact: bool = False) -> list[WorklistRow]:
    settings = get_settings()
    found = session.execute(stmt).all()
    hidden = masking.hidden_ids(session, actor, (r[1] for r in found))
    return [masking.hide_record(WorklistRow(
        id=r[0], customer_id=r[1], customer_no=r[2], customer_name=r[3], tier=r[4],
        mobile=r[5] if full_contact else mask_value("mobile", r[5], settings),
        planned_date=r[6], days_late=(today - r[6]).days, method=r[7], purpose=r[8],
        source=r[9], assignee=r[10]), "follow_up", r[1] in hidden) for r in found]


def worklist(session: Session, actor: Actor, flt: WorklistFilter, *, limit: int = 50,
             offset: int = 0, today: date | None = None) -> WorklistPage:
    """Open visits due today, overdue or coming up (oldest planned date first), mine or —
    with TEAM_WORK — everyone's, by method and assignee; one page and the total. Contacts
    are masked (the profile reveals, audited)."""
    _check_scope(actor, flt)
    today = today or clock.today()
    total = session.scalar(_worklist_where(select(func.count(FollowUp.id)), actor, flt,
                                           today)) or 0
    stmt = _worklist_select(actor, flt, today).limit(limit).offset(offset)
    return WorklistPage(rows=_rows(session, actor, stmt, today), total=total, today=today)


EXPORT_MAX_ROWS: Final = 100_000
EXPORT_COLUMNS: Final = ("planned_date", "days_late", "customer_no", "customer_name", "tier",
                         "mobile", "method", "purpose", "source", "assignee")


def worklist_xlsx(session: Session, actor: Actor, flt: WorklistFilter, *, lang: str = "zh",
                  today: date | None = None) -> bytes:
    """The whole worklist (up to ``EXPORT_MAX_ROWS``) as .xlsx through the export machinery:
    手机号 in full for EXPORT_FULL roles, masked for the others; audited as
    ``export.follow_ups``."""
    from core.i18n import label, t
    from services.excel.export import export_table_xlsx

    _check_scope(actor, flt)
    today = today or clock.today()
    full = actor.can(Perm.EXPORT_FULL)
    rows = _rows(session, actor, _worklist_select(actor, flt, today).limit(EXPORT_MAX_ROWS),
                 today, full_contact=full)
    headers = [t(f"worklist.col.{c}", lang) for c in EXPORT_COLUMNS]
    data = [[r.planned_date, r.days_late, r.customer_no, r.customer_name, label(r.tier, lang),
             r.mobile, label(r.method, lang), r.purpose, t(f"visits.source.{r.source}", lang),
             r.assignee] for r in rows]
    filters = {"due": flt.due.value, "mine": flt.mine, "method": flt.method,
               "assignee_id": flt.assignee_id, "today": today.isoformat()}
    return export_table_xlsx(session, actor, "follow_ups", headers, data,
                             sheet=t("worklist.sheet", lang), filters=filters)


def open_visits_of(session: Session, actor: Actor, customer_id: int) -> list[VisitView]:
    """A customer's open visits, soonest first (the profile's record dialog offers them)."""
    actor.require(Perm.VIEW_CUSTOMERS)
    rows = session.scalars(select(FollowUp).where(
        FollowUp.customer_id == customer_id, FollowUp.done_date.is_(None))
        .order_by(FollowUp.planned_date, FollowUp.id))
    hidden = masking.hides(session, actor, customer_id)
    return [masking.hide_record(_view(r), "follow_up", hidden) for r in rows]


__all__ = ["Due", "RecordResult", "UPCOMING_DAYS", "VisitAlreadyDone",
           "VisitNotFound", "VisitView", "WorklistFilter", "WorklistPage", "WorklistRow",
           "check_plan", "check_record", "default_assignee", "delete_visit", "get_visit",
           "open_visits_of", "plan_visit", "propose_next_date", "reassign", "record_unplanned",
           "record_visit", "update_visit", "worklist"]
