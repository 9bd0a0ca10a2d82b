#!/usr/bin/env python3
"""What the hidden-key limits (``services.access.probes``) cost an attacker, and a clerk.

    python bench/probe_attack.py [--backend sqlite|postgresql] [--pg-url URL] [--runs 3]

On a fresh database with one customer whose 手机号 and 证件号码 are hidden from the attacker:

1. The two attacks of issue 13 run at machine speed until the app refuses them: a trainer
   previews files of 手机号 candidates (``131`` + ``0000``..``9999`` + ``4767``, update mode),
   a clerk files of 证件号码 candidates (68,735 valid IDs). The candidates accepted before the
   first refusal are what one hour allows; the whole attack then needs
   ``candidates / accepted`` hours. Every step is audited: previews and refusals are counted
   in the audit log.
2. A clerk imports 1,000 new customers (mobile and 证件号码 each, no matches), preview and
   commit, with the limits (the clerk's 证件号码 are counted) and without them (the counting
   switched off), medians of ``--runs`` runs on fresh tables.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.harness import backend_options, migrated_database, throwaway_keys, timed  # noqa: E402
from core.clock import now  # noqa: E402
from core.fields import FIELD_KEYS, HEADERS  # noqa: E402
from core.settings import get_settings  # noqa: E402
from core.vocab import Role  # noqa: E402
from db.models import AuditEntry, HiddenKeyProbe, User  # noqa: E402
from services import customers as cr  # noqa: E402
from services.access import probes  # noqa: E402
from services.access.passwords import hash_password  # noqa: E402
from services.access.roles import Actor  # noqa: E402
from services.customers.idcodes import resident_check_char  # noqa: E402
from services.excel import ExcelRefused, commit_import, preview_import  # noqa: E402
from services.excel.writer import table_xlsx  # noqa: E402

throwaway_keys()

HIDDEN_MOBILE = "13100424767"
MOBILE_CANDIDATES = 10_000
FILE_ROWS = 500


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def id_candidates() -> Iterator[str]:
    """68,735 valid resident IDs (the issue's count of generated candidates): consecutive
    birth dates from 1985-01-01, every sequence number, the right check character."""
    from datetime import date, timedelta

    n = 0
    day = date(1985, 1, 1)
    while n < 68_735:
        for seq in range(1000):
            first17 = f"310104{day:%Y%m%d}{seq:03d}"
            yield first17 + resident_check_char(first17)
            n += 1
            if n == 68_735:
                return
        day += timedelta(days=1)


def row(**values: Any) -> list[Any]:
    return [values.get(k) for k in FIELD_KEYS]


def workbook(rows: list[list[Any]]) -> bytes:
    return table_xlsx(list(HEADERS), rows, sheet="客户")


def make_user(session: Session, name: str, role: Role) -> Actor:
    stamp = now()
    user = User(username=name, display_name=name, role=role.value,
                password_hash=hash_password("bench-pass-123"), active=True,
                created_at=stamp, updated_at=stamp)
    session.add(user)
    session.flush()
    return Actor(user.id, name, role, demo_mode=True)


def attack(session: Session, actor: Actor, candidates: list[str], key: str,
           total: int) -> dict[str, Any]:
    """Preview files of ``FILE_ROWS`` candidates until refused; what one hour allowed."""
    accepted = previews = held = 0
    refusal = "never refused"
    with timed() as watch:
        for start in range(0, len(candidates), FILE_ROWS):
            part = candidates[start:start + FILE_ROWS]
            rows = [row(customer_no=f"X{start + i:06d}", name=f"候选{start + i}",
                        **({key: v} if key == "mobile" else
                           {key: v, "mobile": f"139{start + i:08d}"}))
                    for i, v in enumerate(part)]
            try:
                preview = preview_import(session, actor, workbook(rows), f"probe-{start}.xlsx",
                                         on_duplicate="update")
            except ExcelRefused as exc:
                refusal = exc.message("en")
                break
            previews += 1
            accepted += len(part)
            held += preview.summary.held
    seconds = watch.ms / 1000
    audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.username == actor.username,
        AuditEntry.action.in_(["import.preview", probes.FLAGGED_ACTION]))) or 0
    return {"accepted_per_hour": accepted, "previews": previews, "held": held,
            "hours_needed": total / accepted if accepted else float("inf"),
            "machine_seconds": seconds, "audited": audited, "refusal": refusal}


def clerk_file(ids: list[str], run: int) -> bytes:
    """1,000 new customers, none matching anything stored (a slice of IDs of its own)."""
    return workbook([row(name=f"新客户{run}-{i}", mobile=f"135{run:02d}{i:06d}",
                         id_number=ids[run * 1000 + i]) for i in range(1000)])


def clerk_import(session: Session, clerk: Actor, data: bytes, counted: bool) -> float:
    """Seconds for a preview and its commit of ``data``."""
    original = probes.hidden_keys
    if not counted:
        probes.hidden_keys = lambda actor: frozenset()  # type: ignore[assignment]
    try:
        with timed() as watch:
            preview = preview_import(session, clerk, data, "new-customers.xlsx")
            result = commit_import(session, clerk, preview)
            session.commit()
        seconds = watch.ms / 1000
    finally:
        probes.hidden_keys = original  # type: ignore[assignment]
    if result.summary.inserted != 1000 or result.summary.held:
        raise SystemExit(f"clerk import: {result.summary}")
    # a new hour for the next run (this is about speed; the allowance is the attack rows' part)
    session.execute(delete(HiddenKeyProbe).where(HiddenKeyProbe.user_id == clerk.user_id))
    session.commit()
    return seconds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    backend_options(p)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    with migrated_database(args.backend, args.pg_url) as engine:
        settings = get_settings()
        ids = list(id_candidates())
        with Session(engine, expire_on_commit=False) as session:
            admin = make_user(session, "admin", Role.ADMIN)
            trainer = make_user(session, "trainer", Role.TRAINER)
            clerk = make_user(session, "clerk", Role.CLERK)
            clerk2 = make_user(session, "clerk2", Role.CLERK)
            session.commit()
            cr.create_customer(session, admin, {"name": "谢玉华", "customer_type": "个人",
                                                "mobile": HIDDEN_MOBILE,
                                                "id_number": ids[60_000]})
            session.commit()
            log("mobile attack (trainer) ...")
            mobiles = [f"131{k:04d}4767" for k in range(MOBILE_CANDIDATES)]
            mobile = attack(session, trainer, mobiles, "mobile", MOBILE_CANDIDATES)
            log("证件号码 attack (clerk) ...")
            id_attack = attack(session, clerk, ids, "id_number", len(ids))
            log("clerk imports 1,000 new customers ...")
            timings: dict[bool, list[float]] = {True: [], False: []}
            clerk_import(session, clerk2, clerk_file(ids, 0), True)  # warm-up
            for n in range(args.runs):
                for k, counted in enumerate((False, True)):
                    data = clerk_file(ids, 1 + 2 * n + k)
                    timings[counted].append(clerk_import(session, clerk2, data, counted))
    print(f"backend {args.backend}; limits: {settings.hidden_match_limit_per_hour} matches, "
          f"{settings.hidden_contact_values_per_hour:,} mobiles/emails, "
          f"{settings.hidden_id_values_per_hour:,} ID numbers per user and hour")
    for name, r in (("mobile attack, 10,000 candidates (trainer)", mobile),
                    (f"ID attack, {len(ids):,} candidates (clerk)", id_attack)):
        print(f"{name}: {r['accepted_per_hour']:,} candidates in the first hour "
              f"({r['previews']} previews, {r['held']} rows held, "
              f"{r['machine_seconds']:.1f} s of machine time), then refused; "
              f"{r['audited']} audit entries (previews + refusal)")
        print(f"  -> the whole attack needs {r['hours_needed']:.1f} h "
              f"({'more' if r['hours_needed'] > 8 else 'LESS'} than 8 h); "
              f"refusal: {r['refusal']}")
    without, with_ = statistics.median(timings[False]), statistics.median(timings[True])
    print(f"clerk, 1,000 new customers (preview + commit), median of {args.runs}: "
          f"{without:.2f} s without the limits, {with_:.2f} s with them "
          f"({(with_ - without) * 1000:+.0f} ms); never refused")


if __name__ == "__main__":
    main()
