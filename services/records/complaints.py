"""投诉处理: recording a complaint, its workflow, and the queue of complaints.

The workflow is 待处理 → 处理中 → 已解决 → 已关闭; 已解决 and 已关闭 may be reopened back to 处理中.
Nothing skips a state: only a complaint 处理中 is resolved, only a resolved one is closed. Every
step writes a ``complaint_events`` row (who, when, from and to status, the handling step taken)
and an audit entry in the same transaction. Resolving needs the solution and stamps
``resolved_at``; ``resolution_minutes`` is computed from ``received_at`` by
``core.vocab.resolution_minutes``, never typed, cleared by a reopen and computed again by
the next resolve.

Every write names the version the user saw (``Complaint.version``, SQLAlchemy's version
counter): a step against a complaint someone changed meanwhile is refused with
``StaleComplaint`` and writes nothing, so no step is lost.

Complaints loaded from the demo data or an import carry their history as free text
(``handling_steps``, "；"-joined) and no events; ``get_detail`` returns both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from core import clock
from core.errors import CatalogError
from core.i18n import label, t
from core.settings import Settings, get_settings
from core.vocab import (
    COMPLAINT_TYPES,
    SATISFACTION_LABELS,
    ComplaintChannel,
    ComplaintStatus,
    resolution_minutes,
)
from db.bulk import chunks
from db.models import AuditEntry, Complaint, ComplaintEvent, Customer, Survey, User
from services.access import audit, masking
from services.access.roles import Actor, Perm, permissions
from services.customers import live, mask_value
from services.customers.lookup import CustomerQuery, like_pattern, resolve_for, search_ids
from services.customers.search_index import GRAMS
from services.customers.validation import FieldError
from services.records import visit_planning
from services.records.input import Checker, InvalidRecord
from services.records.stored import customer_shown

PENDING: Final = ComplaintStatus.OPEN.value          # 待处理
IN_PROGRESS: Final = ComplaintStatus.IN_PROGRESS.value  # 处理中
RESOLVED: Final = ComplaintStatus.RESOLVED.value     # 已解决
CLOSED: Final = ComplaintStatus.CLOSED.value         # 已关闭
OPEN_STATUSES: Final = (PENDING, IN_PROGRESS)
STATUSES: Final = tuple(s.value for s in ComplaintStatus)
CHANNELS: Final = tuple(c.value for c in ComplaintChannel)
MAX_TEXT: Final = 5000
FIELDS: Final = ("channel", "complaint_type", "description", "received_at", "solution")

# action -> (the states it may start from, the state it leads to; None: the state stays)
TRANSITIONS: Final[dict[str, tuple[tuple[str, ...], str | None]]] = {
    "start": ((PENDING,), IN_PROGRESS),
    "note": ((PENDING, IN_PROGRESS, RESOLVED), None),
    "resolve": ((IN_PROGRESS,), RESOLVED),
    "close": ((RESOLVED,), CLOSED),
    "reopen": ((RESOLVED, CLOSED), IN_PROGRESS),
    "assign": ((PENDING, IN_PROGRESS, RESOLVED), None),
}
WORKFLOW_ACTIONS: Final = tuple(TRANSITIONS)

# Age buckets of the queue: (from, to) hours since the complaint was received.
AGE_BUCKETS: Final[dict[str, tuple[int, int | None]]] = {
    "lt1d": (0, 24), "1to2d": (24, 48), "2to7d": (48, 168), "gt7d": (168, None),
}
HANDLER_FILTERS: Final = ("mine", "unassigned")
_TEXT_IDS_CAP: Final = 2000


def allowed_actions(status: str) -> tuple[str, ...]:
    """The workflow actions a complaint in ``status`` offers, in the order of the buttons."""
    return tuple(a for a in WORKFLOW_ACTIONS if status in TRANSITIONS[a][0])


def duration_text(minutes: int | None, lang: str = "zh") -> str:
    """``3天4小时`` / ``3 d 4 h``: a resolution time or an age, to the minute when short."""
    if minutes is None:
        return "—"
    minutes = max(0, int(minutes))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return t("complaints.duration.days", lang, days=days, hours=hours)
    if hours:
        return t("complaints.duration.hours", lang, hours=hours, minutes=mins)
    return t("complaints.duration.minutes", lang, minutes=mins)


# ---- errors -----------------------------------------------------------------------------------


class ComplaintError(CatalogError):
    """A refused complaint action; stored vocabulary in ``status`` shows in the reader's
    language."""

    def message(self, lang: str = "zh") -> str:
        params = {k: label(v, lang) if k == "status" and isinstance(v, str) else v
                  for k, v in self.params.items()}
        return t(self.key, lang, **params)


class ComplaintNotFound(ComplaintError):
    def __init__(self, complaint_id: int) -> None:
        super().__init__("complaints.error.not_found", complaint_id=complaint_id)
        self.complaint_id = complaint_id


class IllegalTransition(ComplaintError):
    """The complaint's state does not allow this step (no skipping, no illegal moves)."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__("complaints.error.transition", action=action, status=status)
        self.action = action
        self.status = status

    def message(self, lang: str = "zh") -> str:
        sep = ", " if lang == "en" else "、"
        allowed = sep.join(t(f"complaints.action.{a}", lang) for a in allowed_actions(self.status))
        return t(self.key, lang, action=t(f"complaints.action.{self.action}", lang),
                 status=label(self.status, lang), allowed=allowed or "—")


class StaleComplaint(ComplaintError):
    """The complaint changed after the user opened it; nothing was written."""

    def __init__(self, complaint_id: int, expected: int, current: int | None,
                 status: str | None, by: str | None, at: datetime | None) -> None:
        if current is None or status is None:
            super().__init__("complaints.error.stale_race")
        else:
            when = clock.shown(at) or "—"
            super().__init__("complaints.error.stale", status=status, by=by or "—", at=when,
                             expected=expected, current=current)
        self.complaint_id = complaint_id
        self.expected_version = expected
        self.current_version = current


class HandlerNotAllowed(ComplaintError):
    """Assigning a complaint to someone else (or taking it from them) needs TEAM_WORK."""

    def __init__(self) -> None:
        super().__init__("complaints.error.reassign")


# ---- views ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    """One row of the handling history."""

    at: datetime
    user: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None

    def action_label(self, lang: str = "zh") -> str:
        return t(f"complaints.event.{self.action}", lang)


@dataclass(frozen=True)
class LinkedSurvey:
    id: int
    survey_date: Any
    score: int
    comment: str | None

    def label(self, lang: str = "zh") -> str:
        return label(SATISFACTION_LABELS.get(self.score, str(self.score)), lang)


@dataclass(frozen=True)
class ComplaintDetail:
    id: int
    version: int
    customer_id: int
    customer_no: str
    customer_name: str
    channel: str
    complaint_type: str
    description: str
    received_at: datetime
    status: str
    handler_id: int | None
    handler: str | None
    solution: str | None
    resolved_at: datetime | None
    resolution_minutes: int | None
    closed_at: datetime | None
    age_minutes: int
    overdue: bool
    legacy_steps: list[str]
    events: list[EventView]
    surveys: list[LinkedSurvey]
    actions: tuple[str, ...]
    """Workflow actions this actor may take now (empty for read-only roles)."""
    can_edit: bool
    can_delete: bool
    can_assign_others: bool

    def values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass(frozen=True)
class ComplaintQuery:
    """The queue's filters. ``statuses`` empty means every status."""

    statuses: tuple[str, ...] = OPEN_STATUSES
    channel: str | None = None
    complaint_type: str | None = None
    handler: str | None = None         # "mine" or "unassigned"
    handler_id: int | None = None      # one person's complaints (TEAM_WORK)
    age: str | None = None             # a key of AGE_BUCKETS
    overdue_only: bool = False
    text: str = ""                     # customer: 客户编号, name fragment, mobile (尾号)
    newest_first: bool = False

    def as_filters(self) -> dict[str, Any]:
        """For the audit entry of an export."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False, ())}


@dataclass(frozen=True)
class QueueRow:
    id: int
    customer_id: int
    customer_no: str
    customer_name: str
    mobile: str | None
    """The customer's mobile, masked unless the caller asked for full values."""
    channel: str
    complaint_type: str
    status: str
    received_at: datetime
    handler: str | None
    description: str
    age_minutes: int
    resolution_minutes: int | None
    overdue: bool


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    overdue_hours: int = field(default=48)


# ---- helpers ----------------------------------------------------------------------------------


def _get(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id, populate_existing=True)
    if complaint is None:
        raise ComplaintNotFound(complaint_id)
    return complaint


def _last_change(session: Session, complaint_id: int) -> tuple[str, datetime | None]:
    row = session.execute(
        select(AuditEntry.username, AuditEntry.at).where(
            AuditEntry.entity == "complaint", AuditEntry.entity_id == str(complaint_id))
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else ("—", None)


def _check_version(session: Session, complaint: Complaint, expected: int) -> None:
    if complaint.version != expected:
        by, at = _last_change(session, complaint.id)
        raise StaleComplaint(complaint.id, expected, complaint.version, complaint.status, by, at)


def _flush(session: Session, complaint: Complaint, expected: int) -> None:
    """Write now, so a concurrent change (the version counter) is caught here."""
    complaint_id = complaint.id
    try:
        session.flush()
    except StaleDataError:
        # Changed between our read and our write: the transaction is spoilt, nothing is
        # written; who changed it is not known here.
        raise StaleComplaint(complaint_id, expected, None, None, None, None) from None


def _editor(actor: Actor) -> None:
    actor.require(Perm.EDIT_CUSTOMERS)


def _names(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.display_name)
                                .where(User.id.in_(wanted))).all())


def handler_choices(session: Session, actor: Actor) -> dict[int, str]:
    """Who a complaint may be assigned to by this actor: with TEAM_WORK every active user who
    may edit records, else only the actor."""
    demo = actor.demo_mode
    users = session.scalars(select(User).where(User.active.is_(True))
                            .order_by(User.display_name)).all()
    eligible = {u.id: u.display_name for u in users
                if Perm.EDIT_CUSTOMERS in permissions(u.role, demo)}
    if actor.can(Perm.TEAM_WORK):
        return eligible
    return {k: v for k, v in eligible.items() if k == actor.user_id}


def _check_handler(session: Session, actor: Actor, current: int | None,
                   wanted: int | None) -> None:
    """Own assignment for editors (take an unassigned complaint, or give up one's own);
    anything else — assigning someone, taking it from someone — needs TEAM_WORK."""
    if wanted == current:
        return
    if wanted is not None:
        user = session.get(User, wanted)
        if user is None or not user.active or \
                Perm.EDIT_CUSTOMERS not in permissions(user.role, actor.demo_mode):
            raise ComplaintError("complaints.error.handler_unknown")
    if actor.can(Perm.TEAM_WORK):
        return
    own = actor.user_id
    if (wanted == own and current is None) or (wanted is None and current == own):
        return
    raise HandlerNotAllowed()


def _event(session: Session, actor: Actor, complaint: Complaint, action: str,
           from_status: str | None, to_status: str | None, note: str | None,
           at: datetime | None = None) -> None:
    session.add(ComplaintEvent(complaint_id=complaint.id, at=at or clock.now(),
                               user_id=actor.user_id, action=action, from_status=from_status,
                               to_status=to_status, note=note))


def _audit(session: Session, actor: Actor, action: str, complaint: Complaint,
           changes: Mapping[str, Any] | None = None, **detail: Any) -> None:
    audit.record(session, actor, f"complaint.{action}", "complaint", complaint.id,
                 changes=changes,
                 detail={"customer_id": complaint.customer_id, "version": complaint.version,
                         **{k: v for k, v in detail.items() if v is not None}})


def _snapshot(c: Complaint) -> dict[str, Any]:
    return {"channel": c.channel, "complaint_type": c.complaint_type,
            "description": c.description, "received_at": c.received_at, "status": c.status,
            "handler_id": c.handler_id, "solution": c.solution, "resolved_at": c.resolved_at,
            "resolution_minutes": c.resolution_minutes, "closed_at": c.closed_at}


def _check_fields(values: Mapping[str, Any], *, now: datetime,
                  resolved_at: datetime | None = None,
                  need_solution: bool = False) -> tuple[dict[str, Any], list[FieldError]]:
    check = Checker("complaint", values, clock.today())
    clean: dict[str, Any] = {
        "channel": check.choice("channel", CHANNELS, required=True),
        "complaint_type": check.choice("complaint_type", COMPLAINT_TYPES, required=True),
        "description": check.text("description", required=True, max_length=MAX_TEXT,
                                  multiline=True),
        "received_at": check.moment("received_at", now=now)
        if values.get("received_at") is not None else now,
    }
    if need_solution:
        clean["solution"] = check.text("solution", required=True, max_length=MAX_TEXT,
                                       multiline=True)
    if resolved_at is not None and clean["received_at"] is not None \
            and clean["received_at"] > resolved_at:
        check.fail("received_at", "complaints.error.received_after_resolved",
                   resolved=clock.shown(resolved_at))
    return clean, check.errors


# ---- create, edit, delete ---------------------------------------------------------------------


def create_complaint(session: Session, actor: Actor, customer_id: int,
                     values: Mapping[str, Any]) -> Complaint:
    """Record a complaint (channel, type, description, received_at — default now; handler
    optional). Returns the new complaint, 待处理."""
    _editor(actor)
    customer = live(session, customer_id)
    stamp = clock.now()
    clean, errors = _check_fields(values, now=stamp)
    handler_id = values.get("handler_id")
    if errors:
        raise InvalidRecord(errors)
    if handler_id is not None:
        _check_handler(session, actor, None, int(handler_id))
    complaint = Complaint(customer_id=customer.id, channel=clean["channel"],
                          complaint_type=clean["complaint_type"],
                          description=clean["description"], received_at=clean["received_at"],
                          handler_id=handler_id, status=PENDING, created_at=stamp)
    session.add(complaint)
    session.flush()
    _event(session, actor, complaint, "create", None, PENDING, None, at=stamp)
    _audit(session, actor, "create", complaint,
           changes=audit.diff({}, {k: v for k, v in _snapshot(complaint).items()
                                   if v is not None}))
    return complaint


def update_complaint(session: Session, actor: Actor, complaint_id: int, version: int,
                     values: Mapping[str, Any]) -> Complaint:
    """Correct channel, type, description, received time (and the solution of a resolved
    complaint). A resolved complaint's resolution time follows a corrected received time."""
    _editor(actor)
    complaint = _get(session, complaint_id)
    _check_version(session, complaint, version)
    live(session, complaint.customer_id)
    before = _snapshot(complaint)
    resolved = complaint.status in (RESOLVED, CLOSED)
    merged = complaint_values(complaint)
    merged.update({k: v for k, v in masking.keep_hidden(values, merged).items()
                   if k in FIELDS and not (k == "received_at" and v is None)})
    clean, errors = _check_fields(merged, now=clock.now(), resolved_at=complaint.resolved_at,
                                  need_solution=resolved)
    if errors:
        raise InvalidRecord(errors)
    complaint.channel = clean["channel"]
    complaint.complaint_type = clean["complaint_type"]
    complaint.description = clean["description"]
    complaint.received_at = clean["received_at"]
    if resolved:
        complaint.solution = clean["solution"]
        complaint.resolution_minutes = resolution_minutes(complaint.received_at,
                                                          complaint.resolved_at)
    changes = audit.diff(before, _snapshot(complaint))
    if not changes:
        return complaint
    _flush(session, complaint, version)
    _audit(session, actor, "update", complaint, changes=changes)
    return complaint


def complaint_values(complaint: Complaint) -> dict[str, Any]:
    return {"channel": complaint.channel, "complaint_type": complaint.complaint_type,
            "description": complaint.description, "received_at": complaint.received_at,
            "solution": complaint.solution}


def delete_complaint(session: Session, actor: Actor, complaint_id: int, version: int) -> None:
    """Delete a complaint and its events (an administrator's correction); a survey linked to
    it stays, unlinked."""
    actor.require(Perm.DELETE_CUSTOMERS)
    complaint = _get(session, complaint_id)
    _check_version(session, complaint, version)
    snapshot = _snapshot(complaint)
    _audit(session, actor, "delete", complaint,
           changes=audit.diff({k: v for k, v in snapshot.items() if v is not None}, {}))
    session.delete(complaint)
    _flush(session, complaint, version)


# ---- the workflow -----------------------------------------------------------------------------


def _step(session: Session, actor: Actor, complaint_id: int, version: int,
          action: str) -> Complaint:
    _editor(actor)
    complaint = _get(session, complaint_id)
    _check_version(session, complaint, version)
    if complaint.status not in TRANSITIONS[action][0]:
        raise IllegalTransition(action, complaint.status)
    return complaint


def _note(values: Mapping[str, Any], *, required: bool) -> str | None:
    check = Checker("complaint", values, clock.today())
    note = check.text("note", required=required, max_length=MAX_TEXT, multiline=True)
    check.done()
    return note


def _move(session: Session, actor: Actor, complaint: Complaint, action: str, version: int,
          note: str | None, **detail: Any) -> Complaint:
    """Write the status change, its event and audit entry."""
    before = complaint.status
    after = TRANSITIONS[action][1] or before
    complaint.status = after
    flag_modified(complaint, "status")  # every step advances the version, notes too
    _flush(session, complaint, version)
    _event(session, actor, complaint, action, before, after if after != before else None, note)
    _audit(session, actor, action, complaint,
           changes={"status": [before, after]} if after != before else None,
           note=note, **detail)
    return complaint


def start(session: Session, actor: Actor, complaint_id: int, version: int,
          note: str | None = None) -> Complaint:
    """待处理 → 处理中. An unassigned complaint becomes the actor's."""
    complaint = _step(session, actor, complaint_id, version, "start")
    text = _note({"note": note}, required=False)
    handler = complaint.handler_id
    if handler is None and actor.user_id is not None:
        complaint.handler_id = actor.user_id
    return _move(session, actor, complaint, "start", version, text,
                 handler_id=complaint.handler_id if handler is None else None)


def add_step(session: Session, actor: Actor, complaint_id: int, version: int,
             note: str) -> Complaint:
    """A handling step taken (a call, a visit, a hand-over) without changing the state."""
    complaint = _step(session, actor, complaint_id, version, "note")
    text = _note({"note": note}, required=True)
    return _move(session, actor, complaint, "note", version, text)


@dataclass(frozen=True)
class ResolveResult:
    complaint: Complaint
    survey: Survey | None


def resolve(session: Session, actor: Actor, complaint_id: int, version: int, solution: str,
            *, note: str | None = None,
            satisfaction: Mapping[str, Any] | None = None) -> ResolveResult:
    """处理中 → 已解决 with the solution (required). ``satisfaction`` (score 1–5, channel,
    comment) records the customer's satisfaction with the handling as a survey linked to this
    complaint, in the same transaction; its problems are reported with the solution's."""
    from services.records import surveys

    complaint = _step(session, actor, complaint_id, version, "resolve")
    stamp = clock.now()
    check = Checker("complaint", {"solution": solution, "note": note}, clock.today())
    text = check.text("solution", required=True, max_length=MAX_TEXT, multiline=True)
    extra = check.text("note", max_length=MAX_TEXT, multiline=True)
    errors = list(check.errors)
    survey_values: dict[str, Any] | None = None
    if satisfaction is not None and any(
            v not in (None, "") for v in satisfaction.values()):
        survey_values = {"survey_date": clock.today(), **dict(satisfaction)}
        _, survey_errors = surveys.check_values(survey_values,
                                                not_before=clock.local(complaint.received_at)
                                                .date())
        errors.extend(survey_errors)
    if errors:
        raise InvalidRecord(errors)
    complaint.solution = text
    complaint.resolved_at = stamp
    complaint.resolution_minutes = resolution_minutes(complaint.received_at, stamp)
    complaint.closed_at = None
    if complaint.handler_id is None and actor.user_id is not None:
        complaint.handler_id = actor.user_id
    _move(session, actor, complaint, "resolve", version, text if not extra
          else f"{text}（{extra}）", resolution_minutes=complaint.resolution_minutes)
    survey = None
    if survey_values is not None:
        survey = surveys.add_survey(session, actor, complaint.customer_id, survey_values,
                                    complaint_id=complaint.id)
    # The 回访 that follows a resolved complaint (config.toml follow_ups.after_complaint_days).
    visit_planning.on_complaint_resolved(session, complaint, actor=actor)
    return ResolveResult(complaint, survey)


def close(session: Session, actor: Actor, complaint_id: int, version: int,
          note: str | None = None) -> Complaint:
    """已解决 → 已关闭."""
    complaint = _step(session, actor, complaint_id, version, "close")
    text = _note({"note": note}, required=False)
    complaint.closed_at = clock.now()
    return _move(session, actor, complaint, "close", version, text)


def reopen(session: Session, actor: Actor, complaint_id: int, version: int,
           note: str) -> Complaint:
    """已解决 / 已关闭 → 处理中, with the reason (required). The resolution time is cleared;
    the next resolve computes it again from the received time."""
    complaint = _step(session, actor, complaint_id, version, "reopen")
    text = _note({"note": note}, required=True)
    complaint.resolved_at = None
    complaint.resolution_minutes = None
    complaint.closed_at = None
    return _move(session, actor, complaint, "reopen", version, text)


def assign(session: Session, actor: Actor, complaint_id: int, version: int,
           handler_id: int | None, note: str | None = None) -> Complaint:
    """Set the handler: one's own assignment for editors, anyone's with TEAM_WORK."""
    complaint = _step(session, actor, complaint_id, version, "assign")
    current = complaint.handler_id
    _check_handler(session, actor, current, handler_id)
    text = _note({"note": note}, required=False)
    if handler_id == current:
        return complaint
    names = _names(session, [current, handler_id])
    complaint.handler_id = handler_id
    _flush(session, complaint, version)
    who = f"{names.get(current, '—') if current else '—'} → " \
          f"{names.get(handler_id, '—') if handler_id else '—'}"
    _event(session, actor, complaint, "assign", None, None,
           who if not text else f"{who}：{text}")
    _audit(session, actor, "assign", complaint, changes={"handler_id": [current, handler_id]},
           note=text)
    return complaint


# ---- reading ----------------------------------------------------------------------------------


def _overdue_cutoff(now: datetime, settings: Settings) -> datetime:
    return now - timedelta(hours=settings.complaint_overdue_hours)


def _age_minutes(received_at: datetime, now: datetime) -> int:
    return max(0, int((now - received_at).total_seconds() // 60))


def get_detail(session: Session, actor: Actor, complaint_id: int) -> ComplaintDetail:
    actor.require(Perm.VIEW_CUSTOMERS)
    complaint = _get(session, complaint_id)
    customer = customer_shown(session, actor, complaint.customer_id,
                              lambda: ComplaintNotFound(complaint_id))
    events = session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == complaint.id)
        .order_by(ComplaintEvent.at, ComplaintEvent.id)).all()
    names = _names(session, [complaint.handler_id, *(e.user_id for e in events)])
    linked = session.scalars(select(Survey).where(Survey.complaint_id == complaint.id)
                             .order_by(Survey.survey_date, Survey.id)).all()
    now = clock.now()
    settings = get_settings()
    editable = actor.can(Perm.EDIT_CUSTOMERS) and customer.deleted_at is None
    is_open = complaint.status in OPEN_STATUSES
    hidden = masking.hides(session, actor, customer.id)

    def shown(text: str | None) -> str | None:
        return masking.hide_text(text) if hidden else text

    return ComplaintDetail(
        id=complaint.id, version=complaint.version, customer_id=customer.id,
        customer_no=customer.customer_no, customer_name=customer.name,
        channel=complaint.channel, complaint_type=complaint.complaint_type,
        description=shown(complaint.description), received_at=complaint.received_at,
        status=complaint.status, handler_id=complaint.handler_id,
        handler=names.get(complaint.handler_id) if complaint.handler_id else None,
        solution=shown(complaint.solution), resolved_at=complaint.resolved_at,
        resolution_minutes=complaint.resolution_minutes, closed_at=complaint.closed_at,
        age_minutes=_age_minutes(complaint.received_at, now),
        overdue=is_open and complaint.received_at < _overdue_cutoff(now, settings),
        legacy_steps=[s.strip() for s in (shown(complaint.handling_steps) or "").split("；")
                      if s.strip()],
        events=[EventView(e.at, names.get(e.user_id, "—") if e.user_id else "—", e.action,
                          e.from_status, e.to_status, shown(e.note)) for e in events],
        surveys=[LinkedSurvey(s.id, s.survey_date, s.score, shown(s.comment))
                 for s in linked],
        actions=allowed_actions(complaint.status) if editable else (),
        can_edit=editable, can_delete=actor.can(Perm.DELETE_CUSTOMERS),
        can_assign_others=actor.can(Perm.TEAM_WORK) and editable,
    )


def _gram_size(session: Session, gram: str) -> int:
    """Customers having this gram, counted up to just over the cap (an index range)."""
    capped = select(GRAMS.c.customer_id).where(GRAMS.c.gram == gram) \
        .limit(_TEXT_IDS_CAP + 1).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def _customer_condition(session: Session, actor: Actor, text: str) -> ColumnElement[bool]:
    """Complaints of the customers the text finds (as the customer lookup finds them): by
    their ids when they are few; for a common fragment (a family name), by probing the
    search index with each complaint's customer (primary-key lookups, no customer scan)."""
    match = resolve_for(session, text)
    if match is None:
        return true()
    if match.key or not match.grams or min(_gram_size(session, g) for g in match.grams) \
            <= _TEXT_IDS_CAP:
        ids = search_ids(session, actor, CustomerQuery(text=text), limit=_TEXT_IDS_CAP + 1)
        if not ids:
            return false()
        if len(ids) <= _TEXT_IDS_CAP:
            return Complaint.customer_id.in_(ids)
    grams = []
    for k, gram in enumerate(match.grams):
        g = GRAMS.alias(f"cg{k}")
        grams.append(exists().where(g.c.gram == gram, g.c.customer_id == Complaint.customer_id))
    if match.pattern is not None:
        pattern = like_pattern(match.pattern)
        grams.append(exists().where(Customer.id == Complaint.customer_id,
                                    or_(Customer.name.ilike(pattern, escape="\\"),
                                        Customer.company.ilike(pattern, escape="\\"))))
    fragment = and_(*grams) if grams else false()
    if not match.exact:
        return fragment
    return or_(fragment, exists().where(Customer.id == Complaint.customer_id,
                                        or_(*match.exact)))


_DELETED_LIST_CAP: Final = 500


def _deleted_customers(session: Session) -> ColumnElement[bool] | None:
    """Leave out complaints of deleted customers. Deleted customers are few: their ids are
    read first (an index range) and listed, so the queue's plan stays the one of its filters;
    none deleted, no condition at all."""
    ids = list(session.scalars(select(Customer.id).where(Customer.deleted_at.is_not(None))
                               .limit(_DELETED_LIST_CAP + 1)))
    if not ids:
        return None
    if len(ids) <= _DELETED_LIST_CAP:
        return Complaint.customer_id.not_in(ids)
    return Complaint.customer_id.not_in(select(Customer.id)
                                        .where(Customer.deleted_at.is_not(None)))


def queue_conditions(session: Session, actor: Actor, q: ComplaintQuery, now: datetime,
                     settings: Settings) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if (hidden := _deleted_customers(session)) is not None:
        conds.append(hidden)
    statuses = tuple(s for s in q.statuses if s in STATUSES)
    if q.overdue_only:
        statuses = tuple(s for s in (statuses or OPEN_STATUSES) if s in OPEN_STATUSES)
        conds.append(Complaint.received_at < _overdue_cutoff(now, settings))
        if not statuses:
            return [false()]
    if statuses and set(statuses) != set(STATUSES):
        conds.append(Complaint.status.in_(statuses) if len(statuses) > 1
                     else Complaint.status == statuses[0])
    if q.channel:
        conds.append(Complaint.channel == q.channel)
    if q.complaint_type:
        conds.append(Complaint.complaint_type == q.complaint_type)
    if q.handler == "mine":
        conds.append(Complaint.handler_id == actor.user_id if actor.user_id is not None
                     else false())
    elif q.handler == "unassigned":
        conds.append(Complaint.handler_id.is_(None))
    if q.handler_id is not None:
        actor.require(Perm.TEAM_WORK)
        conds.append(Complaint.handler_id == q.handler_id)
    if q.age in AGE_BUCKETS:
        low, high = AGE_BUCKETS[q.age]
        conds.append(Complaint.received_at <= now - timedelta(hours=low))
        if high is not None:
            conds.append(Complaint.received_at > now - timedelta(hours=high))
    if q.text.strip():
        conds.append(_customer_condition(session, actor, q.text.strip()))
    return conds


def queue(session: Session, actor: Actor, q: ComplaintQuery, *, offset: int = 0,
          limit: int = 50, now: datetime | None = None) -> QueuePage:
    """One page of the complaint queue (oldest first unless ``newest_first``) and the total."""
    actor.require(Perm.VIEW_CUSTOMERS)
    settings = get_settings()
    now = now or clock.now()
    conds = queue_conditions(session, actor, q, now, settings)
    total = session.scalar(select(func.count()).select_from(Complaint).where(*conds)) or 0
    if total <= offset:
        return QueuePage([], total, settings.complaint_overdue_hours)
    order = (Complaint.received_at.desc(), Complaint.id.desc()) if q.newest_first \
        else (Complaint.received_at, Complaint.id)
    page_ids = select(Complaint.id).where(*conds).order_by(*order).offset(offset).limit(limit)
    rows = page_rows(session, list(session.scalars(page_ids)), now, settings, actor=actor)
    return QueuePage(rows, total, settings.complaint_overdue_hours)


def page_rows(session: Session, ids: Sequence[int], now: datetime, settings: Settings,
              *, full_contacts: bool = False, actor: Actor | None = None) -> list[QueueRow]:
    """The rows of these complaints in the given order, with customer and handler names; the
    descriptions hidden where ``actor`` must not read them (``masking.hidden_ids``)."""
    if not ids:
        return []
    stmt = (select(Complaint.id, Complaint.customer_id, Customer.customer_no, Customer.name,
                   Customer.mobile, Complaint.channel, Complaint.complaint_type, Complaint.status,
                   Complaint.received_at, User.display_name, Complaint.description,
                   Complaint.resolution_minutes)
            .join(Customer, Customer.id == Complaint.customer_id)
            .outerjoin(User, User.id == Complaint.handler_id)
            .where(Complaint.id.in_(list(ids))))
    cutoff = _overdue_cutoff(now, settings)
    found = {}
    rows = session.execute(stmt).all()
    hidden = masking.hidden_ids(session, actor, (r.customer_id for r in rows)) \
        if actor is not None else set()
    for r in rows:
        found[r.id] = QueueRow(
            id=r.id, customer_id=r.customer_id, customer_no=r.customer_no,
            customer_name=r.name,
            mobile=r.mobile if full_contacts else mask_value("mobile", r.mobile, settings),
            channel=r.channel, complaint_type=r.complaint_type, status=r.status,
            received_at=r.received_at, handler=r.display_name,
            description=masking.hide_text(r.description) if r.customer_id in hidden
            else r.description,
            age_minutes=_age_minutes(r.received_at, now),
            resolution_minutes=r.resolution_minutes,
            overdue=r.status in OPEN_STATUSES and r.received_at < cutoff)
    return [found[i] for i in ids if i in found]


# ---- how a row reads, and the export -----------------------------------------------------------

COLUMNS: Final = ("overdue", "received_at", "customer_no", "customer", "mobile", "channel",
                  "type", "status", "handler", "age", "description")
OVERDUE_MARK: Final = "⚠"
EXPORT_LIMIT: Final = 100_000


def column_headers(lang: str = "zh") -> list[str]:
    return [t(f"complaints.col.{c}", lang) for c in COLUMNS]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def display_row(r: QueueRow, lang: str = "zh", *, short: bool = True) -> dict[str, Any]:
    """One queue row as the list shows it (and the export writes it), by ``COLUMNS``: the
    age of an open complaint, the resolution time of a resolved one."""
    is_open = r.status in OPEN_STATUSES
    age = duration_text(r.age_minutes if is_open else r.resolution_minutes, lang)
    return {
        "overdue": OVERDUE_MARK if r.overdue else "",
        "received_at": clock.shown(r.received_at),
        "customer_no": r.customer_no, "customer": r.customer_name, "mobile": r.mobile or "",
        "channel": label(r.channel, lang), "type": label(r.complaint_type, lang),
        "status": label(r.status, lang),
        "handler": r.handler or t("complaints.unassigned", lang),
        "age": age if is_open else t("complaints.age.resolved_in", lang, duration=age),
        "description": _short(r.description) if short else r.description,
    }


def export_queue_xlsx(session: Session, actor: Actor, q: ComplaintQuery, lang: str = "zh",
                      *, now: datetime | None = None) -> bytes:
    """Every complaint the queue's filters find (at most ``EXPORT_LIMIT``), in list order, as
    a workbook; the customer's mobile in full only for EXPORT_FULL. Audited by the export."""
    from services.excel.export import can_export, export_table_xlsx

    actor.require(Perm.VIEW_CUSTOMERS)
    if not can_export(actor):
        actor.require(Perm.EXPORT_MASKED)
    settings = get_settings()
    now = now or clock.now()
    conds = queue_conditions(session, actor, q, now, settings)
    order = (Complaint.received_at.desc(), Complaint.id.desc()) if q.newest_first \
        else (Complaint.received_at, Complaint.id)
    ids = list(session.scalars(select(Complaint.id).where(and_(*conds)).order_by(*order)
                               .limit(EXPORT_LIMIT)))
    full = actor.can(Perm.EXPORT_FULL)
    rows: list[list[Any]] = []
    for part in chunks(ids):
        chunk = page_rows(session, part, now, settings, full_contacts=full, actor=actor)
        rows.extend(list(display_row(r, lang, short=False).values()) for r in chunk)
    return export_table_xlsx(session, actor, "complaints", column_headers(lang), rows,
                             sheet=t("complaints.export.sheet", lang),
                             filters={**q.as_filters(), "full": full})


def customer_complaints(session: Session, actor: Actor, customer_id: int,
                        *, open_only: bool = False) -> list[QueueRow]:
    """A customer's complaints, newest first (the profile, the renewals list)."""
    actor.require(Perm.VIEW_CUSTOMERS)
    stmt = select(Complaint.id).where(Complaint.customer_id == customer_id)
    if open_only:
        stmt = stmt.where(Complaint.status.in_(OPEN_STATUSES))
    ids = list(session.scalars(stmt.order_by(Complaint.received_at.desc(),
                                             Complaint.id.desc())))
    return page_rows(session, ids, clock.now(), get_settings(), actor=actor)


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    in_progress: int
    overdue: int
    mine: int


def queue_counts(session: Session, actor: Actor, *, now: datetime | None = None) -> QueueCounts:
    """The figures above the queue: open complaints by state, overdue ones, and the actor's
    own open ones (each one indexed count of ``(status, received_at)``)."""
    actor.require(Perm.VIEW_CUSTOMERS)
    settings = get_settings()
    now = now or clock.now()

    def count(*conds: ColumnElement[bool]) -> int:
        base = queue_conditions(session, actor, ComplaintQuery(statuses=()), now, settings)
        return session.scalar(select(func.count()).select_from(Complaint)
                              .where(*base, *conds)) or 0

    cutoff = _overdue_cutoff(now, settings)
    return QueueCounts(
        pending=count(Complaint.status == PENDING),
        in_progress=count(Complaint.status == IN_PROGRESS),
        overdue=count(Complaint.status.in_(OPEN_STATUSES), Complaint.received_at < cutoff),
        mine=count(Complaint.status.in_(OPEN_STATUSES), Complaint.handler_id == actor.user_id)
        if actor.user_id is not None else 0,
    )
