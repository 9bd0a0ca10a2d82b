"""Messages of the entry and lookup screens reworked in issue 14 (helper "forms")."""

MESSAGES: dict[str, tuple[str, str]] = {
    "forms.label.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "forms.col.quantity": ("数量", "Quantity"),
    "forms.col.amount": ("金额", "Amount"),
}
