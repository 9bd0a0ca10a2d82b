"""Messages of the strict settings reader (core.settings.ConfigError).

Each names the key and where it is; an unknown name also names the nearest valid one. They are
shown before anything else in the app and on a command's standard error.
"""

MESSAGES = {
    "config.unknown": (
        "配置错误（{path}）：未知的配置项 {key}。最接近的有效名称是 {nearest}。请改正后重新启动。",
        "Configuration error ({path}): unknown setting {key}. The nearest valid name is "
        "{nearest}. Correct it and start again.",
    ),
    "config.unknown_env": (
        "配置错误：未知的环境变量 {key}。最接近的有效名称是 {nearest}。"
        "请改正或删除该变量后重新启动。",
        "Configuration error: unknown environment variable {key}. The nearest valid name is "
        "{nearest}. Correct or remove it and start again.",
    ),
    "config.out_of_range": (
        "配置错误（{path}）：{key} = {value} 超出范围，应在 {low} 到 {high} 之间。",
        "Configuration error ({path}): {key} = {value} is out of range; it must be between "
        "{low} and {high}.",
    ),
    "config.not_whole": (
        "配置错误（{path}）：{key} = {value} 应为整数。",
        "Configuration error ({path}): {key} = {value} must be a whole number.",
    ),
    "config.not_number": (
        "配置错误（{path}）：{key} = {value} 应为数字。",
        "Configuration error ({path}): {key} = {value} must be a number.",
    ),
    "config.not_bool": (
        "配置错误（{path}）：{key} = {value} 应为 true 或 false。",
        "Configuration error ({path}): {key} = {value} must be true or false.",
    ),
    "config.not_text": (
        "配置错误（{path}）：{key} = {value} 应为带引号的文本。",
        "Configuration error ({path}): {key} = {value} must be quoted text.",
    ),
    "config.not_ints": (
        "配置错误（{path}）：{key} = {value} 应为整数列表，如 [30, 60, 90]。",
        "Configuration error ({path}): {key} = {value} must be a list of whole numbers, e.g. "
        "[30, 60, 90].",
    ),
    "config.not_strs": (
        "配置错误（{path}）：{key} = {value} 应为文本列表，如 [\"金融\", \"科技\"]。",
        "Configuration error ({path}): {key} = {value} must be a list of texts, e.g. "
        "[\"金融\", \"科技\"].",
    ),
    "config.bad_list": (
        "配置错误（{path}）：{key} = {value} 应为不重复、非空、每项不超过 20 个字符的名称列表。",
        "Configuration error ({path}): {key} = {value} must list distinct, non-blank names of "
        "at most 20 characters.",
    ),
    "config.not_choice": (
        "配置错误（{path}）：{key} = {value} 不是有效值，可选 {choices}；最接近的是 {nearest}。",
        "Configuration error ({path}): {key} = {value} is not a valid value; choose one of "
        "{choices} (the nearest is {nearest}).",
    ),
    "config.not_table": (
        "配置错误（{path}）：{key} 应为一节（[{key}]），而不是单个值。",
        "Configuration error ({path}): {key} must be a section ([{key}]), not a single value.",
    ),
    "config.bad_zone": (
        "配置错误（{path}）：{key} = {value} 不是时区名称（如 \"Asia/Shanghai\"）。",
        "Configuration error ({path}): {key} = {value} is not a time zone name (e.g. "
        "\"Asia/Shanghai\").",
    ),
    "config.bad_url": (
        "配置错误（{path}）：{key} 不是有效的数据库地址（如 sqlite:///data/crm.db 或 "
        "postgresql+psycopg://用户@主机/数据库）。",
        "Configuration error ({path}): {key} is not a valid database URL (e.g. "
        "sqlite:///data/crm.db or postgresql+psycopg://user@host/db).",
    ),
    "config.bad_header": (
        "配置错误（{path}）：{key} = {value} 不是 HTTP 头名称（如 \"X-Forwarded-For\"，或留空）。",
        "Configuration error ({path}): {key} = {value} is not an HTTP header name (e.g. "
        "\"X-Forwarded-For\", or empty).",
    ),
    "config.missing_file": (
        "配置错误：找不到配置文件 {path}（CRM_CONFIG 指向的文件，或项目的 config.toml）。",
        "Configuration error: the settings file {path} does not exist (the file CRM_CONFIG "
        "names, or the project's config.toml).",
    ),
    "config.syntax": (
        "配置错误：{path} 不是有效的 TOML：{detail}",
        "Configuration error: {path} is not valid TOML: {detail}",
    ),
}
MESSAGES |= {  # the app's answer to an unexpected error (components.concurrency)
    "ops.error.unexpected": (
        "出错了，这一步没有完成。请稍后重试；如果问题仍然存在，"
        "请把请求编号 {request} 告诉系统管理员。",
        "Something went wrong and this step was not completed. Please try again later; if it "
        "keeps happening, give the administrator the request id {request}.",
    ),
}
