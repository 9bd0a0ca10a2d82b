"""Tags: one customer and bulk, get-or-create by name, rename and merge, usage counts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Customer, Tag, customer_tags
from services import customers as cr
from services.access.roles import PermissionDenied
from services.customers import tags


def new_customer(db: Session, actor, n: int, **extra: object) -> int:
    return cr.create_customer(db, actor, {"name": f"客户{n}", "mobile": f"1380000{n:04d}",
                                          **extra})


def tag_names(db: Session, cid: int) -> list[str]:
    return [t.name for t in db.get(Customer, cid, populate_existing=True).tags]


def audit_rows(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)
                           .order_by(AuditEntry.id)))


def test_add_and_remove_on_one_customer(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 1, tags="VIP")
    assert tags.add_tags(db, clerk, cid, "vip；重点、 新品意向 ") == ["VIP", "新品意向", "重点"]
    # "vip" found the existing "VIP": no second tag in another spelling.
    assert db.scalar(select(func.count()).select_from(Tag)) == 3
    assert tags.remove_tags(db, clerk, cid, ["重点", "不存在"]) == ["VIP", "新品意向"]
    assert tag_names(db, cid) == ["VIP", "新品意向"]
    assert db.get(Customer, cid).version == 3
    rows = audit_rows(db, "customer.tags")
    assert [r.changes["tags"] for r in rows] == [
        [["VIP"], ["VIP", "新品意向", "重点"]], [["VIP", "新品意向", "重点"], ["VIP", "新品意向"]]]
    assert [r.detail["version"] for r in rows] == [2, 3]


def test_tag_rules_come_from_validation(db: Session, people) -> None:
    cid = new_customer(db, people["clerk"], 1)
    with pytest.raises(tags.TagError) as info:
        tags.add_tags(db, people["clerk"], cid, "这是一个超过二十个字符的非常非常长的标签名称")
    assert info.value.key == "validation.tags.too_long"
    assert "标签" in info.value.message("zh") and "Tags" in info.value.message("en")
    with pytest.raises(tags.TagError) as info:
        tags.add_tags(db, people["clerk"], cid, " ，、 ")
    assert info.value.key == "tags.error.none_given"
    with pytest.raises(PermissionDenied):
        tags.add_tags(db, people["trainer"], cid, "VIP")


def test_bulk_tag_and_untag_write_one_audit_row(db: Session, people) -> None:
    clerk = people["clerk"]
    ids = [new_customer(db, clerk, n) for n in range(1, 6)]
    tags.add_tags(db, clerk, ids[0], "VIP")
    cr.delete_customer(db, people["admin"], ids[4])
    assert tags.bulk_tag(db, clerk, ids + [999_999], "VIP,重点") == 4
    assert tag_names(db, ids[0]) == ["VIP", "重点"]
    assert tag_names(db, ids[3]) == ["VIP", "重点"]
    assert tag_names(db, ids[4]) == []  # deleted: skipped
    (row,) = audit_rows(db, "customer.bulk_tag")
    assert row.entity_id is None
    assert row.detail == {"count": 4, "ids": ids[:4], "requested": 4}
    assert row.changes == {"tags": [None, ["VIP", "重点"]]}
    assert tags.bulk_tag(db, clerk, ids, "VIP") == 0  # nothing new
    assert db.get(Customer, ids[1]).version == 2
    assert tags.bulk_untag(db, clerk, ids[:2], "vip") == 2
    assert tag_names(db, ids[0]) == ["重点"] and tag_names(db, ids[2]) == ["VIP", "重点"]
    (row,) = audit_rows(db, "customer.bulk_untag")
    assert row.detail["ids"] == ids[:2]
    with pytest.raises(PermissionDenied):
        tags.bulk_tag(db, people["trainer"], ids, "VIP")


def test_bulk_tag_makes_open_edit_forms_stale(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 1)
    form = cr.edit_form(db, clerk, cid)
    tags.bulk_tag(db, people["manager"], [cid], "VIP")
    with pytest.raises(cr.StaleRecord) as info:
        cr.update_customer(db, clerk, cid, form.values, form.version)
    assert [(c.action, c.username) for c in info.value.changes] == [
        ("customer.bulk_tag", "u_manager")]
    assert tag_names(db, cid) == ["VIP"]


def test_list_tags_counts_live_customers(db: Session, people) -> None:
    clerk = people["clerk"]
    a = new_customer(db, clerk, 1, tags="VIP,重点")
    new_customer(db, clerk, 2, tags="VIP")
    c = new_customer(db, clerk, 3, tags="VIP")
    tags.get_or_create(db, ["未使用"])
    cr.delete_customer(db, people["admin"], c)
    usage = {u.name: u.count for u in tags.list_tags(db, people["trainer"])}
    assert usage == {"VIP": 2, "重点": 1, "未使用": 0}
    assert a


def test_rename_is_for_admins_and_refuses_an_existing_name(db: Session, people) -> None:
    cid = new_customer(db, people["clerk"], 1, tags="VIP,重点")
    vip = db.scalar(select(Tag).where(Tag.name == "VIP"))
    for role in ("manager", "clerk", "trainer"):
        with pytest.raises(PermissionDenied):
            tags.rename_tag(db, people[role], vip.id, "贵宾")
    with pytest.raises(tags.TagError) as info:
        tags.rename_tag(db, people["admin"], vip.id, "重点")
    assert info.value.key == "tags.error.exists" and info.value.params == {"name": "重点"}
    with pytest.raises(tags.TagError):
        tags.rename_tag(db, people["admin"], vip.id, "贵宾,大客户")
    tags.rename_tag(db, people["admin"], vip.id, "贵宾")
    assert tag_names(db, cid) == ["贵宾", "重点"]
    assert db.get(Customer, cid).version == 2  # an open form with the old name goes stale
    (row,) = audit_rows(db, "tag.rename")
    assert row.changes == {"name": ["VIP", "贵宾"]}


def test_merge_moves_customers_to_the_target_and_removes_the_sources(db: Session,
                                                                     people) -> None:
    clerk = people["clerk"]
    a = new_customer(db, clerk, 1, tags="VIP")
    b = new_customer(db, clerk, 2, tags="vip客户,贵宾")
    c = new_customer(db, clerk, 3, tags="贵宾")
    ids = {t.name: t.id for t in db.scalars(select(Tag))}
    with pytest.raises(PermissionDenied):
        tags.merge_tags(db, people["manager"], [ids["VIP"]], ids["贵宾"])
    with pytest.raises(tags.TagError):
        tags.merge_tags(db, people["admin"], [ids["贵宾"]], ids["贵宾"])
    touched = tags.merge_tags(db, people["admin"], [ids["VIP"], ids["vip客户"]], ids["贵宾"])
    assert touched == 2
    assert [tag_names(db, x) for x in (a, b, c)] == [["贵宾"], ["贵宾"], ["贵宾"]]
    assert sorted(db.scalars(select(Tag.name))) == ["贵宾"]
    assert db.scalar(select(func.count()).select_from(customer_tags)) == 3
    (row,) = audit_rows(db, "tag.merge")
    assert row.detail == {"sources": ["VIP", "vip客户"], "target": "贵宾", "customers": 2}
