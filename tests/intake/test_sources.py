"""Source files are data, validated when loaded, with errors naming the file and the key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from banchengshi.cases.registration import Registration
from banchengshi.intake import sources
from banchengshi.intake.checks import check_sources
from banchengshi.intake.mapping import SHANGHAI, as_text, parse_instant
from banchengshi.intake.open311.attributes import ATTRIBUTES
from banchengshi.intake.sources import SourceError, Template, parse_source

MINIMAL = """
key = "box"
name = "意见箱"
channel = "suggestion_box"
id = "编号"

[fields]
petitioner_name = "姓名"
phone = "电话"
description = "意见"
matter_text = "事项"
"""


def test_the_shipped_sources_validate() -> None:
    found = sources.all_sources()
    assert set(found) == {"12345", "midway_exit", "review_platform"}
    assert found["12345"].channel == "hotline_12345"
    assert found["review_platform"].accept == {"评价等级": ("不满意", "非常不满意")}
    assert found["midway_exit"].columns[0] == "反馈编号"


def test_a_minimal_source() -> None:
    source = parse_source(MINIMAL, "box.toml")
    assert source.columns == ("编号", "姓名", "电话", "意见", "事项")
    assert source.acknowledge is True
    assert source.column_for("phone") == "电话"
    assert source.column_for("matter_id") == "事项"
    assert source.column_for("external_id") == "编号"
    assert source.column_for("visits_count") == "visits_count"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('key = "box"', 'key = "Box!"', "'key' must be 1 to 32 lower-case letters"),
        ('channel = "suggestion_box"', 'channel = "pigeon"', "unknown channel 'pigeon'"),
        ('id = "编号"', 'id = "编号"\ncolour = 1', "unknown keys colour"),
        ('id = "编号"', 'id = "编号"\nacknowledge = 1', "'acknowledge' must be true or false"),
        ('matter_text = "事项"', 'favourite = "x"', "'favourite' is not a registration field"),
        ("", '[templates]\nrequest = "{a.__class__}"', "must be a plain column name"),
        ("", '[templates]\nrequest = "{a!r}"', "must be a plain column name"),
        ("", '[templates]\nrequest = "no columns"', "the template names no column"),
        ("", '[templates]\nrequest = "{unclosed"', "is not a valid template"),
        ("", '[templates]\nvisits_count = "{a}"', "'visits_count' is not a registration field"),
        ("", '[defaults]\ncategory = "gossip"', "category = 'gossip' is not one of our choices"),
        ("", '[values.category]\n"投诉" = "complain"', "'投诉' = 'complain'; our choices are"),
        ("", '[values.window]\n"a" = "b"', "'window' is not a registration field"),
        ("", '[accept]\n"等级" = []', "'等级' must list the values that are taken in"),
    ],
)
def test_a_broken_source_names_the_problem(old: str, new: str, problem: str) -> None:
    text = MINIMAL.replace(old, new) if old else f"{MINIMAL}\n{new}\n"
    with pytest.raises(SourceError, match=r"^box\.toml") as raised:
        parse_source(text, "box.toml")
    assert problem in str(raised.value)


def test_a_field_mapped_twice_and_a_field_missing() -> None:
    with pytest.raises(SourceError, match="description in both"):
        parse_source(MINIMAL + '\n[templates]\ndescription = "{意见}"', "box.toml")
    without_phone = MINIMAL.replace('phone = "电话"\n', "")
    with pytest.raises(SourceError, match="nothing gives 'phone'"):
        parse_source(without_phone, "box.toml")


def test_the_file_name_is_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "other.toml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(sources, "SOURCE_DIR", tmp_path)
    sources.all_sources.cache_clear()
    try:
        with pytest.raises(SourceError, match="'key' is 'box', expected 'other'"):
            sources.all_sources()
    finally:
        sources.all_sources.cache_clear()


def test_template_segments_need_all_their_columns() -> None:
    template = Template((("“{a}”在“{b}”退出。", ("a", "b")), ("原因：{c}。", ("c",))))
    assert template.render({"a": "甲", "b": "乙", "c": "丙"}) == "“甲”在“乙”退出。原因：丙。"
    assert template.render({"a": "甲", "b": "", "c": "丙"}) == "原因：丙。"
    assert template.render({"a": "{b}", "b": "乙"}) == "“{b}”在“乙”退出。"
    assert template.render({}) == ""


# Spreadsheet cells hold times without a zone: openpyxl gives naive datetimes.


def test_values_from_spreadsheets_are_read_as_text() -> None:
    assert as_text(13812345678.0) == "13812345678"
    assert as_text(2.5) == "2.5"
    assert as_text(None) == ""
    assert as_text(dt.datetime(2026, 11, 20, 9, 30)) == "2026-11-20 09:30:00"  # noqa: DTZ001


def test_times_without_an_offset_are_beijing_time() -> None:
    expected = dt.datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)
    assert parse_instant("2026-11-20 09:30") == expected
    assert parse_instant("2026/11/20 09:30:00") == expected
    assert parse_instant("2026-11-20T01:30:00Z") == expected
    assert parse_instant(dt.datetime(2026, 11, 20, 9, 30)) == expected  # noqa: DTZ001
    assert parse_instant("0001-01-01 00:00") is None
    assert parse_instant("下午三点") is None


def test_open311_attribute_codes_are_registration_fields() -> None:
    fields = {field.name for field in dataclasses.fields(Registration)}
    assert {attribute.code for attribute in ATTRIBUTES} <= fields


def test_a_broken_file_stops_the_server_at_the_system_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "box.toml").write_text(MINIMAL.replace("suggestion_box", "pigeon"), "utf-8")
    monkeypatch.setattr(sources, "SOURCE_DIR", tmp_path)
    sources.all_sources.cache_clear()
    try:
        [error] = check_sources(None)
    finally:
        sources.all_sources.cache_clear()
    assert error.id == "banchengshi.E101"
    assert "box.toml: unknown channel 'pigeon'" in error.msg
