"""Masking of 手机号, 邮箱 and 证件号码 before they reach a page or a file (spec: Masking).

Masking is applied to stored (normalised) values, but must stay safe on anything else too: a
short, odd or legacy value is masked harder, never shown in full: when the usual ends would
leave too little hidden, each end shows a quarter of the length at most.
"""

from __future__ import annotations

_STAR = "*"


def _mask_ends(text: str, keep_prefix: int, keep_suffix: int, min_hidden: int) -> str:
    """Keep the ends, or only a quarter of the length at each end when fewer than
    ``min_hidden`` characters would stay hidden."""
    n = len(text)
    if n - keep_prefix - keep_suffix < min_hidden:
        keep_prefix = min(keep_prefix, n // 4)
        keep_suffix = min(keep_suffix, n // 4)
    tail = text[n - keep_suffix:] if keep_suffix else ""
    return text[:keep_prefix] + _STAR * (n - keep_prefix - keep_suffix) + tail


def mask_mobile(value: str | None, *, keep_prefix: int = 3, keep_suffix: int = 4) -> str | None:
    """``13812345678`` -> ``138****5678``; ``+85291234567`` -> ``+852****4567``.

    A leading ``+`` is kept (it is not information) and the digits after it are masked. The
    spec's 3 + 4 hides only four of eleven digits, so that is allowed from 11 characters on;
    anything shorter keeps at least half hidden.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return ""
    plus = "+" if text.startswith("+") else ""
    body = text[len(plus):]
    min_hidden = 4 if len(body) >= 11 else (len(body) + 1) // 2
    return plus + _mask_ends(body, keep_prefix, keep_suffix, min_hidden)


def mask_email(value: str | None) -> str | None:
    """``zhang.san@example.cn`` -> ``z***@example.cn``: first character, fixed ``***``, domain.

    The number of stars does not depend on the local part, so its length is not revealed; a
    one-character local part is hidden completely. Without ``@`` the value is masked whole.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return text[0] + "***" if len(text) > 3 else "***"
    first = local[0] if len(local) > 1 else ""
    return f"{first}***@{domain}"


def mask_id_number(value: str | None, *, keep_prefix: int = 4,
                   keep_suffix: int = 4) -> str | None:
    """``110105194912310021`` -> ``1101**********0021``: first 4 and last 4 of 18.

    The birth date (characters 7-14 of a resident ID) always falls in the hidden part. A
    shorter value shows a quarter of its length at each end at most.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return ""
    keep_prefix = min(keep_prefix, 6)  # never into the birth date (characters 7-14)
    keep_suffix = min(keep_suffix, 4)
    if 15 <= len(text) < 18:  # an old 15-digit ID keeps its YYMMDD in characters 7-12
        keep_suffix = min(keep_suffix, len(text) - 12)
    return _mask_ends(text, keep_prefix, keep_suffix, (len(text) + 1) // 2)
