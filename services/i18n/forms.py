"""Messages of the entry and lookup screens reworked in issue 14 (helper "forms")."""

MESSAGES: dict[str, tuple[str, str]] = {
    "forms.label.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "forms.col.quantity": ("数量", "Quantity"),
    "forms.col.amount": ("金额", "Amount"),
    "forms.similar.title": (
        "已有同名客户（公司相同、相近或未填写），请确认是否为同一客户：",
        "A customer of the same name exists (same, similar or blank company); check that this "
        "is not the same customer:",
    ),
}
