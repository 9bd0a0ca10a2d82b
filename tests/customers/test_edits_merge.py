"""Issue 13 point 9: a save writes only the fields the user changed since opening the form,
merged onto the record as it is now; only the same field changed by both is a conflict, and
"overwrite" writes only the user's fields (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Customer
from services import customers as cr
from services.customers import merge as record_merge
from services.customers import tags, tiers


def new_customer(db: Session, clerk, **over: object) -> int:
    values: dict[str, object] = {"name": "张三", "mobile": "13812345678", "city": "广州",
                                 "title": "经理"}
    values.update(over)
    cid = cr.create_customer(db, clerk, values)
    db.commit()
    return cid


def updates(db: Session, cid: int) -> list[dict]:
    return [row.changes for row in db.scalars(select(AuditEntry).where(
        AuditEntry.action == "customer.update", AuditEntry.entity_id == str(cid))
        .order_by(AuditEntry.id))]


def test_tags_review_and_tier_set_after_opening_survive_the_save(db: Session, people) -> None:
    """The issue's sequence in services: the form is opened, tags are added on the page,
    the record is reviewed and given a manual tier, then the form is saved with a new 职位."""
    clerk = people["clerk"]
    cid = new_customer(db, clerk)
    form = cr.edit_form(db, clerk, cid)
    tags.add_tags(db, clerk, cid, "重点客户、快递敏感")
    cr.mark_reviewed(db, clerk, cid)
    tiers.set_manual_tier(db, clerk, cid, "钻石", "老板的朋友")
    db.commit()
    submitted = dict(form.values, title="采购总监", tier_reason=form.tier_reason)
    cr.update_customer(db, clerk, cid, submitted, form)
    db.commit()
    c = db.get(Customer, cid, populate_existing=True)
    assert c.title == "采购总监"
    assert sorted(t.name for t in c.tags) == ["快递敏感", "重点客户"]
    assert (c.tier, c.tier_source, c.tier_reason) == ("钻石", "manual", "老板的朋友")
    assert c.last_reviewed_at is not None
    assert updates(db, cid) == [{"title": ["经理", "采购总监"]}]


def test_masked_field_changed_by_another_is_not_put_back(db: Session, people) -> None:
    """Another user changes the mobile to a number with the same masked form: the clerk's form
    sends the masked value back untouched, which must keep the new number."""
    clerk, manager = people["clerk"], people["manager"]
    cid = new_customer(db, clerk)
    form = cr.edit_form(db, clerk, cid)
    other = cr.edit_form(db, manager, cid)
    cr.update_customer(db, manager, cid, dict(other.values, mobile="13899995678"), other)
    db.commit()
    assert form.values["mobile"] == cr.edit_form(db, clerk, cid).values["mobile"]
    cr.update_customer(db, clerk, cid, dict(form.values, notes="来电"), form)
    db.commit()
    c = db.get(Customer, cid, populate_existing=True)
    assert (c.mobile, c.notes) == ("13899995678", "来电")
    # Retyping the old number in full is a change of the same field: a conflict.
    with pytest.raises(cr.StaleRecord) as info:
        cr.update_customer(db, clerk, cid, dict(form.values, mobile="13812345678"), form)
    assert info.value.conflicts == ["mobile"]


def test_same_field_changed_by_both_is_a_conflict_and_writes_nothing(db: Session,
                                                                     people) -> None:
    clerk, manager = people["clerk"], people["manager"]
    cid = new_customer(db, clerk)
    mine = cr.edit_form(db, clerk, cid)
    theirs = cr.edit_form(db, manager, cid)
    cr.update_customer(db, manager, cid, dict(theirs.values, city="深圳", title="总监"), theirs)
    db.commit()
    submitted = dict(mine.values, city="杭州", notes="客户来电更正")
    with pytest.raises(cr.StaleRecord) as info:
        cr.update_customer(db, clerk, cid, submitted, mine)
    stale = info.value
    db.rollback()
    assert stale.conflicts == ["city"]
    assert [(c.username, c.field, c.before, c.after) for c in stale.changes] == [
        ("u_manager", "city", "广州", "深圳")]  # not the title: the clerk did not touch it
    assert stale.submitted == submitted
    c = db.get(Customer, cid, populate_existing=True)
    assert (c.city, c.title, c.notes) == ("深圳", "总监", None)
    # Both made the same change: no conflict.
    cr.update_customer(db, clerk, cid, dict(mine.values, city="深圳", notes="x"), mine)
    db.commit()
    c = db.get(Customer, cid, populate_existing=True)
    assert (c.city, c.notes) == ("深圳", "x")


def test_overwrite_writes_only_my_fields(db: Session, people) -> None:
    """After a real conflict, "overwrite" must not revert the other user's changes to fields
    this user never touched (title here), nor tags added meanwhile."""
    clerk, manager = people["clerk"], people["manager"]
    cid = new_customer(db, clerk)
    mine = cr.edit_form(db, clerk, cid)
    theirs = cr.edit_form(db, manager, cid)
    cr.update_customer(db, manager, cid, dict(theirs.values, city="深圳", title="总监"), theirs)
    tags.add_tags(db, manager, cid, "VIP")
    db.commit()
    submitted = dict(mine.values, city="杭州", notes="已核对")
    with pytest.raises(cr.StaleRecord):
        cr.update_customer(db, clerk, cid, submitted, mine)
    db.rollback()
    cr.update_customer(db, clerk, cid, submitted, mine, overwrite=True)
    db.commit()
    c = db.get(Customer, cid, populate_existing=True)
    assert (c.city, c.notes, c.title) == ("杭州", "已核对", "总监")
    assert [t.name for t in c.tags] == ["VIP"]
    assert updates(db, cid)[-1] == {"city": ["深圳", "杭州"], "notes": [None, "已核对"]}


def test_unchanged_form_writes_nothing_even_when_the_record_moved_on(db: Session,
                                                                     people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk)
    form = cr.edit_form(db, clerk, cid)
    tags.add_tags(db, clerk, cid, "VIP")
    db.commit()
    version = db.get(Customer, cid, populate_existing=True).version
    assert cr.update_customer(db, clerk, cid, dict(form.values), form) == version
    assert updates(db, cid) == []
    assert [t.name for t in db.get(Customer, cid).tags] == ["VIP"]


def test_race_lost_at_the_database_is_merged_again(engine, people, db: Session) -> None:
    """Both read the record; another session commits a change to another field just before
    the clerk's UPDATE. The clerk's save is merged onto it: both changes stay."""
    clerk = people["clerk"]
    cid = new_customer(db, clerk)
    two = Session(engine)
    form = cr.edit_form(two, clerk, cid)
    fired: list[bool] = []

    def sneak_in(_session: Session, *_: object) -> None:
        if fired:
            return
        fired.append(True)
        with Session(engine) as one:
            one.get(Customer, cid).address = "人民路1号"
            one.commit()

    event.listen(two, "before_flush", sneak_in)
    try:
        cr.update_customer(two, clerk, cid, dict(form.values, title="总监"), form)
        two.commit()
        assert fired
        with Session(engine) as check:
            c = check.get(Customer, cid)
            assert (c.title, c.address, c.version) == ("总监", "人民路1号", 3)
    finally:
        event.remove(two, "before_flush", sneak_in)
        two.close()


def test_merge_rules() -> None:
    opened = {"name": "张三", "tags": ["A", "B"], "notes": None, "customer_no": "C1"}
    submitted = {"name": " 张三 ", "tags": "b、a", "notes": "", "customer_no": ""}
    assert record_merge.changed_by_user(opened, submitted) == set()
    assert record_merge.changed_by_user(opened, dict(submitted, tags="a")) == {"tags"}
    assert record_merge.changed_by_user(opened, submitted, opened_reason="x") == set()
    assert record_merge.changed_by_user(opened, dict(submitted, tier_reason="y"),
                                        opened_reason="x") == {"tier"}
    assert record_merge.conflicts({"city", "notes"}, {"city", "title"},
                                  {"city": False, "notes": False}) == ["city"]
    assert record_merge.conflicts({"city"}, {"city"}, {"city": True}) == []


def test_tags_edited_in_the_form_merge_with_tags_added_since(db: Session, people) -> None:
    """Tags added on the page after the form was opened are kept when the user adds or
    removes other tags in the form: additions and removals apply to the current list."""
    clerk, manager = people["clerk"], people["manager"]
    cid = new_customer(db, clerk, tags="老客户、VIP")
    form = cr.edit_form(db, clerk, cid)
    tags.add_tags(db, manager, cid, "重点客户、快递敏感")
    db.commit()
    cr.update_customer(db, clerk, cid, dict(form.values, tags="老客户、新签"), form)
    db.commit()
    c = db.get(Customer, cid, populate_existing=True)
    assert sorted(t.name for t in c.tags) == ["快递敏感", "新签", "老客户", "重点客户"]
    assert updates(db, cid)[-1] == {"tags": [["VIP", "快递敏感", "老客户", "重点客户"],
                                             ["快递敏感", "新签", "老客户", "重点客户"]]}
    assert record_merge.merge_tags(["a"], "a、B", ["A", "c"]) == ["A", "c", "B"]
    assert record_merge.merge_tags(["a", "b"], "", ["a", "b", "c"]) == ["c"]
