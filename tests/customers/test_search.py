"""Customer search: every text kind, every filter, sorting, paging, deleted rows, and the gram
index kept right by ORM events, by the bulk indexer and by the migration's SQL backfill."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from core.clock import LOCAL_TZ, now
from core.vocab import Role
from db.migrate import downgrade, upgrade
from db.models import Customer, Tag, customer_search_grams
from services.access.roles import PermissionDenied
from services.customers import search_index
from services.customers.lookup import SORTABLE, CustomerQuery, search, search_ids
from services.customers.search_index import (
    check_search_index,
    customer_grams,
    index_customers,
    rebuild_search_index,
)
from tests.support.factories import actor_for, make_customer, make_user


@pytest.fixture
def admin(db):
    return actor_for(make_user(db, "admin1", Role.ADMIN))


@pytest.fixture
def clerk(db):
    return actor_for(make_user(db, "clerk1", Role.CLERK))


def _names(db, actor, **query: object) -> list[str]:
    rows, total = search(db, actor, CustomerQuery(**query), limit=1000)
    assert total == len(rows)
    return [r.name for r in rows]


def _grams(conn) -> set[tuple[str, int]]:
    return {(g, c) for g, c in conn.execute(
        select(customer_search_grams.c.gram, customer_search_grams.c.customer_id))}


@pytest.fixture
def named(db):
    """A few customers whose names and companies share and differ in characters."""
    made = {
        "王芳": make_customer(db, name="王芳", company="杭州华鑫科技有限公司",
                             mobile="13812345678", email="wang.fang@example.cn",
                             customer_no="C2026000101"),
        "王小明": make_customer(db, name="王小明", company=None, mobile="13900005678",
                               customer_no="C2026000102"),
        "李芳芳": make_customer(db, name="李芳芳", company="上海王氏贸易有限公司",
                               mobile="+85291234567", email="li@corp.example.com",
                               customer_no="C2026000103"),
        "张伟": make_customer(db, name="张伟", company="北京智能科技股份有限公司",
                             mobile="13700001111", customer_no="C2026000104"),
        "John Smith": make_customer(db, name="John Smith", company="ACME Trading",
                                    mobile=None, customer_no="C2026000105"),
    }
    db.commit()
    return made


# ---- text -----------------------------------------------------------------------------------

def test_one_char_matches_name_or_company(db, admin, named) -> None:
    assert set(_names(db, admin, text="王")) == {"王芳", "王小明", "李芳芳"}  # 李: 王氏贸易
    assert set(_names(db, admin, text="芳")) == {"王芳", "李芳芳"}
    assert set(_names(db, admin, text="鑫")) == {"王芳"}
    assert _names(db, admin, text="龘") == []


def test_two_chars_match_adjacent_characters_only(db, admin, named) -> None:
    assert set(_names(db, admin, text="王芳")) == {"王芳"}
    assert set(_names(db, admin, text="芳芳")) == {"李芳芳"}
    assert set(_names(db, admin, text="科技")) == {"王芳", "张伟"}
    assert _names(db, admin, text="芳王") == []


def test_three_or_more_chars_are_verified_not_just_bigrams(db, admin, named) -> None:
    assert _names(db, admin, text="王小明") == ["王小明"]
    assert _names(db, admin, text="华鑫科技") == ["王芳"]
    assert _names(db, admin, text="智能科技股份") == ["张伟"]
    assert set(_names(db, admin, text="有限公司")) == {"王芳", "李芳芳", "张伟"}
    # Every bigram present (芳芳, 芳李 absent) - and a phrase whose bigrams all exist but apart.
    assert _names(db, admin, text="李芳芳芳") == []
    make_customer(db, name="科技华鑫", company=None)
    assert _names(db, admin, text="华鑫科技") == ["王芳"]


def test_latin_text_is_case_insensitive_and_keeps_spaces(db, admin, named) -> None:
    assert _names(db, admin, text="john smith") == ["John Smith"]
    assert _names(db, admin, text="  JOHN   SMITH ") == ["John Smith"]
    assert _names(db, admin, text="acme") == ["John Smith"]
    assert _names(db, admin, text="sm") == ["John Smith"]
    assert _names(db, admin, text="john  x") == []


def test_like_wildcards_in_the_text_are_literal(db, admin, named) -> None:
    make_customer(db, name="100%纯净水", company="a_b")
    make_customer(db, name="1000纯净", company="axb")
    assert _names(db, admin, text="0%纯") == ["100%纯净水"]
    assert _names(db, admin, text="1%纯") == []
    assert _names(db, admin, text="a_b") == ["100%纯净水"]


def test_customer_no_exact_in_any_case(db, admin, named) -> None:
    assert _names(db, admin, text="C2026000103") == ["李芳芳"]
    assert _names(db, admin, text=" c2026000103 ") == ["李芳芳"]
    # issue 14: the beginning of a number finds the numbers it begins (C2026000101 … 105)
    assert len(_names(db, admin, text="C20260001")) == 5
    assert _names(db, admin, text="C20260002") == []


@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "138-1234-5678",
                                   "+86 138 1234 5678", "0086 13812345678", "(138)12345678",
                                   "１３８１２３４５６７８"])
def test_mobile_in_any_formatting(db, admin, named, typed: str) -> None:
    assert _names(db, admin, text=typed) == ["王芳"]


def test_foreign_mobile_in_e164(db, admin, named) -> None:
    assert _names(db, admin, text="+852 9123 4567") == ["李芳芳"]


def test_mobile_last_four_digits(db, admin, named) -> None:
    assert set(_names(db, admin, text="5678")) == {"王芳", "王小明"}
    assert _names(db, admin, text="4567") == ["李芳芳"]
    assert _names(db, admin, text="1111") == ["张伟"]
    assert _names(db, admin, text="9999") == []


def test_email_exact_in_any_case(db, admin, named) -> None:
    assert _names(db, admin, text="Wang.Fang@Example.CN") == ["王芳"]
    assert _names(db, admin, text="li@corp.example.com") == ["李芳芳"]
    assert _names(db, admin, text="wang.fang@example") == []


def test_empty_text_lists_everyone(db, admin, named) -> None:
    assert len(_names(db, admin, text="   ")) == len(named)


# ---- filters --------------------------------------------------------------------------------

@pytest.fixture
def varied(db):
    """Customers differing in every filterable field."""
    am1 = make_user(db, "am1", Role.CLERK)
    am2 = make_user(db, "am2", Role.CLERK)
    vip, key, price = (Tag(name=n, created_at=now()) for n in ("VIP", "重点客户", "价格敏感"))
    db.add_all([vip, key, price])
    db.flush()
    specs = [
        dict(name="甲", customer_type="个人", industry="科技", province="广东省", city="深圳市",
             tier="黄金", lifecycle="稳定", account_manager_id=am1.id, tags=[vip, key]),
        dict(name="乙", customer_type="企业", industry="制造", province="广东省", city="广州市",
             tier="白银", lifecycle="潜在", account_manager_id=am2.id, tags=[vip]),
        dict(name="丙", customer_type="机构", industry="教育", province="浙江省", city="杭州市",
             tier="黄金", lifecycle="流失", account_manager_id=am1.id, tags=[key]),
        dict(name="丁", customer_type="个人", industry="科技", province="浙江省", city="宁波市",
             tier="钻石", lifecycle="新客户", account_manager_id=None, tags=[price]),
    ]
    made = [make_customer(db, **s) for s in specs]
    db.commit()
    return {"am1": am1, "am2": am2, "customers": made}


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("customer_type", "个人", {"甲", "丁"}),
    ("industry", "科技", {"甲", "丁"}),
    ("province", "广东省", {"甲", "乙"}),
    ("city", "杭州市", {"丙"}),
    ("tier", "黄金", {"甲", "丙"}),
    ("lifecycle", "流失", {"丙"}),
])
def test_each_filter(db, admin, varied, field: str, value: str, expected: set[str]) -> None:
    assert set(_names(db, admin, **{field: value})) == expected


def test_filters_combine_with_each_other_and_with_text(db, admin, varied) -> None:
    assert _names(db, admin, province="广东省", tier="黄金") == ["甲"]
    assert _names(db, admin, province="浙江省", city="宁波市") == ["丁"]
    assert _names(db, admin, text="甲", province="浙江省") == []
    assert _names(db, admin, text="丙", tier="黄金") == ["丙"]


def test_account_manager_filter(db, admin, varied) -> None:
    assert set(_names(db, admin, account_manager_id=varied["am1"].id)) == {"甲", "丙"}
    assert _names(db, admin, account_manager_id=varied["am2"].id) == ["乙"]


def test_tags_any_and_all(db, admin, varied) -> None:
    assert set(_names(db, admin, tags=("VIP",))) == {"甲", "乙"}
    assert set(_names(db, admin, tags=("VIP", "重点客户"))) == {"甲", "乙", "丙"}
    assert _names(db, admin, tags=("VIP", "重点客户"), tags_mode="all") == ["甲"]
    assert _names(db, admin, tags=("VIP", "价格敏感"), tags_mode="all") == []
    assert _names(db, admin, tags=("没有这个标签",)) == []
    assert _names(db, admin, tags=("VIP", "没有这个标签"), tags_mode="all") == []
    assert set(_names(db, admin, tags=("VIP",), text="甲")) == {"甲"}
    assert _names(db, admin, tags=("VIP",), tier="黄金") == ["甲"]
    assert _names(db, admin, tags=("VIP", "重点客户"), customer_type="机构") == ["丙"]
    assert _names(db, admin, tags=("VIP", "重点客户"), tags_mode="all", tier="白银") == []
    rows, total = search(db, admin, CustomerQuery(tags=("VIP", "重点客户")), offset=1, limit=1)
    assert ([r.name for r in rows], total) == (["乙"], 3)


def test_created_range_uses_china_days(db, admin) -> None:
    # 2026-03-01 00:30 in Shanghai is still 2026-02-28 in UTC.
    early = datetime(2026, 3, 1, 0, 30, tzinfo=LOCAL_TZ)
    make_customer(db, name="三月一日", created_at=early)
    make_customer(db, name="二月底", created_at=early - timedelta(hours=1))
    make_customer(db, name="三月底", created_at=datetime(2026, 3, 31, 23, 59, tzinfo=LOCAL_TZ))
    make_customer(db, name="四月", created_at=datetime(2026, 4, 1, 0, 0, tzinfo=LOCAL_TZ))
    db.commit()
    march = dict(created_from=date(2026, 3, 1), created_to=date(2026, 3, 31))
    assert set(_names(db, admin, **march)) == {"三月一日", "三月底"}
    assert set(_names(db, admin, created_from=date(2026, 4, 1))) == {"四月"}
    assert set(_names(db, admin, created_to=date(2026, 2, 28))) == {"二月底"}


def test_review_overdue_uses_last_review_or_creation(db, admin, settings) -> None:
    interval = timedelta(days=settings.review_interval_days)
    old = now() - interval - timedelta(days=1)
    recent = now() - interval + timedelta(days=1)
    make_customer(db, name="从未核查旧", created_at=old, last_reviewed_at=None)
    make_customer(db, name="从未核查新", created_at=recent, last_reviewed_at=None)
    make_customer(db, name="核查过期", created_at=old, last_reviewed_at=old)
    make_customer(db, name="核查未过期", created_at=old, last_reviewed_at=recent)
    db.commit()
    assert set(_names(db, admin, review_overdue=True)) == {"从未核查旧", "核查过期"}


# ---- sort, paging, deleted ------------------------------------------------------------------

@pytest.mark.parametrize("sort", list(SORTABLE))
def test_sort_by_each_column_both_ways(db, admin, varied, sort: str) -> None:
    rows, _ = search(db, admin, CustomerQuery(sort=sort, descending=False))
    managers = {varied["am1"].id: "am1", varied["am2"].id: "am2"}
    by_name = {c.name: c for c in varied["customers"]}

    def key(row) -> tuple:
        c = by_name[row.name]
        value = {"account_manager": managers.get(c.account_manager_id),
                 "created_at": c.id}.get(sort, getattr(c, sort, None))
        # NULLs sort first ascending on SQLite, last on PostgreSQL: compare non-null order.
        return (value is None, value, c.id)

    present = [r for r in rows if key(r)[1] is not None]
    assert present == sorted(present, key=key)
    rows_desc, _ = search(db, admin, CustomerQuery(sort=sort, descending=True))
    present_desc = [r for r in rows_desc if key(r)[1] is not None]
    assert present_desc == list(reversed(present))


def test_default_order_is_newest_first(db, admin, varied) -> None:
    assert _names(db, admin) == ["丁", "丙", "乙", "甲"]


def test_paging_and_total(db, admin) -> None:
    for n in range(23):
        make_customer(db, name=f"翻页{n:02d}")
    db.commit()
    seen = []
    for page in range(3):
        rows, total = search(db, admin, CustomerQuery(text="翻页", sort="name",
                                                      descending=False),
                             offset=page * 10, limit=10)
        assert total == 23
        seen += [r.name for r in rows]
    assert seen == [f"翻页{n:02d}" for n in range(23)]
    rows, total = search(db, admin, CustomerQuery(text="翻页"), offset=100, limit=10)
    assert (rows, total) == ([], 23)


def test_deleted_customers_are_excluded_and_listed_for_restore(db, admin, clerk,
                                                              named) -> None:
    named["王芳"].deleted_at = now()
    named["张伟"].deleted_at = now()
    db.commit()
    assert set(_names(db, admin, text="王")) == {"王小明", "李芳芳"}
    assert set(_names(db, admin, text="科技")) == set()
    assert _names(db, admin, text="13812345678") == []
    assert len(_names(db, admin)) == 3
    assert set(_names(db, admin, deleted="only")) == {"王芳", "张伟"}
    assert _names(db, admin, deleted="only", text="王") == ["王芳"]
    assert _names(db, admin, deleted="only", text="华鑫科技") == ["王芳"]
    with pytest.raises(PermissionDenied):
        search(db, clerk, CustomerQuery(deleted="only"))
    named["王芳"].deleted_at = None
    db.commit()
    assert set(_names(db, admin, text="科技")) == {"王芳"}


def test_rows_are_masked(db, clerk, named) -> None:
    rows, _ = search(db, clerk, CustomerQuery(text="王芳"))
    assert rows[0].mobile == "138****5678"
    assert rows[0].email == "w***@example.cn"
    assert rows[0].company == "杭州华鑫科技有限公司"


def test_search_ids_lists_every_match_in_order(db, admin, named) -> None:
    ids = search_ids(db, admin, CustomerQuery(text="王"), limit=10)
    assert ids == sorted((named[n].id for n in ("王芳", "王小明", "李芳芳")), reverse=True)
    assert search_ids(db, admin, CustomerQuery(text="王"), limit=2) == ids[:2]


# ---- the index ------------------------------------------------------------------------------

def test_orm_insert_and_update_keep_the_index_right(db, admin) -> None:
    c = make_customer(db, name="赵云", company="常山科技", mobile="13812340001")
    db.commit()
    assert c.mobile_last4 == "0001"
    assert _names(db, admin, text="常山") == ["赵云"]
    c.name = "赵子龙"
    c.company = None
    c.mobile = "13812349999"
    db.commit()
    assert _names(db, admin, text="赵子龙") == ["赵子龙"]
    assert _names(db, admin, text="常山") == []
    assert _names(db, admin, text="云") == []
    assert _names(db, admin, text="0001") == []
    assert _names(db, admin, text="9999") == ["赵子龙"]
    assert check_search_index(db.connection()) == (0, 0)


def test_changes_made_while_expired_and_deletes_leave_no_stale_grams(db, admin,
                                                                      engine) -> None:
    c = make_customer(db, name="孙权", company="东吴集团")
    db.commit()
    db.expire_all()  # the next assignment has no old value in its history
    c.name = "孙仲谋"
    db.commit()
    assert _names(db, admin, text="权") == []
    other = make_customer(db, name="周瑜")
    db.commit()
    db.delete(other)
    db.commit()
    assert _names(db, admin, text="周瑜") == []
    assert check_search_index(db.connection()) == (0, 0)
    assert {cid for _, cid in _grams(db.connection())} == {c.id}


def test_unchanged_or_other_field_updates_do_not_touch_grams(db) -> None:
    c = make_customer(db, name="刘备", company="蜀汉")
    db.commit()
    before = _grams(db.connection())
    c.tier = "黄金"
    c.name = "刘备"
    db.commit()
    assert _grams(db.connection()) == before
    assert before == {(g, c.id) for g in customer_grams("刘备", "蜀汉")}


def _core_rows(start: int) -> list[dict[str, object]]:
    stamp = now()
    names = [("诸葛亮", "卧龙 Consulting 有限公司", "13855550001"),
             ("Mary O'Neil", None, "+85291230002"), ("黄月英", "黄氏 机械", None),
             ("AAA  bb", "x\ty\\z", "13855550004")]
    return [dict(id=start + k, customer_no=f"CB{start + k:08d}", name=n, customer_type="个人",
                 company=co, mobile=m, tier="白银", tier_source="rule", lifecycle="潜在",
                 value_segment="普通", created_at=stamp, updated_at=stamp, version=1)
            for k, (n, co, m) in enumerate(names)]


def test_bulk_index_equals_orm_index(db, engine) -> None:
    orm = [make_customer(db, name=r["name"], company=r["company"], mobile=r["mobile"])
           for r in _core_rows(0)]
    db.commit()
    orm_grams = {(g, orm[k].id) for k in range(len(orm))
                 for g, cid in _grams(db.connection()) if cid == orm[k].id}
    rows = _core_rows(100_000)
    with engine.begin() as conn:
        conn.execute(insert(Customer.__table__), rows)
        written = index_customers(conn, rows)
    assert written == len(orm_grams)
    with engine.connect() as conn:
        stored = _grams(conn)
        assert check_search_index(conn) == (0, 0)
        last4 = dict(conn.execute(select(Customer.id, Customer.mobile_last4)).all())
    bulk = {(g, cid - 100_000) for g, cid in stored if cid >= 100_000}
    assert bulk == {(g, k) for k in range(len(orm)) for g, cid in orm_grams
                    if cid == orm[k].id}
    assert [last4[100_000 + k] for k in range(4)] == [o.mobile_last4 for o in orm]


def test_bulk_index_with_tuples_and_reindex(db, engine) -> None:
    rows = _core_rows(200_000)
    columns = ("id", "name", "company", "mobile", "mobile_last4")
    tuples = [(r["id"], r["name"], r["company"], r["mobile"],
               search_index.mobile_last4(r["mobile"])) for r in rows]
    with engine.begin() as conn:
        conn.execute(insert(Customer.__table__),
                     [dict(r, mobile_last4=t[4]) for r, t in zip(rows, tuples, strict=True)])
        index_customers(conn, tuples, columns=columns)
        conn.execute(Customer.__table__.update().where(Customer.id == 200_000)
                     .values(name="新名字", company=None))
        index_customers(conn, [(200_000, "新名字", None, None, None)], columns=columns,
                        new=False)
    with engine.connect() as conn:
        assert check_search_index(conn) == (0, 0)


def test_bulk_grams_keep_tabs_backslashes_and_line_breaks(db, engine, monkeypatch) -> None:
    """PostgreSQL writes the grams as COPY text, several pieces per batch: escaping and the
    pieces' boundaries must not change a gram (SQLite binds them, the same rows result)."""
    monkeypatch.setattr(search_index, "_WRITE_CHUNK", 3)
    names = ["a\tb\\c", "x\ny\rz", "\\\\N", "普通"]
    rows = [dict(r, name=n) for r, n in zip(_core_rows(300_000), names, strict=True)]
    with engine.begin() as conn:
        conn.execute(insert(Customer.__table__), rows)
        written = index_customers(conn, rows)
    with engine.connect() as conn:
        assert check_search_index(conn) == (0, 0)
        stored = _grams(conn)
    assert written == len(stored)
    assert {g for g, cid in stored if cid == 300_000} >= {"\t", "\\", "a\t", "b\\", "\\c"}
    assert {g for g, cid in stored if cid == 300_002} >= {"\\\\", "\\"}


def test_rebuild_repairs_anything(db, engine, admin) -> None:
    c = make_customer(db, name="貂蝉", mobile="13800009876")
    db.commit()
    with engine.begin() as conn:  # behind the ORM's back: the index goes stale
        conn.execute(Customer.__table__.update().where(Customer.id == c.id)
                     .values(name="吕布", mobile="13800001234", mobile_last4=None))
        conn.execute(customer_search_grams.insert().values(gram="x", customer_id=999_999))
    with engine.connect() as conn:
        assert check_search_index(conn) != (0, 0)
    rebuild_search_index(engine)
    with engine.connect() as conn:
        assert check_search_index(conn) == (0, 0)
    db.expire_all()
    assert _names(db, admin, text="吕布") == ["吕布"]
    assert _names(db, admin, text="1234") == ["吕布"]


def test_migration_backfill_matches_python_grams(engine) -> None:
    downgrade(engine, "0001")
    # Rows without mobile_last4 (the 0001 schema has no such column).
    with engine.begin() as conn:
        conn.execute(insert(Customer.__table__), _core_rows(1))
    upgrade(engine)
    with engine.connect() as conn:
        assert check_search_index(conn) == (0, 0)
        last4 = conn.execute(select(Customer.mobile, Customer.mobile_last4)).all()
    assert len(last4) == 4
    assert all(search_index.mobile_last4(m) == l4 for m, l4 in last4)


def test_query_dataclass_is_frozen_and_replaceable() -> None:
    q = CustomerQuery(text="王")
    assert replace(q, tier="黄金").text == "王"
    with pytest.raises(AttributeError):
        q.text = "x"  # type: ignore[misc]


def test_a_whole_key_finds_that_customer_only_and_select_all_agrees(db, admin,
                                                                    named) -> None:
    make_customer(db, name="客户C2026000101号", company=None)  # the key inside a name
    db.commit()
    q = CustomerQuery(text="c2026000101")
    rows, total = search(db, admin, q)
    assert ([r.name for r in rows], total) == (["王芳"], 1)
    assert search_ids(db, admin, q) == [named["王芳"].id]
    named["王芳"].deleted_at = now()
    db.commit()
    # No live customer has that key: it is searched as a fragment instead.
    assert _names(db, admin, text="c2026000101") == ["客户C2026000101号"]


def test_rows_carry_manager_and_tags(db, admin, varied) -> None:
    rows, _ = search(db, admin, CustomerQuery(text="甲"))
    assert rows[0].account_manager == "am1"
    assert rows[0].tags == sorted(["VIP", "重点客户"])
    assert rows[0].created_at.tzinfo is not None
    rows, _ = search(db, admin, CustomerQuery(text="丁"))
    assert (rows[0].account_manager, rows[0].tags) == (None, ["价格敏感"])
    rows, _ = search(db, admin, CustomerQuery(customer_type="企业"))
    assert [(r.name, r.tags) for r in rows] == [("乙", ["VIP"])]
