"""Messages of the case datasets (issue 17: 电商, 金融, 医疗) and of the sensitive-record mask."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cases.sensitive.hidden": (
        "此客户的档案含健康信息（敏感）：学员看到的备注与各项记录的文字均已隐藏（******），"
        "完整号码也不显示。",
        "This record holds health information (sensitive): for trainees, its notes and the "
        "texts of its records are hidden (******), and full numbers are never shown."),
}
