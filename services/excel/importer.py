"""Import orchestration: preview (read, validate, match: nothing written) and commit (one
transaction), for customers and for the record kinds alike.

The page calls ``preview_import`` with the uploaded bytes, shows the ``ImportPreview`` (columns
and what they were matched to, warnings, counts, rejected rows with reasons, duplicates, the
first rows as they will be stored), lets the user remap columns or choose skip / update (call
``preview_import`` again), then calls ``commit_import`` in a fresh session and commits it. The
commit matches the rows against the database again inside its own transaction, so a customer
added between preview and commit is still caught as a duplicate.

The command line calls ``run_import`` (read, then commit or dry run).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.i18n import t
from core.settings import Settings, get_settings
from db.models import ImportRun, User
from services.access import audit, holds, probes
from services.access.roles import Actor, Perm
from services.customers import mask_value, review_days, validation_context
from services.customers.search_index import GramPositions
from services.customers.tiers import initial_values
from services.customers.validation import printable
from services.excel.bulk import chunks, gc_paused, to_ranges
from services.excel.customers_import import CustomerImport, hidden_values
from services.excel.issues import ExcelActionError, ExcelRefused, Issue
from services.excel.kinds import ImportKind, get_kind
from services.excel.outcomes import ON_DUPLICATE, ImportSummary, OnDuplicate, RowOutcome, Status
from services.excel.progress import ProgressFn
from services.excel.reader import (
    CHUNK_ROWS,
    ColumnInfo,
    Overrides,
    RowSink,
    SheetData,
    read_sheet,
)
from services.excel.records_import import plan_records, write_records
from services.excel.rows import CheckedCustomer, CheckedRecord, CustomerChecker, RecordChecker
from services.excel.writer import column_widths, write_table
from services.privacy.consent_terms import CONSENT_KEYS, flag_text

SAMPLE_ROWS: Final = 20
_SENSITIVE_PERMS: Final = {"mobile": Perm.REVEAL_CONTACT, "email": Perm.REVEAL_CONTACT,
                           "phone": Perm.REVEAL_CONTACT,
                           "id_number": Perm.REVEAL_ID_NUMBER}


@dataclass(frozen=True)
class SampleRow:
    """One of the first rows "as it will be stored": values by header of the kind, personal
    values masked unless the viewer may see them in full."""

    row: int
    status: Status | None
    """None: not shown, because rows are held (a status per row would single them out)."""
    values: dict[str, Any]

    def status_label(self, lang: str = "zh") -> str:
        if self.status is None:
            return "—"
        return t(f"excel.status.{self.status.value}", lang)


@dataclass
class ImportPreview:
    """Everything the page shows before the user confirms; also what ``commit_import`` needs.

    ``columns``: each column of the file, its header and the field it is read as (``key``
    None: ignored). ``summary``: the figures the commit would report now. ``outcomes``: every
    non-blank row (rejected ones with their reasons, duplicates with what they match).
    """

    kind: str
    file_name: str
    on_duplicate: OnDuplicate
    sheet: SheetData
    outcomes: list[RowOutcome]
    summary: ImportSummary
    sample: list[SampleRow] = field(default_factory=list)
    submitted: probes.Submitted = field(default_factory=probes.Submitted)
    """Values of keys the user may not see, and those that matched (``services.access.probes``)."""

    @property
    def columns(self) -> list[ColumnInfo]:
        return self.sheet.columns

    @property
    def warnings(self) -> list[Issue]:
        return self.summary.warnings

    @property
    def sample_headers(self) -> tuple[str, ...]:
        return get_kind(self.kind).headers

    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.status is Status.REJECTED]

    def duplicates(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.status is Status.DUPLICATE]

    def rejected_xlsx(self, lang: str = "zh") -> bytes:
        return rejected_rows_xlsx(self.sheet, self.outcomes, lang)


@dataclass
class ImportResult:
    """What an import did (``import_id`` None for a dry run, which wrote nothing)."""

    kind: str
    file_name: str
    on_duplicate: OnDuplicate
    summary: ImportSummary
    outcomes: list[RowOutcome]
    sheet: SheetData
    import_id: int | None = None
    dry_run: bool = False
    hold_id: int | None = None
    """The group of held rows this import left for review (``services.access.holds``)."""

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        return self.summary.as_json(lang)

    def rejected_xlsx(self, lang: str = "zh") -> bytes:
        return rejected_rows_xlsx(self.sheet, self.outcomes, lang)


# ---- checkers -----------------------------------------------------------------------------------

def _inactive_users(session: Session) -> dict[str, int]:
    """Lower-cased username and display name of deactivated users (an export may name one
    as the account manager a customer still has)."""
    names: dict[str, int] = {}
    for uid, username, display in session.execute(
            select(User.id, User.username, User.display_name).where(User.active.is_(False))):
        names.setdefault(display.lower(), uid)
        names[username.lower()] = uid
    return names


def _mapping(columns: Sequence[ColumnInfo]) -> tuple[tuple[int, str], ...]:
    return tuple((c.index, c.key) for c in columns if c.key is not None)


def _make_checker(session: Session, kind: ImportKind, settings: Settings,
                  for_writing: bool) -> Callable[[list[ColumnInfo]], Any]:
    def make(columns: list[ColumnInfo]) -> CustomerChecker | RecordChecker:
        ctx = validation_context(session, settings)
        if kind.is_customers:
            return CustomerChecker(_mapping(columns), ctx, _inactive_users(session),
                                   for_writing)
        headers = {c.key: c.name for c in columns if c.key is not None}
        return RecordChecker(kind.name, _mapping(columns), headers, dict(ctx.users))
    return make


def _read(session: Session, data: bytes, kind: ImportKind, settings: Settings,
          column_map: Overrides | None, progress: ProgressFn | None, *, for_writing: bool = True,
          sink: RowSink | None = None, parent_every: int = 2) -> SheetData:
    return read_sheet(data, kind, _make_checker(session, kind, settings, for_writing),
                      max_mb=settings.import_max_file_mb, max_rows=settings.import_max_rows,
                      overrides=column_map, progress=progress, sink=sink,
                      parent_every=parent_every)


def _check_args(actor: Actor, kind: str, on_duplicate: str) -> ImportKind:
    actor.require(Perm.IMPORT)
    if on_duplicate not in ON_DUPLICATE:
        raise ValueError(f"on_duplicate must be one of {ON_DUPLICATE}, not {on_duplicate!r}")
    return get_kind(kind)


# ---- deciding and writing ----------------------------------------------------------------------

PARENT_EVERY_WRITING: Final = 0
"""While an import writes, the parsing child checks every chunk: this process's writes are
the slower side on both databases (on PostgreSQL it also waits for the server's index work),
so it checks none itself. Measured at 100,000 rows on PostgreSQL, checking one chunk in five
here took 13.3-13.5 s, none 12.7-12.8 s."""


def _warnings(sheet: SheetData, on_duplicate: OnDuplicate) -> list[Issue]:
    warnings = list(sheet.warnings)
    if sheet.kind != "customers" and on_duplicate == "update":
        warnings.append(Issue("excel.warning.no_update_for_records",
                              {"kind": get_kind(sheet.kind).label}))
    return warnings


def _customer_import(session: Session, actor: Actor, settings: Settings, file_name: str,
                     on_duplicate: OnDuplicate, columns: Sequence[ColumnInfo],
                     numbers: frozenset[str], total: int, *, write: bool,
                     import_id: int | None = None, today: date | None = None,
                     progress: ProgressFn | None = None) -> CustomerImport:
    headers = {c.key: c.name for c in columns if c.key is not None}
    return CustomerImport(session, actor, settings, file_name, on_duplicate, headers.get,
                          write=write, import_id=import_id, given_numbers=numbers,
                          today=today, progress=progress, total=total)


class _CustomerSink:
    """Hands checked rows to a ``CustomerImport`` as they come (it writes them while the rest
    is being checked) and keeps only the rows needed afterwards: the rejected ones (for the
    rejected-rows workbook) and the first ones (for the sample)."""

    def __init__(self, make: Callable[[list[ColumnInfo], frozenset[str], int],
                                      CustomerImport]) -> None:
        self.make = make
        self.importer: CustomerImport | None = None
        self.kept: list[CheckedCustomer] = []

    def begin(self, columns: list[ColumnInfo], given_numbers: frozenset[str],
              total: int) -> None:
        self.importer = self.make(columns, given_numbers, total)

    def feed(self, rows: list[Any], grams: GramPositions | None = None) -> None:
        assert self.importer is not None
        start = len(self.importer.outcomes)
        self.importer.feed(rows, grams)
        for row, outcome in zip(rows, self.importer.outcomes[start:], strict=True):
            if outcome.status is Status.REJECTED or len(self.kept) < SAMPLE_ROWS:
                self.kept.append(row)


def _decide_rows(session: Session, actor: Actor, settings: Settings, sheet: SheetData,
                 file_name: str, on_duplicate: OnDuplicate, progress: ProgressFn | None,
                 matched: set[str] | None = None) -> list[RowOutcome]:
    """Every row's outcome, writing nothing (preview); ``matched`` gets the digests of the
    hidden-key values that found a customer."""
    if sheet.kind != "customers":
        return plan_records(session, sheet, progress, hidden=probes.hidden_keys(actor)).outcomes
    importer = _customer_import(session, actor, settings, file_name, on_duplicate,
                                sheet.columns, sheet.given_numbers,
                                len(sheet.rows) + sheet.blank, write=False, progress=progress)
    for part in chunks(sheet.rows, CHUNK_ROWS):
        importer.feed(part)
    importer.finish()
    if matched is not None:
        matched.update(importer.matched)
    return importer.outcomes


def _start_run(session: Session, actor: Actor, kind: str, file_name: str,
               on_duplicate: OnDuplicate) -> ImportRun:
    """The history row, written first: on SQLite that takes the write lock, so nothing can
    change between the duplicate checks and the inserts of this import."""
    run = ImportRun(kind=kind, file_name=file_name[:255], user_id=actor.user_id,
                    username=actor.username, created_at=clock.now(), on_duplicate=on_duplicate,
                    inserted=0, updated=0, duplicates=0, rejected=0, blank=0)
    session.add(run)
    session.flush()
    return run


@contextmanager
def _big_cache(session: Session, big: bool) -> Iterator[None]:
    """A big import on SQLite updates a dozen indexes: a large page cache keeps that in
    memory (restored afterwards: the connection goes back to the pool)."""
    conn = session.connection()
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar() \
        if big and conn.dialect.name == "sqlite" else None
    if cache is not None:
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
    try:
        yield
    finally:
        if cache is not None:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")


def _finish_run(session: Session, actor: Actor, run: ImportRun, sheet: SheetData,
                summary: ImportSummary, inserted: Sequence[int],
                updates: list[dict[str, Any]], file_name: str,
                on_duplicate: OnDuplicate, hold_id: int | None = None) -> None:
    loaded = session.get(ImportRun, run.id)  # expired by the bulk writes
    if loaded is None:  # pragma: no cover - written in this transaction
        raise ExcelActionError("excel.error.not_found")
    loaded.inserted, loaded.updated = summary.inserted, summary.updated
    loaded.duplicates, loaded.rejected, loaded.blank = (summary.duplicates, summary.rejected,
                                                        summary.blank)
    loaded.inserted_ids = to_ranges(inserted)
    loaded.updates = updates
    loaded.detail = {"sheet": sheet.sheet,
                     "warnings": [w.message("zh") for w in summary.warnings],
                     "rows": summary.inserted + summary.updated + summary.duplicates +
                     summary.rejected + summary.blank}
    if sheet.kind == "customers" and summary.inserted:
        review_days.compact(session.connection())  # one delta row per new customer on SQLite
    audit.record(session, actor, f"import.{sheet.kind}", "import", run.id,
                 detail={"file_name": file_name, "on_duplicate": on_duplicate,
                         **summary.counts(),
                         **({"held": summary.held, "hold_id": hold_id} if hold_id else {})})
    session.flush()


def _display(key: str, value: Any, actor: Actor, settings: Settings) -> Any:
    if isinstance(value, list):
        return "，".join(map(str, value)) or None
    perm = _SENSITIVE_PERMS.get(key)
    if perm is not None and not actor.can(perm):
        return mask_value(key, value, settings)
    return value


def _sample(session: Session, sheet: SheetData, outcomes: Sequence[RowOutcome], actor: Actor,
            settings: Settings) -> list[SampleRow]:
    kind = get_kind(sheet.kind)
    status: dict[int, Status | None] = {o.row: o.status for o in outcomes}
    conceal = any(o.status is Status.HELD for o in outcomes)
    users: dict[int, str] = {}
    rows: list[SampleRow] = []
    for checked in sheet.rows[:SAMPLE_ROWS]:
        values = dict(checked.values)
        if isinstance(checked, CheckedCustomer):
            manager = values.pop("account_manager_id", None)
            if manager is not None:
                users = users or dict(session.execute(
                    select(User.id, User.display_name)).all())
                values["account_manager"] = users.get(manager)
            for key in CONSENT_KEYS:  # as the file says it: 是 / 否
                values[key] = flag_text(values.get(key))
            if status.get(checked.row) in (Status.NEW, Status.HELD):  # alike, as held rows
                if not values.get("customer_no"):
                    values["customer_no"] = t("excel.preview.issued_number")
                if not values.get("tier"):
                    values["tier"] = initial_values(None, clock.now(), settings).tier.value
        else:
            for col in kind.columns:
                if col.type == "user" and values.get(col.key) is not None:
                    users = users or dict(session.execute(
                        select(User.id, User.display_name)).all())
                    values[col.key] = users.get(values[col.key])
        shown = {col.header: _display(col.key, values.get(col.key), actor, settings)
                 for col in kind.columns if col.type != "info"}
        rows.append(SampleRow(checked.row, None if conceal else status.get(checked.row,
                                                                           Status.REJECTED),
                              shown))
    return rows


# ---- the public operations ----------------------------------------------------------------------

def _admit(session: Session, actor: Actor, action: str, submitted: probes.Submitted, *,
           detail: dict[str, Any], audit_action: str | None = None,
           values_counted: bool = False) -> None:
    """``probes.admit``, refusing the file as a whole (``ExcelRefused``) past a limit."""
    try:
        probes.admit(session, actor, action, submitted, detail=detail,
                     audit_action=audit_action, values_counted=values_counted)
    except probes.ProbeRefused as exc:
        raise ExcelRefused(exc.key, **exc.params) from None


def _preview_import(session: Session, actor: Actor, data: bytes, file_name: str, *,
                   kind: str = "customers", on_duplicate: OnDuplicate = "skip",
                   column_map: Overrides | None = None,
                   progress: ProgressFn | None = None,
                   audit_action: str = "import.preview") -> ImportPreview:
    """The body of ``preview_import`` (run with the cyclic collector paused).

    Audited (``audit_action``: who, file, rows, rows held) in a transaction of its own, so
    the entry stays although a preview writes nothing. The values of keys the user may not
    see count against the hourly limits of ``services.access.probes`` before anything is matched,
    and the preview counts as a match when some row is held."""
    file_name = printable(file_name)  # a name is shown, stored and audited: no controls
    spec = _check_args(actor, kind, on_duplicate)
    settings = get_settings()
    sheet = _read(session, data, spec, settings, column_map, progress)
    detail: dict[str, Any] = {"file_name": file_name, "kind": kind,
                              "on_duplicate": on_duplicate}
    submitted = probes.Submitted()
    if spec.is_customers:
        submitted = hidden_values(sheet.rows, probes.hidden_keys(actor))
        if submitted:
            _admit(session, actor, audit_action, submitted, detail=detail)
    outcomes = _decide_rows(session, actor, settings, sheet, file_name, on_duplicate, progress,
                            submitted.matched)
    summary = ImportSummary.of(outcomes, sheet.blank, _warnings(sheet, on_duplicate))
    detail.update(rows=len(outcomes) + sheet.blank, held=summary.held, **summary.counts())
    _admit(session, actor, audit_action, submitted, detail=detail, audit_action=audit_action,
           values_counted=True)
    return ImportPreview(kind, file_name, on_duplicate, sheet, outcomes, summary,
                         _sample(session, sheet, outcomes, actor, settings), submitted)


def _commit_import(session: Session, actor: Actor, preview: ImportPreview, *,
                  on_duplicate: OnDuplicate | None = None, progress: ProgressFn | None = None,
                  today: date | None = None) -> ImportResult:
    """The body of ``commit_import`` (run with the cyclic collector paused)."""
    mode = on_duplicate or preview.on_duplicate
    _check_args(actor, preview.kind, mode)
    settings = get_settings()
    sheet, name = preview.sheet, preview.file_name
    if preview.submitted:  # counted by the preview already, unless an hour has passed
        _admit(session, actor, "import.commit", preview.submitted,
               detail={"file_name": name, "kind": sheet.kind, "on_duplicate": mode})
    run = _start_run(session, actor, sheet.kind, name, mode)
    with _big_cache(session, len(sheet.rows) > 20_000):
        if sheet.kind == "customers":
            importer = _customer_import(session, actor, settings, name, mode, sheet.columns,
                                        sheet.given_numbers, len(sheet.rows) + sheet.blank,
                                        write=True,
                                        import_id=run.id, today=today, progress=progress)
            for part in chunks(sheet.rows, CHUNK_ROWS):
                importer.feed(part)
            importer.finish()
            outcomes, inserted, updates = (importer.outcomes, importer.inserted_ids,
                                           importer.updates)
            held = importer.held
        else:
            plan = plan_records(session, sheet, progress, hidden=probes.hidden_keys(actor))
            outcomes, updates, held = plan.outcomes, [], []
            inserted = write_records(session, sheet.kind, plan, today, progress)
    summary = ImportSummary.of(outcomes, sheet.blank, _warnings(sheet, mode))
    hold_id = holds.create_hold(session, actor, sheet, held, name, mode) if held else None
    _finish_run(session, actor, run, sheet, summary, inserted, updates, name, mode, hold_id)
    return ImportResult(sheet.kind, name, mode, summary, outcomes, sheet, import_id=run.id,
                        hold_id=hold_id)


def _run_import(session: Session, actor: Actor, data: bytes, file_name: str, *,
               kind: str = "customers", on_duplicate: OnDuplicate = "skip",
               dry_run: bool = False, column_map: Overrides | None = None,
               progress: ProgressFn | None = None, today: date | None = None) -> ImportResult:
    """The body of ``run_import`` (run with the cyclic collector paused)."""
    file_name = printable(file_name)  # a name is shown, stored and audited: no controls
    spec = _check_args(actor, kind, on_duplicate)
    if spec.is_customers and probes.hidden_keys(actor):
        # Keys this user may not see: counted and limited before matching, so read first
        # (no streaming), as the page does: a preview, then its commit.
        preview = _preview_import(session, actor, data, file_name, kind=kind,
                                  on_duplicate=on_duplicate, column_map=column_map,
                                  progress=progress,
                                  audit_action="import.dry_run" if dry_run else "import.preview")
        if dry_run:
            return ImportResult(kind, file_name, on_duplicate, preview.summary, preview.outcomes,
                                preview.sheet, dry_run=True)
        return _commit_import(session, actor, preview, progress=progress, today=today)
    settings = get_settings()
    write = not dry_run
    run = _start_run(session, actor, kind, file_name, on_duplicate) if write else None
    run_id = run.id if run is not None else None
    with _big_cache(session, write and len(data) > 1_000_000):
        if spec.is_customers:
            sink = _CustomerSink(lambda columns, numbers, total: _customer_import(
                session, actor, settings, file_name, on_duplicate, columns, numbers, total,
                write=write, import_id=run_id, today=today, progress=progress))
            sheet = _read(session, data, spec, settings, column_map, progress,
                          for_writing=write, sink=sink,
                          parent_every=PARENT_EVERY_WRITING if write else 2)
            assert sink.importer is not None
            sink.importer.finish()
            sheet.rows = sink.kept
            outcomes, inserted, updates = (sink.importer.outcomes, sink.importer.inserted_ids,
                                           sink.importer.updates)
        else:
            sheet = _read(session, data, spec, settings, column_map, progress)
            plan = plan_records(session, sheet, progress, hidden=probes.hidden_keys(actor))
            outcomes, updates = plan.outcomes, []
            inserted = write_records(session, kind, plan, today, progress) if write else []
    summary = ImportSummary.of(outcomes, sheet.blank, _warnings(sheet, on_duplicate))
    if run is None:
        probes.audit_apart(session, actor, "import.dry_run", detail={
            "file_name": file_name, "kind": kind, "on_duplicate": on_duplicate,
            "rows": len(outcomes) + sheet.blank, "held": summary.held, **summary.counts()})
        return ImportResult(kind, file_name, on_duplicate, summary, outcomes, sheet,
                            dry_run=True)
    _finish_run(session, actor, run, sheet, summary, inserted, updates, file_name,
                on_duplicate)
    return ImportResult(kind, file_name, on_duplicate, summary, outcomes, sheet,
                        import_id=run.id)


# ---- the rejected rows ------------------------------------------------------------------------

def rejected_rows_xlsx(sheet: SheetData, outcomes: Sequence[RowOutcome], lang: str = "zh"
                       ) -> bytes:
    """The rejected rows as they were in the file (original cells, same header) plus a last
    column of reasons, so the user can fix them and import this very file again."""
    reasons = {o.row: "\n".join(o.messages(lang)) for o in outcomes
               if o.status is Status.REJECTED}
    rows: list[CheckedCustomer | CheckedRecord] = [r for r in sheet.rows if r.row in reasons]
    width = max([len(sheet.header)] + [len(r.cells) for r in rows])
    header = [("" if h is None else h) for h in sheet.header] + [""] * (width - len(sheet.header))
    while header and header[-1] == "" and all(
            len(r.cells) < len(header) or r.cells[len(header) - 1] in ("", None) for r in rows):
        header.pop()
    n = len(header)
    headers = [*map(str, header), t("excel.export.reasons_header", lang)]
    table = [[*(None if v == "" else v for v in r.cells[:n]),
              *([None] * (n - len(r.cells))), reasons[r.row]] for r in rows]
    widths = column_widths(headers, [row[:-1] for row in table[:200]])
    widths[-1] = 60
    buffer = io.BytesIO()
    write_table(buffer, headers, table, sheet=sheet.sheet or "Sheet1", widths=widths,
                wrap_columns=(len(headers) - 1,))
    return buffer.getvalue()


def preview_import(session: Session, actor: Actor, data: bytes, file_name: str, *,
                   kind: str = "customers", on_duplicate: OnDuplicate = "skip",
                   column_map: Overrides | None = None,
                   progress: ProgressFn | None = None) -> ImportPreview:
    """Read, validate and match ``data`` without writing anything.

    Raises ``ExcelRefused`` when the file as a whole cannot be imported (unsafe, not a
    workbook, too large, no 客户名称 column ...); its ``message(lang)`` says why.
    ``column_map`` overrides the matching: ``{column index or header: field key or None}``.
    """
    with gc_paused():
        return _preview_import(session, actor, data, file_name, kind=kind,
                               on_duplicate=on_duplicate, column_map=column_map,
                               progress=progress)


def commit_import(session: Session, actor: Actor, preview: ImportPreview, *,
                  on_duplicate: OnDuplicate | None = None, progress: ProgressFn | None = None,
                  today: date | None = None) -> ImportResult:
    """Write the previewed rows in the caller's transaction (use a fresh session and commit
    it; on any error roll back and nothing is imported).

    The rows are matched again inside this transaction; the result's summary is what was
    written. ``on_duplicate`` overrides the preview's choice.
    """
    with gc_paused():
        return _commit_import(session, actor, preview, on_duplicate=on_duplicate,
                              progress=progress, today=today)


def run_import(session: Session, actor: Actor, data: bytes, file_name: str, *,
               kind: str = "customers", on_duplicate: OnDuplicate = "skip",
               dry_run: bool = False, column_map: Overrides | None = None,
               progress: ProgressFn | None = None, today: date | None = None) -> ImportResult:
    """Read and import in one go (command line, scripts): the same figures as a preview and
    a commit; ``dry_run`` writes nothing at all (not even the history).

    Customer rows are matched and written while the rest of the file is still being checked
    (see ``CustomerImport``), in the caller's transaction.
    """
    with gc_paused():
        return _run_import(session, actor, data, file_name, kind=kind,
                           on_duplicate=on_duplicate, dry_run=dry_run, column_map=column_map,
                           progress=progress, today=today)
