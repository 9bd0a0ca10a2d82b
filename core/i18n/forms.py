"""Messages of the entry and lookup screens reworked in issue 14 (helper "forms")."""

MESSAGES: dict[str, tuple[str, str]] = {
    "forms.label.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "forms.col.quantity": ("数量", "Quantity"),
    "forms.col.amount": ("金额", "Amount"),
    "forms.tags.pick": ("从已有标签中选择", "Choose from the existing tags"),
    "forms.tags.new": ("新建标签", "New tag"),
    "forms.tags.new_and_add": ("新建并添加标签", "Create and add a tag"),
    "forms.tags.new.placeholder": (
        "已有标签中没有时再新建，多个用逗号分隔",
        "Only if no existing tag fits; separate with commas",
    ),
    "forms.city.placeholder": ("选择所选省份的城市", "Choose a city of the province"),
    "forms.city.other": ("其他城市", "Another city"),
    "forms.city.other.placeholder": (
        "列表中没有时填写（优先于上面的选择）", "Only if the list lacks it (wins over the choice)"),
    "forms.similar.title": (
        "已有同名客户（公司相同、相近或未填写），请确认是否为同一客户：",
        "A customer of the same name exists (same, similar or blank company); check that this "
        "is not the same customer:",
    ),
}
