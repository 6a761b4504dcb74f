"""Invented people and companies for the demo: names, phone numbers, resident ID numbers and
unified social credit codes whose check characters are computed by the rules of
/work/shared/reference/identifiers.md (GB 11643-1999, GB 11714-1997, GB 32100-2015), so that
every generated identifier passes `banchengshi.identifiers`.
"""

from __future__ import annotations

import datetime as dt
import random

from banchengshi.identifiers import (
    CREDIT_ALPHABET,
    CREDIT_WEIGHTS,
    ID_CHECK_CHARACTERS,
    ID_WEIGHTS,
)

# The commonest surnames, most frequent first (weights fall off along the list).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_WEIGHTS = [1.0 / (1 + i / 12) for i in range(len(SURNAMES))]
SINGLE_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华萍鹏辉斌宇浩凯健琳婷雪慧颖"
DOUBLE_GIVEN = (
    "建国",
    "建华",
    "志强",
    "志明",
    "海燕",
    "晓东",
    "晓燕",
    "雪梅",
    "红梅",
    "丹凤",
    "佳怡",
    "子涵",
    "欣怡",
    "梓轩",
    "浩然",
    "宇轩",
    "一诺",
    "思远",
    "嘉怡",
    "文博",
    "俊杰",
    "晨曦",
    "雨桐",
    "佳琪",
    "家豪",
    "宏伟",
    "金凤",
    "美玲",
    "凤英",
    "德明",
    "秀英",
    "桂英",
    "玉兰",
    "秀兰",
    "国强",
    "丽华",
    "卫东",
    "爱华",
    "永红",
    "振华",
)

# Resident ID address codes (GB/T 2260): Shanghai's districts, then places people come from.
SHANGHAI_AREAS = ("310107",) * 6 + (
    "310101",
    "310104",
    "310105",
    "310106",
    "310109",
    "310110",
    "310112",
    "310113",
    "310115",
)
OTHER_AREAS = (
    "320102",
    "320583",
    "330106",
    "340104",
    "360102",
    "370102",
    "410105",
    "420106",
    "430104",
    "510104",
    "500103",
    "230103",
)

MOBILE_PREFIXES = tuple(
    str(prefix) for prefix in (*range(130, 140), *range(150, 154), *range(155, 160), 166)
) + tuple(str(p) for p in (173, 175, 176, 177, 178, *range(180, 190), 191, 198, 199))

# Organisation codes (GB 11714-1997): eight characters and a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # only characters a credit code may hold

_TRADE = (
    "恒源锦华申达沪宁瑞丰嘉禾鼎盛华信宏泰永安联创金桥长风曹杨"
    "真如桃浦万里宜川凯越启明蓝海尚品德润信达汇通新途优选佳禾百川福满"
)
TRADE_NAMES = tuple(_TRADE[i : i + 2] for i in range(0, len(_TRADE), 2))
INDUSTRIES = (
    "餐饮管理",
    "贸易",
    "信息科技",
    "建筑装饰工程",
    "文化传媒",
    "物业管理",
    "医药",
    "电子商务",
    "企业管理咨询",
    "供应链管理",
    "教育科技",
    "健康管理",
)
SHOP_KINDS = ("小吃店", "便利店", "理发店", "水果店", "面馆", "五金店", "洗衣店", "花店")


def person_name(rng: random.Random) -> tuple[str, str]:
    """(surname, given name) of an invented person."""
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    given = rng.choice(SINGLE_GIVEN) if rng.random() < 0.35 else rng.choice(DOUBLE_GIVEN)
    return surname, given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def contact_phone(rng: random.Random) -> str:
    """Mostly a mobile; now and then a Shanghai landline (021-…)."""
    if rng.random() < 0.05:
        return f"021-{rng.choice('3456')}{rng.randrange(10_000_000):07d}"
    return mobile(rng)


def id_check_character(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def id_number(rng: random.Random, born_after: int = 1940, born_before: int = 2006) -> str:
    """A valid resident ID number: real birth date, odd or even sequence, computed check."""
    area = rng.choice(SHANGHAI_AREAS) if rng.random() < 0.7 else rng.choice(OTHER_AREAS)
    first = dt.date(born_after, 1, 1).toordinal()
    last = dt.date(born_before, 12, 31).toordinal()
    birth = dt.date.fromordinal(rng.randint(first, last))
    body = f"{area}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + id_check_character(body)


def org_code(rng: random.Random) -> str:
    """A nine-character organisation code, "MA" style as issued since 2015, with its check."""
    body = "MA1" + "".join(rng.choice(_ORG_BODY) for _ in range(5))
    total = sum(_ORG_BODY.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_check_character(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code(rng: random.Random, *, sole_trader: bool = False) -> str:
    """A valid unified social credit code: 9 (market regulator), 1 company / 2 sole trader,
    a Shanghai division code (mostly Putuo, 310107), an organisation code, the check."""
    division = "310107" if rng.random() < 0.75 else rng.choice(SHANGHAI_AREAS)
    body = f"9{'2' if sole_trader else '1'}{division}{org_code(rng)}"
    return body + credit_check_character(body)


# An industry that fits the matter, when its name says which.
INDUSTRY_HINTS = (
    ("食品", "餐饮管理"),
    ("餐饮", "餐饮管理"),
    ("药品", "医药"),
    ("医疗器械", "医疗器械"),
    ("特种设备", "机电设备"),
    ("建设工程", "建设发展"),
    ("房", "房地产经纪"),
)


def enterprise_name(
    rng: random.Random, *, sole_trader: bool = False, owner: str = "", matter: str = ""
) -> str:
    if sole_trader:
        return f"上海市普陀区{owner or rng.choice(TRADE_NAMES)}{rng.choice(SHOP_KINDS)}"
    industry = next((kind for word, kind in INDUSTRY_HINTS if word in matter), "")
    return f"上海{rng.choice(TRADE_NAMES)}{industry or rng.choice(INDUSTRIES)}有限公司"
