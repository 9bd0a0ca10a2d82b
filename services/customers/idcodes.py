"""Check characters of Chinese identity codes, and generators of valid codes for demo data.

- Resident ID (居民身份证号码, GB 11643-1999): 6-digit area code, 8-digit birth date,
  3-digit sequence (odd for men), check character over ISO 7064 MOD 11-2 (``0``-``9`` or ``X``).
- Unified social credit code (统一社会信用代码, GB 32100-2015): registering authority, entity
  type, 6-digit area code, 9-character organisation code (GB 11714, with its own check
  character), check character over a 31-character alphabet without I, O, Z, S, V.

Only the arithmetic lives here; what makes a value acceptable for a customer (birth-date range,
province code) is decided in ``services.customers.validation``, with ``RESIDENT_ID_AREA_PREFIXES``
from here.
"""

from __future__ import annotations

import random
from datetime import date
from operator import mul
from typing import Final

from core.regions import PROVINCE_BY_CODE

# ---- GB 11643 resident ID -------------------------------------------------------------------

# The first two digits an 18-character resident ID may start with: the provincial divisions,
# plus 83 for the residence permits of Taiwan residents (area code 830000; Hong Kong and Macao
# residents' permits use 810000 and 820000, the codes of their divisions). The county part is
# not checked anywhere: public county lists are incomplete and would reject real people.
TAIWAN_PERMIT_PREFIX: Final = 83
RESIDENT_ID_AREA_PREFIXES: Final[frozenset[int]] = frozenset(
    {*PROVINCE_BY_CODE, TAIWAN_PERMIT_PREFIX})

RESIDENT_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(2, 17 - i, 11) for i in range(17))
_RESIDENT_CHECK: Final = "10X98765432"  # indexed by the weighted sum mod 11


def resident_check_char(first17: str) -> str:
    """The check character for the first 17 digits of a resident ID."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("a resident ID body is exactly 17 ASCII digits")
    total = sum(map(mul, map(int, first17), RESIDENT_WEIGHTS))
    return _RESIDENT_CHECK[total % 11]


def is_valid_resident_checksum(code: str) -> bool:
    """True when ``code`` is 17 digits plus the matching check character (upper-case X)."""
    if len(code) != 18 or not (code[:17].isascii() and code[:17].isdigit()):
        return False
    return resident_check_char(code[:17]) == code[17]


def resident_birth_date(code: str) -> date | None:
    """The birth date encoded in positions 7-14, or None when it is not a real date."""
    digits = code[6:14]
    if len(digits) != 8 or not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def resident_is_male(code: str) -> bool:
    """The sequence number (position 17) is odd for men and even for women."""
    return int(code[16]) % 2 == 1


# ---- GB 32100 unified social credit code ----------------------------------------------------

CREDIT_CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I O Z S V
CREDIT_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(3, i, 31) for i in range(17))
_CREDIT_VALUE: Final[dict[str, int]] = {c: i for i, c in enumerate(CREDIT_CHARSET)}


def credit_check_char(first17: str) -> str:
    """The 18th (check) character of a unified social credit code."""
    if len(first17) != 17:
        raise ValueError("a credit code body is exactly 17 characters")
    try:
        total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not allowed in a credit code") from None
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def is_credit_code_shape(code: str) -> bool:
    """18 characters, each from the GB 32100 alphabet (upper case)."""
    return len(code) == 18 and all(c in _CREDIT_VALUE for c in code)


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` has the credit-code shape and a correct check character."""
    return is_credit_code_shape(code) and credit_check_char(code[:17]) == code[17]


_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of the 9-character organisation code inside a credit code."""
    if len(first8) != 8 or not first8.isascii() or not first8.isalnum():
        raise ValueError("an organisation code body is exactly 8 ASCII digits or letters")
    total = sum(int(c, 36) * w for c, w in zip(first8.upper(), _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


# ---- generators -----------------------------------------------------------------------------

_SAR_CODES: Final = frozenset({71, 81, 82})


def make_resident_id(rng: random.Random, province_code: int, birth: date, *,
                     male: bool | None = None) -> str:
    """A resident ID with a correct check character, for demo data.

    The area code is a district of the provincial capital (``xx0102``-``xx0105``, real codes
    for every mainland province); Taiwan, Hong Kong and Macao use ``xx0000`` as their residence
    permits do. ``male`` fixes the parity of the sequence number; None picks at random.
    """
    if province_code not in PROVINCE_BY_CODE:
        raise ValueError(f"{province_code} is not a provincial-level division code")
    if birth.year < 1900:
        raise ValueError("birth date before 1900")
    if province_code in _SAR_CODES:
        area = f"{province_code:02d}0000"
    else:
        area = f"{province_code:02d}01{rng.randint(2, 5):02d}"
    if male is None:
        male = rng.random() < 0.5
    sequence = rng.randrange(1, 1000, 2) if male else rng.randrange(2, 1000, 2)
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + resident_check_char(body)


# Registering authority + entity type: 9x market regulator (91 company, 92 sole trader),
# 1x institutional establishment (11 government body, 12 public institution),
# 5x civil affairs (51 association, 52 private non-enterprise unit, 53 foundation).
_ENTERPRISE_PREFIXES: Final = ("91", "91", "91", "92")
_INSTITUTION_PREFIXES: Final = ("11", "12", "12", "51", "52", "53")


def make_credit_code(rng: random.Random, *, province_code: int | None = None,
                     institution: bool = False) -> str:
    """A unified social credit code with correct organisation and overall check characters.

    ``province_code`` (11-82) fixes the area code's province; None picks one at random.
    ``institution`` chooses a government / civil-affairs prefix instead of a company one.
    """
    if province_code is None:
        province_code = rng.choice(sorted(PROVINCE_BY_CODE))
    elif province_code not in PROVINCE_BY_CODE:
        raise ValueError(f"{province_code} is not a provincial-level division code")
    prefix = rng.choice(_INSTITUTION_PREFIXES if institution else _ENTERPRISE_PREFIXES)
    area = f"{province_code:02d}{rng.randint(1, 5):02d}00"
    org_body = "".join(rng.choice("0123456789") for _ in range(8))
    body = prefix + area + org_body + org_code_check_char(org_body)
    return body + credit_check_char(body)
