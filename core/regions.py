"""China's provincial-level divisions: full names, accepted short forms, ID codes, demo cities.

The 省份 field stores the full official name (or 国外) so that filters and exports group one
province under one spelling, whatever the user typed. The codes are the first two digits of a
resident ID (GB 11643) and of an administrative division code (GB/T 2260).
"""

from __future__ import annotations

from typing import Final

ABROAD: Final = "国外"

# (code, full name, short form) in code order; the short form is what people usually write.
_DIVISIONS: Final[tuple[tuple[int, str, str], ...]] = (
    (11, "北京市", "北京"),
    (12, "天津市", "天津"),
    (13, "河北省", "河北"),
    (14, "山西省", "山西"),
    (15, "内蒙古自治区", "内蒙古"),
    (21, "辽宁省", "辽宁"),
    (22, "吉林省", "吉林"),
    (23, "黑龙江省", "黑龙江"),
    (31, "上海市", "上海"),
    (32, "江苏省", "江苏"),
    (33, "浙江省", "浙江"),
    (34, "安徽省", "安徽"),
    (35, "福建省", "福建"),
    (36, "江西省", "江西"),
    (37, "山东省", "山东"),
    (41, "河南省", "河南"),
    (42, "湖北省", "湖北"),
    (43, "湖南省", "湖南"),
    (44, "广东省", "广东"),
    (45, "广西壮族自治区", "广西"),
    (46, "海南省", "海南"),
    (50, "重庆市", "重庆"),
    (51, "四川省", "四川"),
    (52, "贵州省", "贵州"),
    (53, "云南省", "云南"),
    (54, "西藏自治区", "西藏"),
    (61, "陕西省", "陕西"),
    (62, "甘肃省", "甘肃"),
    (63, "青海省", "青海"),
    (64, "宁夏回族自治区", "宁夏"),
    (65, "新疆维吾尔自治区", "新疆"),
    (71, "台湾省", "台湾"),
    (81, "香港特别行政区", "香港"),
    (82, "澳门特别行政区", "澳门"),
)

PROVINCES: Final[tuple[str, ...]] = tuple(full for _, full, _ in _DIVISIONS)
"""The 34 provincial-level divisions, full names, in code order."""

PROVINCE_CHOICES: Final[tuple[str, ...]] = (*PROVINCES, ABROAD)
"""Every value the 省份 field may hold (template drop-down)."""

PROVINCE_BY_CODE: Final[dict[int, str]] = {code: full for code, full, _ in _DIVISIONS}
CODE_BY_PROVINCE: Final[dict[str, int]] = {full: code for code, full, _ in _DIVISIONS}
SHORT_NAME: Final[dict[str, str]] = {full: short for _, full, short in _DIVISIONS}

# Other spellings in common use: the ethnic part kept or dropped, "特区" for the SARs.
_EXTRA_ALIASES: Final[dict[str, str]] = {
    "广西壮族": "广西壮族自治区",
    "广西自治区": "广西壮族自治区",
    "宁夏回族": "宁夏回族自治区",
    "宁夏自治区": "宁夏回族自治区",
    "新疆维吾尔": "新疆维吾尔自治区",
    "新疆自治区": "新疆维吾尔自治区",
    "香港特区": "香港特别行政区",
    "澳门特区": "澳门特别行政区",
    "海外": ABROAD,
    ABROAD: ABROAD,
}

_ALIASES: Final[dict[str, str]] = {
    **{full: full for full in PROVINCES},
    **{short: full for full, short in SHORT_NAME.items()},
    **_EXTRA_ALIASES,
}


def canonical_province(text: str) -> str | None:
    """The full name for ``text`` (full, short or common form), or None if it is not one.

    Surrounding and inner whitespace is ignored ("广 东" is a typing slip, not another place).
    """
    key = "".join(text.split())
    return _ALIASES.get(key)


def province_for_code(code: int) -> str | None:
    """The province of a resident-ID / division code's first two digits, None if none exists."""
    return PROVINCE_BY_CODE.get(code)


# A few real prefecture-level cities per province, for demo data. Municipalities and the SARs
# have no prefecture-level cities: their 城市 is the municipality / region itself.
MAJOR_CITIES: Final[dict[str, tuple[str, ...]]] = {
    "北京市": ("北京市",),
    "天津市": ("天津市",),
    "河北省": ("石家庄市", "唐山市", "保定市", "邯郸市", "廊坊市"),
    "山西省": ("太原市", "大同市", "长治市", "运城市"),
    "内蒙古自治区": ("呼和浩特市", "包头市", "鄂尔多斯市", "赤峰市"),
    "辽宁省": ("沈阳市", "大连市", "鞍山市", "锦州市"),
    "吉林省": ("长春市", "吉林市", "四平市", "通化市"),
    "黑龙江省": ("哈尔滨市", "齐齐哈尔市", "大庆市", "牡丹江市"),
    "上海市": ("上海市",),
    "江苏省": ("南京市", "苏州市", "无锡市", "常州市", "南通市", "徐州市"),
    "浙江省": ("杭州市", "宁波市", "温州市", "绍兴市", "嘉兴市", "金华市"),
    "安徽省": ("合肥市", "芜湖市", "蚌埠市", "安庆市"),
    "福建省": ("福州市", "厦门市", "泉州市", "漳州市"),
    "江西省": ("南昌市", "赣州市", "九江市", "上饶市"),
    "山东省": ("济南市", "青岛市", "烟台市", "潍坊市", "临沂市", "淄博市"),
    "河南省": ("郑州市", "洛阳市", "开封市", "南阳市", "新乡市"),
    "湖北省": ("武汉市", "宜昌市", "襄阳市", "荆州市"),
    "湖南省": ("长沙市", "株洲市", "湘潭市", "衡阳市", "岳阳市"),
    "广东省": ("广州市", "深圳市", "东莞市", "佛山市", "珠海市", "汕头市"),
    "广西壮族自治区": ("南宁市", "柳州市", "桂林市", "北海市"),
    "海南省": ("海口市", "三亚市", "儋州市"),
    "重庆市": ("重庆市",),
    "四川省": ("成都市", "绵阳市", "德阳市", "宜宾市", "南充市"),
    "贵州省": ("贵阳市", "遵义市", "六盘水市", "安顺市"),
    "云南省": ("昆明市", "曲靖市", "玉溪市", "昭通市"),
    "西藏自治区": ("拉萨市", "日喀则市", "林芝市", "昌都市"),
    "陕西省": ("西安市", "宝鸡市", "咸阳市", "榆林市", "延安市"),
    "甘肃省": ("兰州市", "天水市", "酒泉市", "张掖市"),
    "青海省": ("西宁市", "海东市", "海西蒙古族藏族自治州"),
    "宁夏回族自治区": ("银川市", "石嘴山市", "吴忠市", "固原市"),
    "新疆维吾尔自治区": ("乌鲁木齐市", "克拉玛依市", "吐鲁番市", "哈密市"),
    "台湾省": ("台北市", "新北市", "桃园市", "台中市", "台南市", "高雄市"),
    "香港特别行政区": ("香港",),
    "澳门特别行政区": ("澳门",),
    ABROAD: ("新加坡", "东京", "纽约", "伦敦", "悉尼"),
}
