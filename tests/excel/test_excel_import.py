"""Customer import: the spec's rules with the form's own messages, header matching, blank rows,
unknown columns, duplicates in the file and against the database, skip and update, dry runs,
the rejected-rows workbook, one transaction, numbering, tiers, tags, search index, roles."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Customer, ImportRun, Tag, TierChange
from services import customers as cr
from services.access.roles import PermissionDenied, cli_actor
from services.customers.lookup import CustomerQuery, search
from services.customers.search_index import check_search_index
from services.customers.validation import validate_customer
from services.excel import (
    ExcelRefused,
    Status,
    commit_import,
    preview_import,
    run_import,
    template_xlsx,
)
from services.excel import customers_import as ci
from services.excel.kinds import REASONS_HEADER
from tests.support.excel import (
    HEADER,
    credit_code,
    customer_row,
    read_xlsx,
    rid,
    snapshot,
    xlsx,
)
from tests.support.factories import actor_for, make_user

YEAR = date.today().year
ADMIN = cli_actor(True)


def run(db: Session, rows: list[list[Any]], **kw: Any):
    result = run_import(db, kw.pop("actor", ADMIN), xlsx(rows), kw.pop("name", "t.xlsx"), **kw)
    db.commit()
    return result


def customer(db: Session, **where: Any) -> Customer:
    db.expire_all()
    found = db.scalars(select(Customer).filter_by(**where)).all()
    assert len(found) == 1, found
    return found[0]


# ---- the template --------------------------------------------------------------------------------

def test_template_has_the_spec_headers_lists_an_example_and_instructions(db: Session) -> None:
    data = template_xlsx()
    sheets = read_xlsx(data)
    assert list(sheets)[:2] == ["客户", "填写说明"]
    assert sheets["客户"][0] == HEADER
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["客户"]
    lists = {next(iter(dv.sqref.ranges)).min_col for dv in ws.data_validations.dataValidation
             if dv.type == "list"}
    closed = {HEADER.index(h) + 1 for h in ("客户类型", "性别", "行业", "省份", "客户等级",
                                             "来源渠道", "服务授权", "营销授权")}
    assert lists == closed
    assert wb["选项"].sheet_state == "hidden"
    guide = "\n".join(str(c) for row in sheets["填写说明"] for c in row if c)
    assert "客户名称" in guide and "必填" in guide
    result = run_import(db, ADMIN, data, "template.xlsx")  # the example row is refused
    assert result.summary.counts() == {"inserted": 0, "updated": 0, "duplicates": 0,
                                       "rejected": 1, "blank": 0}
    assert [e.row for e in result.summary.errors] == [2] and not result.summary.warnings


# ---- every rule, same message as the form --------------------------------------------------------

BAD_VALUES = [
    ("customer_no", "C 1"), ("name", "  "), ("name", "名" * 101), ("customer_type", "公司"),
    ("gender", "X"), ("mobile", "010-62123456"), ("mobile", "138abc5678"), ("phone", "12"),
    ("email", "not-an-email"), ("id_number", rid(1)[:-1] + ("0" if rid(1)[-1] != "0" else "1")),
    ("id_number", "990105199001010011"), ("company", "公" * 201), ("title", "职" * 51),
    ("industry", "航天"), ("province", "火星"), ("city", "城" * 51), ("address", "址" * 201),
    ("tier", "青铜"), ("tags", "好" * 21), ("account_manager", "nobody"), ("source", "广告"),
    ("notes", "注" * 2001),
]


@pytest.mark.parametrize(("key", "value"), BAD_VALUES)
def test_each_rule_is_enforced_with_the_validation_modules_message(
        db: Session, key: str, value: str) -> None:
    raw = {"name": "张三", "mobile": "13812345678", key: value}
    result = run(db, [HEADER, customer_row(**raw)])
    assert (result.summary.rejected, result.summary.inserted) == (1, 0)
    expected = validate_customer(raw, cr.validation_context(db)).messages("zh")
    assert [e.message("zh") for e in result.summary.errors] == expected
    assert expected and all(e.row == 2 for e in result.summary.errors)
    headers = {e.column for e in result.summary.errors}
    assert headers <= set(HEADER)


def test_a_row_without_any_way_to_reach_the_customer_is_rejected(db: Session) -> None:
    result = run(db, [HEADER, customer_row(name="无联系")])
    (error,) = result.summary.errors
    assert error.column is None and error.row == 2
    assert error.message("zh") == validate_customer(
        {"name": "无联系"}, cr.validation_context(db)).messages("zh")[0]


# ---- headers, blank rows, numbers ---------------------------------------------------------------

def test_synonyms_english_keys_and_labels_are_matched(db: Session) -> None:
    header = ["姓名", "mobile", "E-mail", "身份证号", "公司", "职务", "所属行业", "省", "市",
              "地址", "等级", "客户标签", "sex", "座机", "编号", "类型", "来源", "说明（可选）"]
    row = ["李 四", "139-0000-0001", "LI@Example.CN", rid(7), "甲公司", "经理", "科技", "广东",
           "广州", "天河路", "gold", "VIP;重点", "F", "020-38765432", "VIP-1", "personal",
           "电话", "  原样  "]
    result = run(db, [header, row])
    assert result.summary.inserted == 1 and not result.summary.warnings
    c = customer(db, customer_no="VIP-1")
    assert (c.name, c.mobile, c.email, c.gender, c.province, c.tier, c.phone, c.notes) == (
        "李 四", "13900000001", "li@example.cn", "女", "广东省", "黄金", "+862038765432",
        "  原样  ")
    assert sorted(t.name for t in c.tags) == ["VIP", "重点"]


def test_the_caller_can_remap_or_ignore_any_column(db: Session) -> None:
    data = xlsx([["客户名称", "联络手机", "备注"], ["王五", "13900000002", "不要导入"]])
    preview = preview_import(db, ADMIN, data, "m.xlsx")
    assert preview.summary.rejected == 1  # no contact: 联络手机 is unknown
    assert "联络手机" in preview.warnings[0].message("zh")
    preview = preview_import(db, ADMIN, data, "m.xlsx",
                             column_map={"联络手机": "mobile", 2: None})
    assert [c.key for c in preview.columns] == ["name", "mobile", None]
    assert preview.summary.inserted == 1 and not preview.warnings
    commit_import(db, ADMIN, preview)
    db.commit()
    assert customer(db, name="王五").notes is None
    with pytest.raises(ExcelRefused):
        preview_import(db, ADMIN, data, "m.xlsx", column_map={1: "no_such_field"})


def test_unknown_columns_give_one_warning_naming_them(db: Session) -> None:
    rows = [["客户名称", "手机号", "微信", "QQ号", None, REASONS_HEADER],
            ["张三", "13812345678", "wx", "123", "无表头的数据", "上次的原因"]]
    result = run(db, rows)
    (warning,) = result.summary.warnings
    text = warning.message("zh")
    assert "微信" in text and "QQ号" in text and "第 E 列" in text
    assert REASONS_HEADER not in text
    assert result.summary.inserted == 1


def test_two_columns_for_one_field_use_the_first_and_say_so(db: Session) -> None:
    result = run(db, [["客户名称", "手机号", "手机"], ["张三", "13812345678", "13900000000"]])
    assert customer(db, name="张三").mobile == "13812345678"
    assert any("手机" in w.message("zh") for w in result.summary.warnings)


def test_blank_rows_are_skipped_counted_and_row_numbers_are_excels(db: Session) -> None:
    rows = [HEADER, customer_row(name="甲", mobile="13800000001"), [None] * 19,
            customer_row(notes="   "), customer_row(name="乙", email="bad"),
            customer_row(name="丙", mobile="13800000003")]
    result = run(db, rows)
    s = result.summary
    assert (s.inserted, s.blank, s.rejected) == (2, 2, 1)
    assert [e.row for e in s.errors] == [5]
    assert s.errors[0].column == "邮箱"


def test_numeric_cells_are_taken_as_their_digits(db: Session) -> None:
    result = run(db, [["客户名称", "手机号", "客户编号"], ["张三", 13812345678, 20260001]])
    assert result.summary.inserted == 1
    c = customer(db, name="张三")
    assert (c.mobile, c.customer_no) == ("13812345678", "20260001")
    # An 18-digit ID typed as a number has lost its digits: the form's message says so.
    result = run(db, [["客户名称", "手机号", "证件号码"], ["李四", "13900000001",
                                                        110105199001010000.0]])
    assert result.summary.errors[0].error.key == "validation.id_number.numeric_cell"


def test_a_file_without_the_name_column_is_refused(db: Session) -> None:
    with pytest.raises(ExcelRefused) as info:
        preview_import(db, ADMIN, xlsx([["手机号"], ["13812345678"]]), "x.xlsx")
    assert info.value.key == "excel.refused.no_name_column"
    with pytest.raises(ExcelRefused) as info:
        preview_import(db, ADMIN, xlsx([[None, None], ["张三", "13812345678"]]), "x.xlsx")
    assert info.value.key == "excel.refused.no_header"


# ---- duplicates ---------------------------------------------------------------------------------

def test_duplicates_within_the_file_are_caught_on_every_key(db: Session) -> None:
    rows = [HEADER,
            customer_row(name="甲", mobile="13800000001", email="a@x.cn", id_number=rid(1)),
            customer_row(name="乙", mobile="+86 138-0000-0001"),
            customer_row(name="丙", email="A@X.CN"),
            customer_row(name="丁", email="d@x.cn", id_number=rid(1).lower()),
            customer_row(name="戊", customer_no="K-1", email="e@x.cn"),
            customer_row(name="己", customer_no="k-1", email="f@x.cn")]
    result = run(db, rows)
    assert (result.summary.inserted, result.summary.duplicates) == (2, 4)
    dup = {o.row: o.issues[0].message("zh") for o in result.outcomes
           if o.status is Status.DUPLICATE}
    assert "第 2 行" in dup[3] and "手机号" in dup[3]
    assert "第 6 行" in dup[7] and "客户编号" in dup[7]


@pytest.mark.parametrize("key", ["customer_no", "mobile", "email", "id_number"])
def test_duplicates_against_the_database_on_every_key(db: Session, people, key: str) -> None:
    values = {"customer_no": "OLD-1", "mobile": "13800000001", "email": "old@x.cn",
              "id_number": rid(5)}
    existing = cr.create_customer(db, people["clerk"], {"name": "老客户", **values})
    db.commit()
    row = {"name": "新名字", "mobile": "13900000009", key: values[key]}
    if key == "mobile":
        row["email"] = "new@x.cn"
    result = run(db, [HEADER, customer_row(**row)])
    assert (result.summary.duplicates, result.summary.inserted) == (1, 0)
    (outcome,) = result.outcomes
    assert outcome.customer_id == existing and "老客户" in outcome.issues[0].message("zh")


def test_deleted_customers_are_ignored_but_their_numbers_stay_taken(db: Session, people) -> None:
    first = cr.create_customer(db, people["clerk"], {"name": "甲", "mobile": "13800000001"})
    number = db.get(Customer, first).customer_no
    cr.delete_customer(db, people["admin"], first)
    db.commit()
    result = run(db, [HEADER, customer_row(name="甲", mobile="13800000001"),
                      customer_row(name="乙", customer_no=number, mobile="13800000002")])
    assert (result.summary.inserted, result.summary.rejected) == (1, 1)
    (error,) = result.summary.errors
    assert error.error.key == "records.error.customer_no_deleted" and error.column == "客户编号"


# ---- skip and update ----------------------------------------------------------------------------

@pytest.fixture
def existing(db: Session, people) -> Customer:
    cid = cr.create_customer(db, people["clerk"], {
        "name": "张三", "mobile": "13800000001", "email": "z@x.cn", "city": "北京",
        "tags": "老客户", "company": "甲公司"})
    db.commit()
    return db.get(Customer, cid)


def test_skip_leaves_the_existing_customer_alone(db: Session, existing: Customer) -> None:
    before = snapshot(db)["customers"]
    result = run(db, [HEADER, customer_row(customer_no=existing.customer_no, name="张三",
                                           city="上海")])
    assert result.summary.duplicates == 1
    assert snapshot(db)["customers"] == before


def test_update_overwrites_with_non_blank_cells_bumps_the_version_and_audits(
        db: Session, existing: Customer, people) -> None:
    clerk = people["clerk"]
    version = existing.version
    row = customer_row(customer_no=existing.customer_no, name="张三", city="上海",
                       tier="钻石", company="乙公司")
    result = run(db, [HEADER, row], on_duplicate="update", actor=clerk)
    assert result.summary.updated == 1
    c = customer(db, id=existing.id)
    assert (c.city, c.company, c.email, c.mobile) == ("上海", "乙公司", "z@x.cn", "13800000001")
    assert [t.name for t in c.tags] == ["老客户"]  # blank cell: kept
    assert (c.tier, c.tier_source, c.tier_set_by_id) == ("钻石", "manual", clerk.user_id)
    assert c.version == version + 1 and c.updated_by_id == clerk.user_id
    change = db.scalars(select(TierChange).where(TierChange.customer_id == c.id,
                                                 TierChange.to_tier == "钻石")).one()
    assert change.user_id == clerk.user_id and change.source == "manual"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action ==
                                                "customer.import_update")).one()
    assert entry.entity_id == str(c.id) and entry.changes["city"] == ["北京", "上海"]
    history = cr.change_history(db, clerk, c.id)
    assert any(e.field == "city" for e in history.entries)
    # the search index follows the new company name
    rows, _ = search(db, clerk, CustomerQuery(text="乙公"))
    assert [r.id for r in rows] == [c.id]
    # the same file again: nothing differs, so nothing changes
    again = run(db, [HEADER, row], on_duplicate="update", actor=clerk)
    assert (again.summary.updated, again.summary.duplicates) == (0, 1)
    assert customer(db, id=existing.id).version == version + 1


def test_update_replaces_tags_when_the_cell_is_filled(db: Session, existing: Customer) -> None:
    run(db, [HEADER, customer_row(customer_no=existing.customer_no, name="张三",
                                  tags="VIP, 新客")], on_duplicate="update")
    assert sorted(t.name for t in customer(db, id=existing.id).tags) == ["VIP", "新客"]


def test_update_refuses_rows_that_match_several_or_another_number(
        db: Session, existing: Customer, people) -> None:
    other = cr.create_customer(db, people["clerk"], {"name": "李四", "mobile": "13900000002"})
    db.commit()
    rows = [HEADER,
            customer_row(name="混合", mobile="13800000001", email="z@x.cn"),  # fine: one customer
            customer_row(name="两人", mobile="13900000002", email="z@x.cn"),
            customer_row(name="改号", customer_no="NEW-9", mobile="13900000002")]
    update = run(db, rows, on_duplicate="update")
    status = {o.row: o.status for o in update.outcomes}
    assert status == {2: Status.UPDATE, 3: Status.DUPLICATE, 4: Status.REJECTED}
    db.rollback()
    rows = [HEADER, customer_row(name="两人", mobile="13900000002", email="z@x.cn"),
            customer_row(name="改号", customer_no="NEW-9", mobile="13900000002")]
    result = run(db, rows, on_duplicate="update")
    keys = [e.key for e in result.summary.errors]
    assert keys == ["excel.duplicate.ambiguous", "excel.duplicate.number_conflict"]
    skip = run(db, rows)
    assert skip.summary.duplicates == 2
    assert customer(db, id=other).name == "李四"


def test_update_checks_the_id_number_against_the_stored_customer_type(
        db: Session, people) -> None:
    cid = cr.create_customer(db, people["clerk"], {"name": "甲公司", "customer_type": "企业",
                                                   "mobile": "13800000005"})
    db.commit()
    result = run(db, [HEADER, customer_row(name="甲公司", mobile="13800000005",
                                           id_number=rid(3))], on_duplicate="update")
    assert result.summary.errors[0].error.key == "validation.id_number.looks_like_resident_id"
    ok = run(db, [HEADER, customer_row(name="甲公司", mobile="13800000005",
                                       id_number=credit_code(3))], on_duplicate="update")
    assert ok.summary.errors[0].error.key == "validation.id_number.looks_like_credit_code"
    fine = run(db, [HEADER, customer_row(name="甲公司", mobile="13800000005", customer_type="企业",
                                         id_number=credit_code(3))], on_duplicate="update")
    assert fine.summary.updated == 1
    assert customer(db, id=cid).id_number_hash is not None


def test_a_second_row_for_a_customer_already_updated_is_a_duplicate(
        db: Session, existing: Customer) -> None:
    rows = [HEADER, customer_row(customer_no=existing.customer_no, name="张三",
                                 mobile="13700000007"),
            customer_row(name="张三", mobile="13800000001")]  # the old mobile
    result = run(db, rows, on_duplicate="update")
    assert [o.status for o in result.outcomes] == [Status.UPDATE, Status.DUPLICATE]
    assert "第 2 行" in result.outcomes[1].issues[0].message("zh")


# ---- dry run, preview and commit -----------------------------------------------------------

def test_dry_run_reports_the_same_figures_and_writes_nothing(db: Session, existing) -> None:
    rows = [HEADER, customer_row(name="新", mobile="13700000001"),
            customer_row(customer_no=existing.customer_no, name="张三", city="上海"),
            customer_row(name="坏", email="bad")]
    before = snapshot(db)
    dry = run(db, rows, dry_run=True, on_duplicate="update")
    # only its audit entry (issue 13: every dry run is audited)
    assert snapshot(db) == {**before, "audit": before["audit"] + 1} and dry.import_id is None
    assert db.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == \
        "import.dry_run"
    real = run(db, rows, on_duplicate="update")
    assert dry.summary.as_json() == real.summary.as_json()
    assert real.summary.counts() == {"inserted": 1, "updated": 1, "duplicates": 0,
                                     "rejected": 1, "blank": 0}


def test_preview_shows_rows_as_stored_and_commit_rechecks_the_database(
        db: Session, engine, people) -> None:
    clerk = people["clerk"]
    data = xlsx([HEADER, customer_row(name=" 赵  六 ", mobile="138 0000 0009", tier="",
                                      id_number=rid(9))])
    preview = preview_import(db, clerk, data, "p.xlsx")
    (sample,) = preview.sample
    assert sample.status is Status.NEW
    assert sample.values["客户名称"] == "赵 六" and sample.values["客户等级"] == "白银"
    assert sample.values["证件号码"].startswith(rid(9)[:4]) and "*" in sample.values["证件号码"]
    assert sample.values["客户编号"] == "（导入时编号）"
    # someone saves the same customer between preview and commit
    with Session(engine) as other:
        cr.create_customer(other, clerk, {"name": "赵六", "mobile": "13800000009"})
        other.commit()
    result = commit_import(db, clerk, preview)
    db.commit()
    assert (result.summary.inserted, result.summary.duplicates) == (0, 1)


# ---- rejected rows ------------------------------------------------------------------------------

def test_rejected_rows_come_back_as_a_workbook_that_can_be_fixed_and_reimported(
        db: Session) -> None:
    rows = [["客户名称", "手机号", "邮箱", "备注"],
            ["好", "13800000001", None, "=1+1"],
            ["坏一", "1380000", "a@b", None],
            ["坏二", None, None, "@note"]]
    result = run(db, rows)
    data = result.rejected_xlsx()
    (name, sheet), *_ = read_xlsx(data).items()
    assert sheet[0] == ["客户名称", "手机号", "邮箱", "备注", "错误原因"]
    assert [r[:4] for r in sheet[1:]] == [["坏一", "1380000", "a@b", None],
                                         ["坏二", None, None, "@note"]]
    assert "手机号" in sheet[1][4] and "邮箱" in sheet[1][4] and "\n" in sheet[1][4]
    assert "联系方式" in sheet[2][4]
    fixed = [sheet[0]] + [["坏一", "13800000002", "a@b.cn", None, sheet[1][4]],
                          ["坏二", "13800000003", None, "@note", sheet[2][4]]]
    again = run(db, fixed)
    assert again.summary.inserted == 2 and not again.summary.warnings
    assert customer(db, name="坏二").notes == "@note"


# ---- one transaction ----------------------------------------------------------------------------

def test_a_failure_part_way_leaves_the_database_as_it_was(
        db: Session, existing: Customer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are written a chunk at a time; a failure in a late chunk, after new customers,
    tags, grams and an update went in, must leave nothing behind."""
    from services.excel import importer, reader

    monkeypatch.setattr(reader, "CHUNK_ROWS", 1)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 1)
    before = snapshot(db)
    real = ci.bulk_insert
    customer_inserts = []

    def failing(conn, table, columns, rows, **kw):
        if table.name == "customers":
            customer_inserts.append(len(rows))
            if len(customer_inserts) == 3:
                raise RuntimeError("disk on fire")
        real(conn, table, columns, rows, **kw)

    monkeypatch.setattr(ci, "bulk_insert", failing)
    rows = [HEADER, customer_row(name="新一", mobile="13700000001", tags="甲"),
            customer_row(name="新二", mobile="13700000002", tier="钻石"),
            customer_row(customer_no=existing.customer_no, name="张三", city="上海"),
            customer_row(name="新三", mobile="13700000003")]
    for attempt in ("run", "commit"):
        with pytest.raises(RuntimeError):
            if attempt == "run":
                run_import(db, ADMIN, xlsx(rows), "boom.xlsx", on_duplicate="update")
            else:
                preview = preview_import(db, ADMIN, xlsx(rows), "boom.xlsx",
                                         on_duplicate="update")
                db.rollback()
                commit_import(db, ADMIN, preview)
        db.rollback()
        previews = db.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "import.preview")) or 0  # audited apart (issue 13)
        assert snapshot(db) == {**before, "audit": before["audit"] + previews}
        assert db.scalar(select(Tag).where(Tag.name == "甲")) is None
        customer_inserts.clear()


def test_reimporting_the_same_file_changes_nothing(db: Session) -> None:
    rows = [HEADER, customer_row(name="甲", mobile="13800000001", tags="A，B", tier="黄金"),
            customer_row(name="乙", email="b@x.cn", id_number=rid(2)),
            customer_row(name="丙", customer_no="X-1", phone="010-62123456")]
    first = run(db, rows)
    assert first.summary.inserted == 3
    before = snapshot(db)
    for mode in ("skip", "update"):
        again = run(db, rows, on_duplicate=mode)
        assert (again.summary.inserted, again.summary.updated, again.summary.duplicates) == \
            (0, 0, 3)
        after = snapshot(db)
        assert (after["customers"], after["sequences"]) == (before["customers"],
                                                            before["sequences"])


# ---- what new customers get ---------------------------------------------------------------------

def test_new_customers_get_numbers_from_the_forms_counter(db: Session, people) -> None:
    first = cr.create_customer(db, people["clerk"], {"name": "表单", "mobile": "13800000000"})
    db.commit()
    assert db.get(Customer, first).customer_no == f"C{YEAR}000001"
    run(db, [HEADER, customer_row(name="甲", mobile="13800000001"),
             customer_row(name="乙", customer_no=f"C{YEAR}000003", mobile="13800000002"),
             customer_row(name="丙", mobile="13800000003")])
    numbers = {customer(db, name=n).customer_no for n in ("甲", "乙", "丙")}
    assert numbers == {f"C{YEAR}000002", f"C{YEAR}000003", f"C{YEAR}000004"}
    later = cr.create_customer(db, people["clerk"], {"name": "后来", "mobile": "13800000009"})
    assert db.get(Customer, later).customer_no == f"C{YEAR}000005"


def test_tiers_tags_search_index_and_audit_of_new_customers(db: Session, people) -> None:
    clerk = people["clerk"]
    db.add(Tag(name="VIP", created_at=db.get(Customer, cr.create_customer(
        db, clerk, {"name": "旧", "mobile": "13600000000"})).created_at))
    db.commit()
    rows = [HEADER, customer_row(name="金客户", mobile="13812345678", tier="gold",
                                 tags="vip，新标签", company="星辰科技"),
            customer_row(name="银客户", mobile="13912345679", tags="新标签")]
    result = run(db, rows, actor=clerk, name="新客户.xlsx")
    gold, silver = customer(db, name="金客户"), customer(db, name="银客户")
    assert (gold.tier, gold.tier_source, gold.tier_set_by_id) == ("黄金", "manual",
                                                                  clerk.user_id)
    assert (silver.tier, silver.tier_source, silver.tier_set_by_id) == ("白银", "rule", None)
    assert [t.name for t in gold.tags] == ["VIP", "新标签"]  # "vip" found the existing tag
    assert db.scalar(select(TierChange).where(TierChange.customer_id == gold.id)).user_id == \
        clerk.user_id
    assert gold.mobile_last4 == "5678" and gold.created_by_id == clerk.user_id
    with db.get_bind().connect() as conn:
        assert check_search_index(conn) == (0, 0)
    rows_found, _ = search(db, clerk, CustomerQuery(text="星辰"))
    assert [r.id for r in rows_found] == [gold.id]
    rows_found, _ = search(db, clerk, CustomerQuery(text="5679"))
    assert [r.id for r in rows_found] == [silver.id]
    run_row = db.get(ImportRun, result.import_id)
    assert (run_row.file_name, run_row.username, run_row.inserted, run_row.kind) == (
        "新客户.xlsx", clerk.username, 2, "customers")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "import.customers")).one()
    assert entry.detail["inserted"] == 2 and entry.detail["file_name"] == "新客户.xlsx"
    assert entry.user_id == clerk.user_id


def test_search_grams_are_written_in_batches_across_chunks(
        db: Session, people, existing: Customer, monkeypatch: pytest.MonkeyPatch) -> None:
    """New customers' grams wait for a batch of ``GRAM_BATCH`` rows and the last batch goes in
    at the end; an update between batches (a rename, reindexed at once) leaves the index
    whole."""
    from services.excel import importer, reader

    monkeypatch.setattr(reader, "CHUNK_ROWS", 1)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 1)
    monkeypatch.setattr(ci, "GRAM_BATCH", 2)
    names = ["赵一", "钱二", "孙三", "李四", "周五", "吴六"]
    rows = [HEADER, *(customer_row(name=n, mobile=f"1380000010{i}", company=f"{n}商行")
                      for i, n in enumerate(names[:3])),
            customer_row(customer_no=existing.customer_no, name="张三丰"),
            *(customer_row(name=n, mobile=f"1380000020{i}") for i, n in enumerate(names[3:]))]
    result = run(db, rows, on_duplicate="update")
    assert (result.summary.inserted, result.summary.updated) == (6, 1)
    with db.get_bind().connect() as conn:
        assert check_search_index(conn) == (0, 0)
    clerk = people["clerk"]
    for text, expected in [*((n, n) for n in names), ("孙三商", "孙三"), ("三丰", "张三丰")]:
        found, _ = search(db, clerk, CustomerQuery(text=text))
        assert [r.name for r in found] == [expected], text


# ---- roles --------------------------------------------------------------------------------------

def test_import_rights_follow_the_role_matrix(db: Session, people) -> None:
    data = xlsx([HEADER, customer_row(name="甲", mobile="13800000001")])
    with pytest.raises(PermissionDenied):
        preview_import(db, people["trainer"], data, "t.xlsx")
    trainer_demo = actor_for(people["users"]["trainer"], demo_mode=True)
    assert preview_import(db, trainer_demo, data, "t.xlsx").summary.inserted == 1
    for role in ("clerk", "manager", "admin"):
        assert preview_import(db, people[role], data, "t.xlsx").summary.inserted == 1


def test_a_clerk_sees_the_sample_masked_like_everywhere_else(db: Session, people) -> None:
    data = xlsx([HEADER, customer_row(name="甲", mobile="13812345678", email="zhang@x.cn",
                                      id_number=rid(4))])
    trainer = actor_for(people["users"]["trainer"], demo_mode=True)
    values = preview_import(db, trainer, data, "t.xlsx").sample[0].values
    assert values["手机号"] == "138****5678" and values["邮箱"] == "z***@x.cn"
    clerk_values = preview_import(db, people["clerk"], data, "t.xlsx").sample[0].values
    assert clerk_values["手机号"] == "13812345678" and "*" in clerk_values["证件号码"]


# ---- account managers -------------------------------------------------------------------------

def test_account_managers_by_username_or_display_name(db: Session, people) -> None:
    manager = people["users"]["manager"]
    gone = make_user(db, "gone", "clerk", display_name="离职员工", active=False)
    db.commit()
    rows = [HEADER, customer_row(name="甲", mobile="13800000001", account_manager="U_MANAGER"),
            customer_row(name="乙", mobile="13800000002", account_manager="manager名"),
            customer_row(name="丙", mobile="13800000003", account_manager="离职员工")]
    result = run(db, rows)
    assert customer(db, name="甲").account_manager_id == manager.id
    assert customer(db, name="乙").account_manager_id == manager.id
    assert [e.error.key for e in result.summary.errors] == ["validation.account_manager.unknown"]
    assert gone.id
