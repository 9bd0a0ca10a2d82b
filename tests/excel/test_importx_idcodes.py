"""Bug 10 of issue 14: residence permits of Hong Kong, Macao and Taiwan residents (area
codes 810000, 820000, 830000) are valid 证件号码 for a 个人 customer, on the form's check and in
an import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer
from services import customers as cr
from services.access.crypto import decrypt
from services.access.roles import cli_actor
from services.customers import validation as v
from services.customers.idcodes import RESIDENT_ID_AREA_PREFIXES, resident_check_char
from services.customers.validation import FieldValidationError, validate_customer
from services.excel import run_import
from tests.support.excel import HEADER, customer_row, xlsx

TODAY = date(2026, 5, 20)


def permit(area: str, birth: str = "19900307", seq: str = "123") -> str:
    """A residence permit number with a correct check character (area code ``xx0000``)."""
    body = f"{area}{birth}{seq}"
    return body + resident_check_char(body)


# A Taiwan resident's permit as issued (830000 + birth date + sequence + check character).
TAIWAN = permit("830000")
HONG_KONG = permit("810000", "19851224", "042")
MACAO = permit("820000", "20000229", "317")


@pytest.mark.parametrize("code", [TAIWAN, HONG_KONG, MACAO, TAIWAN[:17] + TAIWAN[17].lower()])
def test_residence_permits_are_accepted(code: str) -> None:
    assert v.normalize_id_number(code, "个人", TODAY) == code.upper()


def test_taiwan_permit_passes_the_whole_record_check() -> None:
    raw = {"name": "林志明", "mobile": "13812345678", "id_number": TAIWAN, "province": "台湾"}
    result = validate_customer(raw, v.ValidationContext(industries=("其他",), users={},
                                                        today=TODAY))
    assert result.ok, result.messages("zh")
    assert result.values["id_number"] == TAIWAN


def test_a_permit_keeps_the_other_checks() -> None:
    wrong = TAIWAN[:17] + ("0" if TAIWAN[17] != "0" else "1")
    with pytest.raises(FieldValidationError) as checksum:
        v.normalize_id_number(wrong, "个人", TODAY)
    assert checksum.value.error.key == "validation.id_number.resident_checksum"
    with pytest.raises(FieldValidationError) as birth:
        v.normalize_id_number(permit("830000", "20990101"), "个人", TODAY)
    assert birth.value.error.key == "validation.id_number.resident_birth"


@pytest.mark.parametrize("prefix", ["84", "80", "72", "90"])
def test_codes_next_to_the_permits_stay_refused(prefix: str) -> None:
    with pytest.raises(FieldValidationError) as caught:
        v.normalize_id_number(permit(f"{prefix}0000"), "个人", TODAY)
    assert caught.value.error.key == "validation.id_number.resident_province"
    assert "83" in caught.value.error.message("zh") and "83" in caught.value.error.message("en")


def test_the_accepted_prefixes_are_the_specs() -> None:
    spec = {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
            *range(61, 66), 71, 81, 82, 83}
    assert set(RESIDENT_ID_AREA_PREFIXES) == spec


def test_a_taiwan_permit_imports(db: Session) -> None:
    rows = [HEADER, customer_row(name="林志明", mobile="13812345678", id_number=TAIWAN),
            customer_row(name="陈家乐", mobile="13812345679", id_number=HONG_KONG),
            customer_row(name="何嘉欣", mobile="13812345670", id_number=MACAO)]
    result = run_import(db, cli_actor(True), xlsx(rows), "permits.xlsx")
    db.commit()
    assert [e.message("zh") for e in result.summary.errors] == []
    assert result.summary.inserted == 3
    stored = db.scalars(select(Customer).where(Customer.name == "林志明")).one()
    assert stored.id_number_enc and decrypt(stored.id_number_enc) == TAIWAN
    assert validate_customer({"name": "x", "mobile": "13812345678", "id_number": TAIWAN},
                             cr.validation_context(db)).ok
