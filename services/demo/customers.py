"""Who a demo customer is: type, place, industry, owner, names, numbers and contact details.

The rows' other columns (tier, lifecycle, dates of the last order and contact) follow from the
records made by the other generators; ``services.demo.generator`` puts them together.
"""

from __future__ import annotations

import math
import random
from datetime import date
from typing import NamedTuple

from core.regions import CODE_BY_PROVINCE
from services.customers.idcodes import make_credit_code, make_resident_id
from services.demo.context import Context, Rnd
from services.demo.pools import AREA_CODES, MOBILE_PREFIXES

PHI = (math.sqrt(5) - 1) / 2
"""Provinces are drawn from a golden-ratio sequence: every division shows up in a few
thousand customers, in proportion to its population."""


class Identity(NamedTuple):
    """The columns of a customer row that describe the customer (not its activity)."""

    ctype: str
    person: bool
    gender: str | None
    name: str
    mobile: str
    phone: str | None
    email: str | None
    id_number: str
    company: str | None
    title: str | None
    industry: str
    province: str
    city: str
    address: str
    owner: int
    source: str
    notes: str | None
    consent: bool


class Place(NamedTuple):
    province: str
    city: str
    city_short: str
    prov_code: int
    street: str
    area: str | None


def identity(ctx: Context, rng: random.Random, i: int) -> Identity:
    """Customer ``i``'s identity: a person (个人) or an organisation (企业, 机构)."""
    rnd = rng.random
    choose = ctx.choose
    ctype = choose.types.pick(rnd())
    person = ctype == "个人"
    province = choose.provinces.pick((ctx.phi_offset + i * PHI) % 1.0)
    city = choose.cities[province].pick(rnd())
    city_short = city[:-1] if city.endswith("市") and len(city) > 2 else city
    industry = choose.industries[ctype].pick(rnd())
    owner = (ctx.owner_person if person else ctx.owner_org).pick(rnd())
    streets = ctx.pools.streets
    place = Place(province, city, city_short, CODE_BY_PROVINCE[province],
                  streets[int(rnd() * len(streets))], AREA_CODES.get(city))
    mobile = (MOBILE_PREFIXES[int(rnd() * len(MOBILE_PREFIXES))]
              + f"{(i * ctx.mobile_a + ctx.mobile_b) % 100_000_000:08d}")
    if person:
        details = person_details(ctx, rng, i, place, industry)
    else:
        details = organisation_details(ctx, rng, i, place, ctype, industry)
    gender, name, id_number, company, title, email, phone, address, notes, consent = details
    sources = choose.sources_person if person else choose.sources_org
    return Identity(ctype, person, gender, name, mobile, phone, email, id_number, company, title,
                    industry, province, city, address, owner, sources.pick(rnd()), notes,
                    consent)


def person_details(ctx: Context, rng: random.Random, i: int, place: Place,
                   industry: str) -> tuple:
    """Gender, name, 身份证号 (born in the province mostly), employer, contact, home address."""
    rnd = rng.random
    pools, profile = ctx.pools, ctx.profile
    male = rnd() < 0.51
    given = pools.male_given if male else pools.female_given
    name = pools.surnames[int(rnd() * len(pools.surnames))] + given[int(rnd() * len(given))]
    age = 22 + int(48 * rnd() ** 1.4)
    birth = date.fromordinal(ctx.today_ord - age * 365 - int(rnd() * 365))
    id_code = place.prov_code if rnd() < 0.85 else CODE_BY_PROVINCE[
        ctx.choose.provinces.pick(rnd())]
    id_number = make_resident_id(rng, id_code, birth, male=male)
    if rnd() < 0.55:
        company = company_name(ctx, rnd, place.city_short, industry)
        title = profile.person_titles[int(rnd() * len(profile.person_titles))]
    else:
        company = title = None
    email = email_address(ctx, rnd, i, corporate=False) if rnd() < 0.65 else None
    phone = None
    if place.area and rnd() < 0.05:
        phone = f"{place.area}-{landline(rnd)}"
    room = (1 + int(rnd() * 28)) * 100 + 1 + int(rnd() * 4)
    address = (f"{place.city}{place.street}{1 + int(rnd() * 300)}号{1 + int(rnd() * 30)}栋"
               f"{1 + int(rnd() * 6)}单元{room}室")
    notes = (profile.person_notes[int(rnd() * len(profile.person_notes))]
             if rnd() < 0.15 else None)
    consent = rnd() < 0.88
    return ("男" if male else "女", name, id_number, company, title, email, phone, address,
            notes, consent)


def organisation_details(ctx: Context, rng: random.Random, i: int, place: Place, ctype: str,
                         industry: str) -> tuple:
    """Name, 统一社会信用代码, switchboard, office address, and the contact person in notes."""
    rnd = rng.random
    pools, profile = ctx.pools, ctx.profile
    if ctype == "机构":
        name = institution_name(ctx, rnd, place.province, place.city, industry)
    else:
        name = company_name(ctx, rnd, place.city_short, industry)
    id_number = make_credit_code(rng, province_code=place.prov_code,
                                 institution=ctype == "机构")
    email = email_address(ctx, rnd, i, corporate=True) if rnd() < 0.85 else None
    phone = None
    if place.area and rnd() < 0.75:
        phone = f"{place.area}-{landline(rnd)}"
    address = (f"{place.city}{place.street}{1 + int(rnd() * 999)}号"
               + (f"{pools.brands[int(rnd() * len(pools.brands))][:2]}大厦"
                  f"{2 + int(rnd() * 30)}层" if rnd() < 0.6 else ""))
    given = pools.male_given if rnd() < 0.5 else pools.female_given
    contact = pools.surnames[int(rnd() * len(pools.surnames))] + given[int(rnd() * len(given))]
    titles = profile.contact_titles
    notes = f"联系人：{contact}（{titles[int(rnd() * len(titles))]}）"
    if rnd() < 0.3:
        notes += "；" + profile.org_notes[int(rnd() * len(profile.org_notes))]
    consent = rnd() < 0.7
    return None, name, id_number, name, None, email, phone, address, notes, consent


def company_name(ctx: Context, rnd: Rnd, city_short: str, industry: str) -> str:
    words = ctx.profile.industry_words
    words = words.get(industry) or words["其他"]
    brand = ctx.pools.brands[int(rnd() * len(ctx.pools.brands))]
    return f"{city_short}{brand}{words[int(rnd() * len(words))]}{ctx.choose.suffixes.pick(rnd())}"


def institution_name(ctx: Context, rnd: Rnd, province: str, city: str, industry: str) -> str:
    names = ctx.profile.institution_names
    forms = names.get(industry) or names["其他"]
    form = forms[int(rnd() * len(forms))]
    prov = province.removesuffix("省").removesuffix("市")
    for long in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区"):
        prov = prov.removesuffix(long)
    return form.format(city=city, prov=prov, n="一二三四五六七八九"[int(rnd() * 9)])


def landline(rnd: Rnd) -> str:
    """Eight digits: the length in every city the area-code table lists."""
    return f"{2 + int(rnd() * 7)}{int(rnd() * 10 ** 7):07d}"


def email_address(ctx: Context, rnd: Rnd, i: int, *, corporate: bool) -> str:
    """Unique by construction: the digits are a bijection of the customer's index."""
    logins = ctx.pools.logins
    if corporate:
        domain = ctx.pools.domains[int(rnd() * len(ctx.pools.domains))]
    elif rnd() < 0.4:
        return f"{10 ** 8 + (i * ctx.qq_a + ctx.qq_b) % 10 ** 9}@qq.com"
    else:
        domain = ctx.choose.free_mail.pick(rnd())
    login = logins[int(rnd() * len(logins))]
    return f"{login}{(i * ctx.mail_a + ctx.mail_b) % 10 ** 7}@{domain}"
