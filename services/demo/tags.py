"""Tags of a demo customer: those that follow from its record (VIP for top tiers ...) and a few
interests, named and weighted by the profile (``DemoProfile.tag_rules``)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from core import clock
from core.vocab import Lifecycle, Tier
from db.models import Tag
from services.demo.context import Context, Rnd, Rows


class TagFacts:
    """What the tag rules look at, gathered while the customer's records were made."""

    __slots__ = ("complaints", "lifecycle", "overdue", "person", "renewed", "segment", "source",
                 "tier")

    def __init__(self, *, person: bool, tier: Tier, segment: str, lifecycle: Lifecycle,
                 source: str, complaints: int, overdue: bool, renewed: bool) -> None:
        self.person, self.tier, self.segment, self.lifecycle = person, tier, segment, lifecycle
        self.source, self.complaints, self.overdue, self.renewed = (source, complaints, overdue,
                                                                    renewed)


def customer_tags(ctx: Context, rnd: Rnd, out: Rows, cid: int, facts: TagFacts) -> None:
    """The customer's tag rows, in the order the rules are listed."""
    rules = ctx.profile.tag_rules
    fired = (facts.tier in (Tier.DIAMOND, Tier.PLATINUM), facts.segment == "高价值",
             facts.segment == "潜在", facts.source == "转介绍", facts.source == "在线",
             facts.overdue, bool(facts.complaints), facts.renewed,
             facts.lifecycle == Lifecycle.CHURNED)
    names = []
    for rule, fires in zip(RULE_ORDER, fired, strict=True):
        if fires and rule in rules and rnd() < rules[rule][1]:
            names.append(rules[rule][0])
    if facts.person:
        r = rnd()
        for name, below in ctx.profile.person_interests:
            if r < below:
                names.append(name)
                break
    else:
        for name, share in ctx.profile.org_tags:
            if rnd() < share:
                names.append(name)
    if "any" in rules and rnd() < rules["any"][1]:
        names.append(rules["any"][0])
    if grades := ctx.profile.grade_tags:  # exactly one for everyone (no draw without them)
        r = rnd()
        names.append(next(name for name, below in grades if r < below))
    rows = out["customer_tags"]
    tag_ids = ctx.tag_ids
    for name in names:
        rows.append((cid, tag_ids[name]))


RULE_ORDER = ("top_tier", "high_value", "potential", "referral", "online", "overdue",
              "complained", "renewed", "churned")
"""The rules that look at the record, in the order they are tried (``any`` comes last)."""


def ensure_tags(conn: Connection, names: tuple[str, ...]) -> dict[str, int]:
    """The profile's tags, created if absent. Returns their ids by name."""
    existing = dict(conn.execute(select(Tag.name, Tag.id)).all())
    missing = [{"name": n, "created_at": clock.now()} for n in names if n not in existing]
    if missing:
        conn.execute(insert(Tag), missing)
        existing = dict(conn.execute(select(Tag.name, Tag.id)).all())
    return {n: existing[n] for n in names}
