"""Point 12 of issue 13: C0 control characters are refused in every text field (tab and line
breaks only where the field is multi-line), with a message naming the field; one bad import
cell rejects its row, never the file; and nothing with a NUL reaches the database by any path
(PostgreSQL would raise ``psycopg.DataError``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core import clock
from core.fields import FIELD_KEYS
from core.i18n import t
from core.vocab import InteractionMethod, Role
from db.models import AuditEntry, Customer, ImportRun, Interaction, Tag, User
from services import customers as cr
from services.access.roles import cli_actor
from services.access.users import UserError, create_user
from services.customers.tags import TagError, add_tags
from services.customers.validation import (
    ValidationContext,
    check_field,
    split_tags,
    validate_customer,
)
from services.excel import run_import
from services.records.contacts import add_interaction
from services.records.input import InvalidRecord
from services.system.text_guard import ControlCharacterRefused
from tests.support.excel import HEADER, customer_row, xlsx
from tests.support.factories import actor_for, make_customer, make_user

ADMIN = cli_actor(True)
# Every C0 control but tab, LF and CR, and DEL: refused in every field.
HARD = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
NAMED = {"NUL": "\x00", "ESC": "\x1b", "BEL": "\x07", "BS": "\x08", "VT": "\x0b"}
CTX = ValidationContext(industries=("金融", "科技"), users={"clerk": 1})
# A valid value for each free-text field of the customer record, to put a control into.
TEXT_FIELDS = {"name": "张三", "company": "上海云帆", "title": "经理", "city": "上海",
               "address": "浦东新区世纪大道1号", "notes": "老客户", "customer_no": "C1",
               "mobile": "13812345678", "phone": "021-12345678", "email": "a@example.cn",
               "id_number": "11010519491231002X", "tags": "重点客户",
               "account_manager": "clerk", "industry": "金融", "province": "上海市",
               "gender": "男", "customer_type": "个人", "tier": "黄金", "source": "官网"}


def _record(key: str, value: object) -> dict[str, object]:
    raw: dict[str, object] = {"name": "张三", "mobile": "13812345678"}
    raw[key] = value
    return raw


def _control_errors(result: Any) -> list[Any]:
    return [e for e in result.errors if e.key.startswith("input.control_char")]


def test_every_field_of_the_record_is_covered() -> None:
    assert set(TEXT_FIELDS) == set(FIELD_KEYS)


@pytest.mark.parametrize("key", list(TEXT_FIELDS))
@pytest.mark.parametrize("name", list(NAMED))
def test_each_named_control_is_refused_in_each_field(key: str, name: str) -> None:
    good = TEXT_FIELDS[key] * 2 if len(TEXT_FIELDS[key]) == 1 else TEXT_FIELDS[key]
    bad = good[:1] + NAMED[name] + good[1:]  # inside: whitespace at the ends is trimmed
    result = validate_customer(_record(key, bad), CTX)
    (error,) = _control_errors(result)
    assert error.field == key
    for lang in ("zh", "en"):
        message = error.message(lang)
        assert t(f"field.{key}", lang) in message  # names the field ...
        assert name in message  # ... and the character
    # The form checks one field at a time with the same rule.
    value, single = check_field(key, bad, CTX)
    assert value is None and single == error


@pytest.mark.parametrize("char", HARD)
def test_every_c0_control_is_refused_even_in_notes(char: str) -> None:
    for key in ("name", "notes", "address"):
        result = validate_customer(_record(key, f"前{char}后"), CTX)
        assert [e.field for e in _control_errors(result)] == [key], (key, repr(char))


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\r\n"])
def test_tabs_and_line_breaks_only_in_multi_line_fields(char: str) -> None:
    notes = validate_customer(_record("notes", f"第一行{char}第二行"), CTX)
    assert notes.ok and notes.values["notes"] == f"第一行{char}第二行"
    for key in ("name", "company", "title", "city", "address"):
        result = validate_customer(_record(key, f"前{char}后"), CTX)
        (error,) = _control_errors(result)
        assert error.field == key and error.key == "input.control_char.line_break"
    # At the ends they are trimmed like any other whitespace, not refused.
    trimmed = validate_customer(_record("address", f"{char}浦东新区{char}"), CTX)
    assert trimmed.ok and trimmed.values["address"] == "浦东新区"


def test_tags_refuse_controls_from_a_cell_or_a_list() -> None:
    with pytest.raises(ValueError, match="U\\+001B"):
        split_tags("重点客户,快递\x1b敏感")
    result = validate_customer(_record("tags", ["重点客户", "a\x00b"]), CTX)
    assert [e.field for e in _control_errors(result)] == ["tags"]


def test_the_customer_form_refuses_a_nul_with_a_field_message(db: Session) -> None:
    """On PostgreSQL this raised psycopg.DataError from the flush."""
    actor = actor_for(make_user(db, "clerk", Role.CLERK))
    for key in ("name", "notes", "address", "company"):
        raw = {"name": "张三", "mobile": "13912340000", key: "前\x00后"}
        with pytest.raises(cr.InvalidCustomer) as caught:
            cr.create_customer(db, actor, raw)
        assert [e.field for e in caught.value.errors] == [key]
    assert db.scalars(select(Customer)).all() == []


def test_service_records_refuse_controls_naming_the_field(db: Session) -> None:
    actor = actor_for(make_user(db, "clerk", Role.CLERK))
    customer = make_customer(db)
    raw = {"occurred_at": clock.now() - timedelta(hours=1),
           "method": InteractionMethod.PHONE.value, "content": "来电\x00咨询"}
    with pytest.raises(InvalidRecord) as caught:
        add_interaction(db, actor, customer.id, raw)
    (error,) = caught.value.errors
    assert error.field == "interaction.content"
    assert t("field.interaction.content", "en") in error.message("en")
    # A text area keeps its line breaks and tabs.
    add_interaction(db, actor, customer.id, {**raw, "content": "来电咨询\n\t价格"})
    assert db.scalar(select(Interaction.content)) == "来电咨询\n\t价格"
    with pytest.raises(TagError):
        add_tags(db, actor, customer.id, ["重点\x07客户"])


def test_display_names_refuse_controls(db: Session) -> None:
    with pytest.raises(UserError) as caught:
        create_user(db, ADMIN, "newclerk", "新\x1b来的", Role.CLERK, "long-enough-pw")
    assert "ESC" in caught.value.message("en")
    assert db.scalar(select(User).where(User.username == "newclerk")) is None


# ---- the last-line guard ----------------------------------------------------------------------

def test_an_orm_write_that_skipped_validation_is_refused_by_the_guard(db: Session) -> None:
    customer = make_customer(db)
    db.commit()
    customer.notes = "绕过\x00校验"
    with pytest.raises(ControlCharacterRefused) as caught:
        db.flush()
    assert caught.value.message("zh").startswith("“备注”")
    assert "Notes" in caught.value.message("en") and "NUL" in caught.value.message("en")
    db.rollback()
    db.add(Tag(name="a\x1bb"))
    with pytest.raises(ControlCharacterRefused, match="input.guard"):
        db.flush()
    db.rollback()


def test_a_core_statement_with_a_nul_is_refused_before_the_database(db: Session) -> None:
    with pytest.raises(ControlCharacterRefused) as caught:
        db.execute(insert(Tag).values(name="x\x00y"))
    assert caught.value.table == "tags"
    db.rollback()
    assert db.scalars(select(Tag)).all() == []


def test_copy_refuses_a_nul(db: Session) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from db.copy import copy_in

    with pytest.raises(ControlCharacterRefused), \
            copy_in(db.connection(), "tags", ("name",)) as copy:
        copy.write_row(("a\x00b",))
    db.rollback()
    with pytest.raises(ControlCharacterRefused), \
            copy_in(db.connection(), "tags", ("name",)) as copy:
        copy.write("a\x00b\n")
    db.rollback()


# ---- the import --------------------------------------------------------------------------------

def _thousand_rows(bad_row: int, bad_key: str, bad_value: str) -> list[list[Any]]:
    rows = [HEADER]
    for n in range(1000):
        values: dict[str, Any] = {"name": f"客户{n:04d}", "mobile": f"139{n:08d}",
                                  "notes": "导入", "address": "上海"}
        if n + 2 == bad_row:  # Excel's row number: the header is row 1
            values[bad_key] = bad_value
        rows.append(customer_row(**values))
    return rows


@pytest.mark.parametrize(("key", "cell", "char"), [
    ("notes", "前_x0000_后", "NUL"),       # how a workbook carries a NUL in a text cell
    ("name", "张_x001B_三", "ESC"),
    ("address", "浦东_x000B_新区", "VT"),
])
def test_one_bad_cell_in_1000_rows_rejects_only_its_row(
        db: Session, key: str, cell: str, char: str) -> None:
    result = run_import(db, ADMIN, xlsx(_thousand_rows(500, key, cell)), "t.xlsx")
    db.commit()
    summary = result.summary
    assert (summary.inserted, summary.rejected) == (999, 1)
    (error,) = summary.errors
    header = HEADER[FIELD_KEYS.index(key)]
    assert error.row == 500 and error.column == header
    assert header in error.message("zh") and char in error.message("en")
    assert db.scalar(select(Customer).where(Customer.mobile == "13900000498")) is None
    assert len(db.scalars(select(Customer.id)).all()) == 999


def test_record_import_rejects_the_row_with_a_control_in_a_text_cell(db: Session) -> None:
    from services.excel.kinds import COMPLAINTS
    from services.records.complaints import CHANNELS, COMPLAINT_TYPES

    customer = make_customer(db, customer_no="C2026999999")
    db.commit()
    good = {"customer_no": customer.customer_no, "received_at": "2025-01-02 10:00",
            "channel": CHANNELS[0], "complaint_type": COMPLAINT_TYPES[0],
            "description": "回复慢\n多次催促"}
    bad = {**good, "description": "回复慢_x0007_多次催促", "received_at": "2025-01-03 10:00"}
    keys = list(good)
    rows = [[COMPLAINTS.column(k).header for k in keys]]
    rows += [[row[k] for k in keys] for row in (good, bad)]
    result = run_import(db, ADMIN, xlsx(rows, sheet=COMPLAINTS.sheet), "r.xlsx",
                        kind="complaints")
    db.commit()
    assert (result.summary.inserted, result.summary.rejected) == (1, 1)
    (error,) = result.summary.errors
    assert error.row == 3 and "BEL" in error.message("en")
    assert COMPLAINTS.column("description").header in error.message("zh")


def test_an_uploaded_file_name_with_controls_is_kept_printable(db: Session) -> None:
    """The name is not a field the user can fix in our form: it is stored and audited with
    each control shown as U+FFFD, and the import goes through (on PostgreSQL a NUL in it
    aborted the whole import)."""
    rows = [HEADER, customer_row(name="张三", mobile="13812345678")]
    result = run_import(db, ADMIN, xlsx(rows), "客户\x00名单\x1b.xlsx")
    db.commit()
    assert result.summary.inserted == 1
    assert db.scalar(select(ImportRun.file_name)) == "客户\ufffd名单\ufffd.xlsx"


def test_json_columns_refuse_a_nul(db: Session) -> None:
    db.add(AuditEntry(at=clock.now(), username="cli", action="test", detail={"x": ["a\x00"]}))
    with pytest.raises(ControlCharacterRefused) as caught:
        db.flush()
    assert (caught.value.table, caught.value.column) == ("audit_log", "detail")
    db.rollback()


def test_the_new_customer_page_shows_the_field_message_instead_of_crashing(db: Session) -> None:
    """The reproduction of the issue: on PostgreSQL a NUL in 备注 ended in psycopg.DataError."""
    from tests.support.app import logged_in

    make_user(db, "clerk", Role.CLERK)
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("新客户丙")
    at.text_input(key="new_mobile").set_value("13700003333")
    at.text_area(key="new_notes").set_value("备注\x00内容")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "备注" in errors and "NUL" in errors
    assert db.scalar(select(Customer).where(Customer.name == "新客户丙")) is None
