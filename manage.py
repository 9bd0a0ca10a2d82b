#!/usr/bin/env python3
"""Admin command line of 客户档案. Acts as the system administrator, audited as ``cli``.

Each command has ``--help``. The database is the one named by ``CRM_DATABASE_URL``, else
``config.toml``.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import time
from datetime import date

from core import logs
from core.settings import ConfigError, get_settings
from core.vocab import Role
from db.engine import get_engine, session_scope
from db.migrate import upgrade
from services.access.roles import Actor, PermissionDenied, cli_actor


def _cli() -> Actor:
    """The command line's actor; demo rights only on a database stamped by seed-demo."""
    from services.system.database_facts import is_demo_database

    with session_scope() as session:
        return cli_actor(is_demo_database(session))


KEYS_REFUSED = 3
"""Exit status when the data keys do not fit the database (services.access.keys)."""
CONFIG_REFUSED = 4
"""Exit status when config.toml (or CRM_CONFIG, or a CRM_* variable) is wrong."""


def _check_keys() -> int:
    """0 if the data keys fit this database (recording them on first use), else print what to
    do and return ``KEYS_REFUSED``. Every command runs this before touching any data."""
    from services.access.keys import KeysRefused, ensure_keys

    try:
        ensure_keys(get_engine())
    except KeysRefused as exc:
        print(exc.message(get_settings().language), file=sys.stderr)
        return KEYS_REFUSED
    return 0


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the schema to the latest migration, then check the data keys (on an
    empty database, generate them if absent)."""
    upgrade(get_engine())
    print("database is up to date")
    return _check_keys()


def cmd_rotate_keys(args: argparse.Namespace) -> int:
    """Replace the data keys: every 证件号码 ciphertext and keyed hash (customers, import
    history, and whatever other modules registered) is re-encrypted and re-hashed in ONE
    transaction, and the database records the new keys' fingerprints. The new keys come from
    the environment, never the command line: CRM_NEW_ENCRYPTION_KEY and/or CRM_NEW_HASH_KEY (a
    key not given stays). The current keys must fit the database. Afterwards the new keys are
    written where the old ones came from (.streamlit/secrets.toml), or, for keys from the
    environment, you are told to change it. Audited as cli."""
    import os

    from core.i18n import t
    from services.access import audit
    from services.access.keys import fingerprint, new_keys_valid, rotate_keys
    from services.access.secrets import get_secrets, replace_in_file, secrets_path, source_of

    lang = get_settings().language
    new_enc = os.environ.get("CRM_NEW_ENCRYPTION_KEY") or None
    new_hash = os.environ.get("CRM_NEW_HASH_KEY") or None
    if not new_enc and not new_hash:
        print(t("keys.rotate.no_new_keys", lang), file=sys.stderr)
        return 2
    old = get_secrets()
    new_enc, new_hash = new_enc or old.encryption_key, new_hash or old.hash_key
    problem = new_keys_valid(new_enc, new_hash)
    if problem:
        print(t(problem, lang), file=sys.stderr)
        return 2
    changed = {"encryption_key": new_enc, "hash_key": new_hash}
    changed = {k: v for k, v in changed.items() if v != getattr(old, k)}
    sources = {k: source_of(k) for k in changed}  # before this process's environment changes
    started = time.perf_counter()
    try:
        with session_scope() as session:
            counts = rotate_keys(session.connection(), old, new_enc, new_hash)
            # The rotation's own audit entry is written under the new keys, as all after it.
            os.environ["CRM_ENCRYPTION_KEY"], os.environ["CRM_HASH_KEY"] = new_enc, new_hash
            get_secrets.cache_clear()
            audit.record(session, _cli(), "keys.rotate", detail={
                "keys": sorted(changed), "counts": counts,
                "fingerprints": {k: fingerprint(k, v)[:12] for k, v in changed.items()}})
    except Exception as exc:
        print(t("keys.rotate.failed", lang, detail=f"{type(exc).__name__}: {exc}"),
              file=sys.stderr)
        return 1
    print(t("keys.rotate.done", lang,
            counts=", ".join(f"{k} {v}" for k, v in counts.items())))
    from_env = [k for k in changed if sources[k] == "env"]
    in_file = {k: v for k, v in changed.items() if k not in from_env}
    if in_file:
        replace_in_file(secrets_path(), in_file)
        print(t("keys.rotate.file_written", lang, path=secrets_path()))
    if from_env:
        names = ", ".join({"encryption_key": "CRM_ENCRYPTION_KEY",
                           "hash_key": "CRM_HASH_KEY"}[k] for k in from_env)
        print(t("keys.rotate.set_env", lang, variables=names))
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("passwords do not match")
    return first


def cmd_create_user(args: argparse.Namespace) -> int:
    """Create a user; the password comes from a prompt or standard input, never an argument."""
    from services.access.users import UserError, create_user

    password = _read_password(args)
    settings = get_settings()
    try:
        with session_scope() as session:
            user = create_user(session, _cli(), args.username,
                               args.display_name or args.username, args.role, password)
            print(f"created user {user.username} ({user.role})")
    except UserError as exc:
        print(exc.message(settings.language), file=sys.stderr)
        return 1
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """Load deterministic zh_CN demo data (bulk inserts) and stamp the database as a demo
    database, the only way one becomes one (trainers may then edit, trainers and admins may
    reset it). --reset replaces the customers of a demo database only. --dataset picks the case
    the data is about (general by default; retail, finance, healthcare for the course)."""
    from sqlalchemy import exists, select

    from db.models import Customer
    from services.demo import DemoDataPresent, seed_demo
    from services.system.database_facts import is_demo_database

    engine = get_engine()
    upgrade(engine)
    status = _check_keys()
    if status:
        return status
    with engine.connect() as conn:
        real = (not is_demo_database(conn)
                and bool(conn.scalar(select(exists().where(Customer.id.is_not(None))))))
    if real and args.reset:
        print("this database was not made by seed-demo: its customers are real data and "
              "--reset will not delete them", file=sys.stderr)
        return 1
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if not args.quiet:
            print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)

    if args.reset:  # a reset deletes every customer: a backup first (backup.demo_reset_dir)
        from services.backup.demo_reset import backup_before_reset

        backup_before_reset(engine, _cli())
    try:
        report = seed_demo(engine, customers=args.customers, seed=args.seed,
                           reset=args.reset, progress=progress, dataset=args.dataset)
    except DemoDataPresent:
        if args.if_empty:
            print("database already has data; demo data not loaded")
            return 0
        print("database already has customers; use --reset to replace them with demo data",
              file=sys.stderr)
        return 1
    if not args.quiet:
        print(file=sys.stderr)
    print(f"seeded {report.summary()} in {time.perf_counter() - started:.1f} s"
          f" (dataset {args.dataset})")
    return 0


def cmd_recompute_tiers(args: argparse.Namespace) -> int:
    """Recompute every customer's tier, lifecycle stage and value segment from the rules in
    config.toml (orders aggregated in SQL per chunk of customers, one transaction per chunk);
    manual tiers stay. Prints how many changed."""
    from services.access import audit
    from services.customers.tiers import recompute_all

    settings = get_settings()

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            print(f"\rcustomers: {done}/{total}", end="", file=sys.stderr, flush=True)

    summary = recompute_all(get_engine(), args.today, chunk_size=args.chunk_size,
                            settings=settings, progress=progress)
    if not args.quiet:
        print(file=sys.stderr)
    with session_scope() as session:
        audit.record(session, _cli(), "tiers.recompute",
                     detail={**summary.as_dict(), "today": args.today})
    print(f"recomputed {summary.customers} customers in {summary.seconds:.1f} s: "
          f"{summary.tier_changed} tier changes, {summary.lifecycle_changed} lifecycle "
          f"changes, {summary.segment_changed} value segment changes "
          f"({summary.manual_kept} manual tiers kept)")
    return 0


def cmd_refresh_churn(args: argparse.Namespace) -> int:
    """Bring the churn risk snapshot (流失预警) up to date: rebuilt when the day or the rules
    changed (or with --full), else only the customers whose records changed. Run it from cron
    shortly after midnight, so that the first dashboard view of the day need not rebuild it.
    It also folds the day's review-count deltas (services.customers.review_days) into one row per
    day."""
    from sqlalchemy import func, select

    from db.models import ChurnScore
    from services.analysis import churn
    from services.customers import review_days

    started = time.perf_counter()
    with session_scope() as session:
        review_days.compact(session.connection())
    with session_scope() as session:
        done = churn.ensure_fresh(session, force=args.full)
        total = session.scalar(select(func.count()).select_from(ChurnScore))
    print(f"churn snapshot {done}: {total} customers at risk "
          f"({time.perf_counter() - started:.1f} s)")
    return 0 if done != "busy" else 1


def cmd_plan_visits(args: argparse.Namespace) -> int:
    """Plan the periodic 回访 of config.toml [follow_ups] periodic_days: every customer of a
    tier whose next visit (the tier's interval after the last visit done; never visited:
    after the first order, else after the record was created) falls due within --ahead days
    gets one visit, on its due date (today at the earliest), assigned to the account manager.
    Customers with an open visit are skipped, so running it again plans nothing new. One
    set-based statement per tier; audited. Run it daily (cron, systemd timer)."""
    from services.records.visit_planning import plan_periodic

    settings = get_settings()
    started = time.perf_counter()
    with session_scope() as session:
        summary = plan_periodic(session, args.today, ahead_days=args.ahead,
                                actor=_cli(), settings=settings)
    per_tier = ", ".join(f"{tier} {n}" for tier, n in summary.by_tier.items())
    print(f"planned {summary.planned} periodic visits due by "
          f"{summary.today.isoformat()} + {summary.ahead_days} days ({per_tier}) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


def _progress_printer(enabled: bool):
    """Progress on stderr (never stdout: --json output is read by other tools)."""
    def progress(stage: str, done: int, total: int) -> None:
        if enabled:
            print(f"\r{stage}: {done}/{total}   ", end="", file=sys.stderr, flush=True)
    return progress


def cmd_import_customers(args: argparse.Namespace) -> int:
    """Import customers from an .xlsx workbook as the system administrator (audited as cli).

    Rows that match an existing customer (客户编号, 手机号, 邮箱 or 证件号码) or an earlier row
    are skipped, or with --on-duplicate update overwrite that customer's values with the
    file's non-blank cells. The import is one transaction. Exit status: 0 when the file was
    processed (rejected rows included), 2 when it cannot be read or lacks the 客户名称 column,
    1 on any other failure. With --json exactly one JSON object is printed on stdout.
    """
    import json
    from pathlib import Path

    from core.i18n import t
    from services.excel import ExcelRefused, run_import

    settings = get_settings()
    lang = settings.language

    def fail(status: int, message: str) -> int:
        if args.json:
            print(json.dumps({"inserted": 0, "updated": 0, "duplicates": 0, "rejected": 0,
                              "blank": 0, "errors": [{"row": None, "column": None,
                                                      "message": message}],
                              "warnings": []}, ensure_ascii=False))
        else:
            print(message, file=sys.stderr)
        return status

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(2, t("excel.cli.cannot_read", lang, detail=exc.strerror or str(exc)))
    show = sys.stderr.isatty()
    try:
        with session_scope() as session:
            result = run_import(session, _cli(), data, path.name,
                                on_duplicate=args.on_duplicate, dry_run=args.dry_run,
                                progress=_progress_printer(show))
    except ExcelRefused as exc:
        return fail(2, exc.message(lang))
    except Exception as exc:
        message = getattr(exc, "message", None)
        text = message(lang) if callable(message) else f"{type(exc).__name__}: {exc}"
        return fail(1, t("excel.cli.failed", lang, detail=text))
    finally:
        if show:
            print(file=sys.stderr)
    if args.json:
        print(json.dumps(result.as_json(lang), ensure_ascii=False))
        return 0
    summary = result.summary
    line = t("excel.cli.summary", lang, **summary.counts())
    print(line + (" " + t("excel.cli.dry_run", lang) if args.dry_run else ""))
    for warning in summary.warnings:
        print(f"! {warning.message(lang)}")
    for error in summary.errors:
        print(t("excel.cli.row_error", lang, row=error.row, column=error.column or "-",
                message=error.message(lang)))
    return 0


def cmd_export_customers(args: argparse.Namespace) -> int:
    """Export every live customer to an .xlsx workbook (sheet 客户, the spec's headers, full
    values) as the system administrator; audited as cli. With --marketing, only customers whose
    营销 consent is current (an export for marketing), and how many were left out."""
    import os
    import tempfile
    from pathlib import Path

    from core.i18n import t
    from services.excel import marketing_split, write_customers

    settings = get_settings()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".export-", suffix=".xlsx")
    os.close(fd)
    try:
        with session_scope() as session:
            left = marketing_split(session, _cli())[1] if args.marketing else 0
            rows = write_customers(session, _cli(), tmp, marketing=args.marketing,
                                   progress=_progress_printer(sys.stderr.isatty()))
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(t("excel.cli.exported", settings.language, rows=rows, path=out))
    if args.marketing:
        print(t("consent.export.left_out", settings.language, kept=rows, left=left))
    return 0


def cmd_verify_audit(_args: argparse.Namespace) -> int:
    """Walk the audit log's hash chain; name the first broken or missing link and exit 1."""
    from core.i18n import t
    from services.access import audit_chain

    lang = get_settings().language
    with get_engine().connect() as conn:
        verdict = audit_chain.verify(conn)
    if verdict.ok:
        print(t("auditchain.verify.ok", lang, checked=verdict.checked, seq=verdict.head_seq,
                hash=verdict.head_hash))
        return 0
    none = t("auditchain.none", lang)
    assert verdict.problem is not None
    print(t(verdict.problem, lang, entry=verdict.entry_id, seq=verdict.seq,
            previous=none if verdict.previous_entry_id is None else verdict.previous_entry_id,
            head=verdict.head_seq, last=(verdict.seq or 1) - 1), file=sys.stderr)
    print(t("auditchain.verify.failed", lang, checked=verdict.checked), file=sys.stderr)
    return 1


def cmd_erase_customer(args: argparse.Namespace) -> int:
    """Erase one customer's personal information, irreversibly (data-protection.md,
    "Erasure"): the name becomes 已删除客户 + 客户编号; contacts, 证件号码, address, notes,
    gender, company, title, tags naming the person and the free text of their records are
    cleared, and so are these values in the search index, the audit log (each entry stays
    checkable by verify-audit), import history and held import rows, in one transaction.
    Orders, amounts, dates, tier and scores stay. On SQLite the WAL is then checkpointed and
    truncated. Audited as cli, with the reason."""
    from core.i18n import t
    from db.engine import get_engine
    from services.privacy.erasure import ErasureError, erase_customer, find_customer, finish

    lang = get_settings().language
    actor = _cli()
    try:
        with session_scope() as session:
            customer_id = find_customer(session, args.customer_no)
            if customer_id is None:
                print(t("erasure.cli.not_found", lang, customer_no=args.customer_no),
                      file=sys.stderr)
                return 1
            done = erase_customer(session, actor, customer_id, args.reason)
    except ErasureError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    print(t("erasure.cli.done", lang, customer_no=done.customer_no, records=done.records,
            entries=done.audit_entries, imports=done.imports, held=done.held_rows))
    if not finish(get_engine()):
        print(t("erasure.cli.wal_busy", lang), file=sys.stderr)
    return 0


def cmd_export_person(args: argparse.Namespace) -> int:
    """Write a copy for the person (PIPL Art. 45): every field of the customer and every
    record the app holds about them, in full, one sheet per kind (orders, contacts, visits,
    complaints and their steps, surveys, contracts, renewals, consent ledger, tier history),
    with a cover sheet saying when and by whom it was made. Audited as cli."""
    import os
    import tempfile
    from pathlib import Path

    from core.i18n import t
    from services.privacy.erasure import find_customer
    from services.privacy.person_copy import write_person_copy

    lang = get_settings().language
    actor = _cli()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".person-", suffix=".xlsx")
    os.close(fd)
    try:
        with session_scope() as session:
            customer_id = find_customer(session, args.customer_no)
            if customer_id is None:
                print(t("erasure.cli.not_found", lang, customer_no=args.customer_no),
                      file=sys.stderr)
                return 1
            made = write_person_copy(session, actor, customer_id, tmp, lang)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(t("person.cli.done", lang, customer_no=made.customer_no, path=out,
            rows=sum(made.sheets.values())))
    return 0


def _tool_message(exc: Exception, lang: str) -> str:
    from core.i18n import t
    from services.backup import ToolFailed, ToolMissing

    if isinstance(exc, ToolMissing):
        return t("backup.failed.tool_missing", lang, tool=exc.tool, major=exc.major,
                 found=", ".join(exc.found) or "-")
    assert isinstance(exc, ToolFailed)
    return t("backup.failed.tool", lang, tool=exc.tool, detail=exc.stderr.strip()[-1500:])


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the running database into a new directory under OUT_DIR
    (SQLite: the online backup API; PostgreSQL: pg_dump custom format of the server's
    version, from one snapshot) with manifest.json (time, schema revision, row counts per
    table, SHA-256 of each file). The data keys go to a separate file beside the directory,
    <name>.keys.toml (mode 0600): store it apart from the backup. --keep N then removes the
    oldest backups beyond N. Safe while the app runs. Audited as cli."""
    from pathlib import Path

    from core.i18n import t
    from services.access.secrets import get_secrets
    from services.backup import BackupFailed, ToolFailed, ToolMissing, backup

    lang = get_settings().language
    if args.keep is not None and args.keep < 1:
        print(t("backup.keep_invalid", lang), file=sys.stderr)
        return 2
    try:
        result = backup(get_engine(), Path(args.out_dir), get_secrets(), _cli(), keep=args.keep)
    except (ToolMissing, ToolFailed) as exc:
        print(_tool_message(exc, lang), file=sys.stderr)
        return 1
    except BackupFailed as exc:
        print(t(f"backup.failed.{exc.code}", lang, **exc.params), file=sys.stderr)
        return 1
    print(t("backup.done", lang, path=result.directory, keys=result.keys_file,
            customers=result.manifest.tables.get("customers", 0),
            seconds=result.manifest.seconds))
    for path in result.removed:
        print(t("backup.removed", lang, path=path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup directory written by backup into an EMPTY database (the one of
    CRM_DATABASE_URL / config.toml; PostgreSQL through pg_restore of the server's version).
    Refused, leaving the database empty, when the manifest's checksums or row counts do not
    match, the audit chain does not verify, the database holds any data, or the configured
    data keys are not the backup's (their fingerprints differ): put the backup's keys file
    into .streamlit/secrets.toml first. Then the schema is upgraded and the search index and
    review-day counts are rebuilt. Audited as cli."""
    from pathlib import Path

    from core.i18n import t
    from services.access.roles import cli_actor
    from services.access.secrets import MissingKeys, load_secrets
    from services.backup import RestoreRefused, ToolFailed, ToolMissing, restore_backup

    lang = get_settings().language
    try:
        keys = load_secrets()
    except MissingKeys:
        keys = None
    try:
        result = restore_backup(get_engine(), Path(args.in_dir), keys, cli_actor(False))
    except RestoreRefused as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except (ToolMissing, ToolFailed) as exc:
        print(_tool_message(exc, lang), file=sys.stderr)
        return 1
    print(t("backup.restore.done", lang, path=args.in_dir, created_at=result.manifest.created_at,
            customers=result.manifest.tables.get("customers", 0), seconds=result.seconds))
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Named snapshots of the DEMO database (a database seed-demo stamped; refused on any
    other), kept in training.snapshot_dir of config.toml. save NAME writes one through backup
    (a snapshot of that name is replaced); restore NAME empties the demo database and restores
    the snapshot with every check restore makes (checksums, row counts, audit chain, key
    fingerprints) -- the audit log goes back to the snapshot too, and the restore's entry says
    how many entries that dropped; list shows them, newest first. Audited as cli."""
    from core.i18n import t
    from services.access.secrets import MissingKeys, load_secrets
    from services.backup import BackupFailed, RestoreRefused, ToolFailed, ToolMissing
    from services.training import (
        SnapshotRefused,
        list_snapshots,
        restore_snapshot,
        save_snapshot,
    )

    lang = get_settings().language
    if args.action == "list":
        snaps = list_snapshots()
        if not snaps:
            print(t("training.snapshot.none", lang))
        for snap in snaps:
            print(f"{snap.name}\t{snap.created_at}\t{snap.customers}")
        return 0
    if not args.name:
        print(t("training.snapshot.name_needed", lang), file=sys.stderr)
        return 2
    try:
        keys = load_secrets()
    except MissingKeys:
        keys = None
    try:
        if args.action == "save":
            if keys is None:
                raise SnapshotRefused("keys")
            snap = save_snapshot(get_engine(), args.name, keys, _cli())
            print(t("training.snapshot.saved", lang, name=snap.name, customers=snap.customers))
        else:
            done = restore_snapshot(get_engine(), args.name, keys, _cli())
            print(t("training.snapshot.restored", lang, name=done.name,
                    customers=done.customers, seconds=done.seconds))
    except SnapshotRefused as exc:
        print(t(f"training.snapshot.refused.{exc.code}", lang, **exc.params), file=sys.stderr)
        return 1
    except PermissionDenied:
        print(t("training.snapshot.refused.not_demo", lang), file=sys.stderr)
        return 1
    except RestoreRefused as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except BackupFailed as exc:
        print(t(f"backup.failed.{exc.code}", lang, **exc.params), file=sys.stderr)
        return 1
    except (ToolMissing, ToolFailed) as exc:
        print(_tool_message(exc, lang), file=sys.stderr)
        return 1
    return 0


def cmd_expire_classes(_args: argparse.Namespace) -> int:
    """Deactivate the trainee accounts of every training class that expired or was closed
    (issue 17), one audit entry per class, audited as cli. For cron (e.g. nightly); a trainee
    of an ended class is also refused and deactivated at their next login attempt."""
    from core.i18n import t
    from services.training import expire_classes

    lang = get_settings().language
    with session_scope() as session:
        done = expire_classes(session, _cli())
    for name, count in done.items():
        print(t("classes.cli.expired", lang, name=name, count=count))
    if not done:
        print(t("classes.cli.none", lang))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write the import template (headers, drop-down lists, an example row, instructions)."""
    from pathlib import Path

    from core.i18n import t
    from services.excel import template_xlsx

    settings = get_settings()
    Path(args.out).write_bytes(template_xlsx(args.kind, settings=settings))
    print(t("excel.cli.template", settings.language, path=args.out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from core.i18n import t
    from services.demo.datasets import DATASETS

    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init-db", help="create or upgrade the database schema",
                       description=cmd_init_db.__doc__)
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("rotate-keys", help="re-encrypt and re-hash under new data keys "
                       "(CRM_NEW_ENCRYPTION_KEY / CRM_NEW_HASH_KEY)",
                       description=cmd_rotate_keys.__doc__)
    p.set_defaults(func=cmd_rotate_keys)

    p = sub.add_parser("create-user", help="create a user (password from prompt or stdin)",
                       description=cmd_create_user.__doc__)
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--display-name", help="name shown in the app (default: the username)")
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser("seed-demo", help="load deterministic demo data",
                       description=cmd_seed_demo.__doc__)
    p.add_argument("--customers", type=int, default=2000, help="number of customers")
    p.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    p.add_argument("--reset", action="store_true",
                   help="delete existing customers and records first")
    p.add_argument("--if-empty", action="store_true",
                   help="do nothing (exit 0) if the database already has customers")
    p.add_argument("--dataset", choices=DATASETS, default=DATASETS[0],
                   help="the case the demo data is about: " + "; ".join(
                       f"{name} = {t(f'cases.dataset.{name}', 'zh')} / "
                       f"{t(f'cases.dataset.{name}', 'en')}" for name in DATASETS)
                   + f" (default: {DATASETS[0]})")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser("recompute-tiers",
                       help="recompute tiers, lifecycle stages and value segments",
                       description=cmd_recompute_tiers.__doc__)
    p.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="compute as of this date (default: today in app.time_zone)")
    p.add_argument("--chunk-size", type=int, default=5000,
                   help="customers per transaction (default: 5000)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_recompute_tiers)

    p = sub.add_parser("refresh-churn", help="bring the churn risk snapshot up to date",
                       description=cmd_refresh_churn.__doc__)
    p.add_argument("--full", action="store_true", help="rebuild it whatever changed")
    p.set_defaults(func=cmd_refresh_churn)

    p = sub.add_parser("plan-visits", help="plan the periodic follow-up visits (回访) by tier",
                       description=cmd_plan_visits.__doc__)
    p.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="plan as of this date (default: today in app.time_zone)")
    p.add_argument("--ahead", type=int, default=14, metavar="DAYS",
                   help="plan visits falling due within this many days (default: 14)")
    p.set_defaults(func=cmd_plan_visits)

    p = sub.add_parser("import-customers", help="import customers from an .xlsx workbook",
                       description=cmd_import_customers.__doc__)
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--on-duplicate", choices=("skip", "update"), default="skip",
                   help="rows matching an existing customer: skip them (default) or "
                        "overwrite that customer with the file's non-blank cells")
    p.add_argument("--dry-run", action="store_true",
                   help="report what would happen; write nothing")
    p.add_argument("--json", action="store_true",
                   help="print exactly one JSON object (the summary) on stdout")
    p.set_defaults(func=cmd_import_customers)

    p = sub.add_parser("export-customers", help="export every customer to an .xlsx workbook",
                       description=cmd_export_customers.__doc__)
    p.add_argument("out", metavar="OUT.xlsx")
    p.add_argument("--marketing", action="store_true",
                   help="for marketing: only customers whose 营销 consent is current; "
                        "says how many were left out")
    p.set_defaults(func=cmd_export_customers)

    p = sub.add_parser("verify-audit",
                       help="check the audit log's hash chain; exit 1 naming the first "
                            "broken or missing link",
                       description=cmd_verify_audit.__doc__)
    p.set_defaults(func=cmd_verify_audit)

    p = sub.add_parser("erase-customer",
                       help="erase one customer's personal information, irreversibly",
                       description=cmd_erase_customer.__doc__)
    p.add_argument("customer_no", metavar="客户编号")
    p.add_argument("--reason", required=True, help="why (kept in the audit log)")
    p.set_defaults(func=cmd_erase_customer)

    p = sub.add_parser("export-person",
                       help="write everything held about one customer to an .xlsx (a copy "
                            "for the person)", description=cmd_export_person.__doc__)
    p.add_argument("customer_no", metavar="客户编号")
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_export_person)

    p = sub.add_parser("backup", help="back up the database (consistent while the app runs) "
                       "with a manifest; the keys in a separate file",
                       description=cmd_backup.__doc__)
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--keep", type=int, default=None, metavar="N",
                   help="then remove the oldest backups in OUT_DIR beyond the newest N")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database, checked "
                       "against its manifest, audit chain and key fingerprints",
                       description=cmd_restore.__doc__)
    p.add_argument("in_dir", metavar="IN_DIR")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("snapshot", help="save, restore or list named snapshots of the demo "
                       "database", description=cmd_snapshot.__doc__)
    p.add_argument("action", choices=("save", "restore", "list"))
    p.add_argument("name", nargs="?", metavar="NAME",
                   help="the snapshot (letters, digits, _ and -; at most 40)")
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("expire-classes", help="deactivate the trainees of expired or closed "
                       "training classes", description=cmd_expire_classes.__doc__)
    p.set_defaults(func=cmd_expire_classes)

    p = sub.add_parser("template", help="write an import template (.xlsx)",
                       description=cmd_template.__doc__)
    p.add_argument("out", metavar="OUT.xlsx")
    p.add_argument("--kind", default="customers",
                   choices=("customers", "orders", "complaints", "surveys", "follow_ups",
                            "renewals"),
                   help="what the template imports (default: customers)")
    p.set_defaults(func=cmd_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ConfigError as exc:  # before any command reads a setting or touches the database
        print(exc.message(), file=sys.stderr)
        return CONFIG_REFUSED
    logs.configure(file=settings.log_path, stderr=settings.log_stderr,
                   level=settings.log_level, slow_query_ms=settings.slow_query_ms)
    logs.begin_request()
    started = time.perf_counter()
    status: int | str | None = 1
    try:
        status = _run(args)
    except SystemExit as exc:
        status = exc.code
        raise
    except BaseException as exc:
        logs.error("command.error", exc, command=args.command)
        raise
    finally:  # one line per command: its name, duration and exit status, never an argument
        logs.event("command", level=logging.INFO if status in (0, None) else logging.WARNING,
                   command=args.command, status=status if isinstance(status, int) else 1,
                   duration_ms=(time.perf_counter() - started) * 1000)
    return status


def _run(args: argparse.Namespace) -> int:
    # init-db and seed-demo migrate first, then check; restore checks the keys against the
    # backup's fingerprints, not against the empty database it replaces.
    if args.func not in (cmd_init_db, cmd_seed_demo, cmd_restore):
        status = _check_keys()
        if status:
            return status
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
