"""Messages of helper "structure" (issue 15 leftovers): Streamlit's Enter hints under inputs, and
the refusal to change an erased customer."""

MESSAGES = {
    "customers.error.erased": (
        "客户 {customer_no} 的个人信息已删除，不能再修改，也不能再添加记录。",
        "The personal information of customer {customer_no} was erased: it can no longer be "
        "changed or given new records.",
    ),
    "shell.builtin.enter_apply": ("按 Enter 键确认", "Press Enter to apply"),
    "shell.builtin.enter_submit": ("按 Enter 键提交表单", "Press Enter to submit form"),
    "shell.builtin.ctrl_enter_apply": ("按 Ctrl（Mac：⌘）+ Enter 键确认",
                                       "Press Ctrl (Mac: ⌘) + Enter to apply"),
    "shell.builtin.ctrl_enter_submit": ("按 Ctrl（Mac：⌘）+ Enter 键提交表单",
                                        "Press Ctrl (Mac: ⌘) + Enter to submit form"),
}
