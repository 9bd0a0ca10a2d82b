"""Value pools and weighted choice: built once per seed, combined per row with the seeded RNG.

Faker is called a few thousand times to build the pools, never per row (Faker per row is
slow). Where customers live (population weights) and how Chinese numbers look (area codes,
mobile prefixes, mail providers) hold for every case dataset, so they live here rather than in
``services.demo.profiles``.
"""

from __future__ import annotations

import random
from bisect import bisect, bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from faker import Faker

from core.regions import MAJOR_CITIES

# Rough population (millions) of each division: where customers live. Taiwan is kept small (a
# mainland customer base) and every division has a floor so all 34 appear in a few thousand.
POPULATION: dict[str, float] = {
    "北京市": 21.9, "天津市": 13.9, "河北省": 74.6, "山西省": 34.9, "内蒙古自治区": 24.0,
    "辽宁省": 42.6, "吉林省": 24.1, "黑龙江省": 31.9, "上海市": 24.9, "江苏省": 84.7,
    "浙江省": 64.6, "安徽省": 61.0, "福建省": 41.5, "江西省": 45.2, "山东省": 101.5,
    "河南省": 99.4, "湖北省": 57.8, "湖南省": 66.4, "广东省": 126.0, "广西壮族自治区": 50.1,
    "海南省": 10.1, "重庆市": 32.1, "四川省": 83.7, "贵州省": 38.6, "云南省": 47.2,
    "西藏自治区": 3.6, "陕西省": 39.5, "甘肃省": 25.0, "青海省": 5.9, "宁夏回族自治区": 7.2,
    "新疆维吾尔自治区": 25.9, "台湾省": 3.0, "香港特别行政区": 7.5, "澳门特别行政区": 3.0,
}

AREA_CODES: dict[str, str] = {
    "北京市": "010", "天津市": "022", "石家庄市": "0311", "太原市": "0351", "呼和浩特市": "0471",
    "沈阳市": "024", "大连市": "0411", "长春市": "0431", "哈尔滨市": "0451", "上海市": "021",
    "南京市": "025", "苏州市": "0512", "无锡市": "0510", "杭州市": "0571", "宁波市": "0574",
    "合肥市": "0551", "福州市": "0591", "厦门市": "0592", "南昌市": "0791", "济南市": "0531",
    "青岛市": "0532", "郑州市": "0371", "武汉市": "027", "长沙市": "0731", "广州市": "020",
    "深圳市": "0755", "东莞市": "0769", "佛山市": "0757", "南宁市": "0771", "海口市": "0898",
    "重庆市": "023", "成都市": "028", "贵阳市": "0851", "昆明市": "0871", "拉萨市": "0891",
    "西安市": "029", "兰州市": "0931", "西宁市": "0971", "银川市": "0951", "乌鲁木齐市": "0991",
}

MOBILE_PREFIXES: tuple[str, ...] = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "178", "182", "183", "184", "187", "188", "198", "130", "131", "132", "145", "155", "156",
    "166", "175", "176", "185", "186", "133", "149", "153", "173", "177", "180", "181", "189",
    "191", "199",
)

FREE_MAIL: tuple[tuple[str, float], ...] = (
    ("163.com", 20), ("126.com", 8), ("sina.com", 4), ("sohu.com", 2), ("foxmail.com", 5),
    ("gmail.com", 3), ("outlook.com", 3), ("yeah.net", 2), ("139.com", 5), ("aliyun.com", 3),
)


SLOTS = 4096


class Weighted:
    """Weighted choice from a uniform number in [0, 1) by table lookup (no search per call).

    The table has 4096 slots, so weights are honoured to about 0.02 %; a value too light to
    get a slot is refused rather than silently never chosen.
    """

    __slots__ = ("table",)

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        pairs = [(v, w) for v, w in pairs if w > 0]
        cum: list[float] = []
        acc = 0.0
        for _, w in pairs:
            acc += w
            cum.append(acc)
        self.table = [pairs[min(bisect(cum, (k + 0.5) / SLOTS * acc), len(pairs) - 1)][0]
                      for k in range(SLOTS)]
        missing = {v for v, _ in pairs} - set(self.table)
        if missing:
            raise ValueError(f"weights too small for the choice table: {sorted(missing)}")

    def pick(self, u: float) -> Any:
        return self.table[int(u * SLOTS)]


class Products:
    """A profile's products by list price, for an order of any value or of about a value."""

    def __init__(self, products: tuple[tuple[str, int], ...]) -> None:
        self.items = sorted(products, key=lambda p: (p[1], p[0]))
        self.prices = [p for _, p in self.items]

    def any(self, u: float) -> tuple[str, int]:
        return self.items[int(u * len(self.items))]

    def near(self, u: float, value: float) -> tuple[str, int]:
        """A product worth an eighth of ``value`` to ``value`` (a few of it make the value);
        the dearest when none is."""
        lo = bisect_left(self.prices, value / 8)
        hi = bisect_right(self.prices, value)
        if lo >= hi:
            return self.items[min(hi, len(self.items)) - 1] if hi else self.items[0]
        return self.items[lo + int(u * (hi - lo))]


def coprime_multiplier(rng: random.Random, modulus_digits: int) -> int:
    """An odd multiplier not divisible by 5, so ``i -> i*a+b mod 10**n`` is a bijection."""
    while True:
        a = rng.randrange(10 ** (modulus_digits - 1), 10 ** modulus_digits) | 1
        if a % 5:
            return a


# ---- pools built once from Faker --------------------------------------------------------------

@dataclass(frozen=True)
class Pools:
    surnames: list[str]
    male_given: list[str]
    female_given: list[str]
    streets: list[str]
    brands: list[str]
    logins: list[str]
    domains: list[str]


_BRAND_CHARS = ("华鑫恒泰瑞达源兴信诚博宏盛安新天利汇和通海聚嘉佳富康元德合美正隆东星光明创智联"
                "云金永昌丰茂腾飞远辉润禾致卓越君晟弘峰尚成锦宇航鼎振启益久万")
_BRAND_ENDINGS = ("公司", "电子", "软件", "信息", "计算机", "科技", "数字", "电脑")


_STREET_ROOTS = (
    "人民", "解放", "中山", "建设", "和平", "胜利", "新华", "文化", "光明", "朝阳", "青年", "长江",
    "黄河", "滨江", "环城", "工业", "科技", "学府", "五一", "东风", "建国", "民主", "团结", "友谊",
    "幸福", "复兴", "振兴", "繁荣", "新民", "育才", "府前", "公园", "体育", "花园", "湖滨", "滨河",
    "迎宾", "站前", "新城", "金桥", "银河", "世纪", "创业", "红旗", "前进", "春晖", "锦绣", "翠微",
    "凤凰", "梧桐", "桂花", "玉兰", "松柏", "南湖", "龙腾", "兴业", "通达", "康宁", "安居", "丰收",
    "园林", "财富", "金融", "商业", "文昌", "书院", "开元", "永安", "太平", "惠民", "利民", "振华",
)
_STREET_SUFFIXES = ("路", "大道", "街", "大街", "东路", "西路", "南路", "北路", "中路")


@lru_cache(maxsize=1)
def city_short_names() -> frozenset[str]:
    """Every demo city's name without 市 (``core.regions.MAJOR_CITIES``), two characters or
    more: what an address may not name unless it is the customer's own city."""
    names = set()
    for cities in MAJOR_CITIES.values():
        for city in cities:
            short = city.removesuffix("市")
            for tail in ("蒙古族藏族自治州", "自治州"):
                short = short.removesuffix(tail)
            if len(short) >= 2:
                names.add(short)
    return frozenset(names)


def names_a_city(text: str) -> bool:
    return any(name in text for name in city_short_names())


def street_names() -> list[str]:
    """Street names found in most Chinese cities (人民路, 解放大道 ...), none naming a city: an
    address names its customer's own city first, and no other (Faker's street names are
    mostly "another city + 路": a 唐山 customer on 沈阳大道)."""
    return sorted(f"{root}{suffix}" for root in _STREET_ROOTS for suffix in _STREET_SUFFIXES
                  if not names_a_city(root))


@lru_cache(maxsize=4)
def build_pools(seed: int) -> Pools:
    """A few thousand Faker values, combined per row with the seeded RNG (Faker per row is slow)."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(f"pools:{seed}")
    surnames = [fake.last_name() for _ in range(3000)]
    given: dict[bool, list[str]] = {}
    for male in (True, False):
        faker_names = [fake.first_name_male() if male else fake.first_name_female()
                       for _ in range(1500)]
        chars = sorted({c for n in faker_names for c in n})
        combos = ["".join(rng.sample(chars, 2)) for _ in range(2500)]
        given[male] = faker_names + combos
    streets = street_names()
    # Faker has only ~80 company prefixes; add two-character trade names from common characters.
    brands = {b for b in (fake.company_prefix() for _ in range(1000))
              if 2 <= len(b) <= 4 and b.isalpha() and not b.endswith(_BRAND_ENDINGS)}
    brands |= {"".join(rng.sample(_BRAND_CHARS, 2)) for _ in range(4000)}
    brands = sorted(b for b in brands if not names_a_city(b))
    logins = sorted({"".join(c for c in fake.user_name() if c.isascii() and c.isalpha())
                     for _ in range(5000)} - {""})
    domains = sorted({fake.domain_name() for _ in range(3000)})
    return Pools(surnames, given[True], given[False], streets, brands, logins, domains)


