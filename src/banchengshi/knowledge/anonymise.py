"""A closed case's texts with every personal datum removed, for a knowledge entry drafted
from it ("收入案例库"). Builds on intake.redaction (e-mail, ID numbers, credit codes, phones)
and adds what a library entry must not keep either: the case's own names and numbers
wherever they occur, forms of address (张先生), enterprise names and street addresses.

Over-masking a few words is the accepted cost: the reviewer reads the draft before it is
published and may restore what was not personal."""

from __future__ import annotations

import re

from banchengshi.intake.redaction import MASK, redact

HAN = "\u4e00-\u9fff"
# Function words that end the name before them: "张三的上海某某公司" masks only the company.
_NAME_CHAR = rf"(?:(?![的在是了和与向到从给为把被住于及对说称找去来])[{HAN}A-Za-z0-9（）()])"
_PLACE_CHAR = rf"(?:(?![的在是了和与向到从给为把被住于及对说称找去来])[{HAN}])"
# A surname followed by a form of address: 张先生, 王女士, 李阿姨, 老陈.
ADDRESSED = re.compile(rf"[{HAN}](?:先生|女士|小姐|师傅|阿姨|大爷|老师|同志)|老[{HAN}](?![{HAN}])")
# An enterprise's name ends in its legal form; the name before it is up to 20 characters.
ENTERPRISE = re.compile(
    rf"{_NAME_CHAR}{{2,20}}?"
    r"(?:有限责任公司|股份有限公司|有限公司|分公司|集团|公司|合作社|工作室|个体工商户|商行|门市部)"
)
# A street address: road/lane/village with a number, then building and room numbers.
ADDRESS = re.compile(
    rf"{_PLACE_CHAR}{{0,12}}(?:路|街|大道|弄|巷|村|小区|新村|苑|公寓|花园)"
    r"\s*[0-9０-９一二三四五六七八九十百千]+\s*(?:弄|号|支弄)"
    r"(?:\s*[0-9０-９]+\s*(?:号楼|幢|栋|号|单元|楼|层|室))*"
    r"|[0-9０-９]+\s*(?:号楼|幢|栋)\s*[0-9０-９]+\s*室"
)


def anonymise(text: str, *, known: tuple[str, ...] = ()) -> str:
    """`text` without personal data. `known`: the case's own petitioner name, enterprise
    name, phone, ID number and credit code, removed wherever they occur (also inside longer
    words, as names are in Chinese text)."""
    # Known values first: a name inside an address or an enterprise name is gone either way.
    for value in sorted({v.strip() for v in known if v and v.strip()}, key=len, reverse=True):
        if len(value) >= 2:
            text = text.replace(value, MASK)
    text = ENTERPRISE.sub(MASK, text)
    text = ADDRESS.sub(MASK, text)
    text = ADDRESSED.sub(MASK, text)
    return redact(text)
