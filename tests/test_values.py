"""Cell values as club staff really type them (sheets_sync.values)."""

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from sheets_sync.values import (
    Unreadable, clean_text, display, excel_serial_to_date, fold, format_date, format_money,
    is_blank, parse_choice, parse_date, parse_email, parse_integer, parse_money, parse_percent,
    parse_phone, parse_text, strip_diacritics,
)

NBSP = "\u00a0"


def nfd(text):
    return unicodedata.normalize("NFD", text)


def p(value, expected, id, kind=None):
    """One table row: the value (with its format hint) and what it reads as."""
    return pytest.param(value, kind, expected, id=id)


# ---------------------------------------------------------------- text helpers

@pytest.mark.parametrize("value, expected", [
    pytest.param(None, "", id="none"),
    pytest.param("  Nguyễn   Thị  Lan ", "Nguyễn Thị Lan", id="stray-spaces"),
    pytest.param(f"Nguyễn{NBSP}Thị\u202fLan\u2007", "Nguyễn Thị Lan", id="nbsp-narrow-figure"),
    pytest.param("Tổ\t1\nxóm", "Tổ 1 xóm", id="tab-newline"),
    pytest.param(nfd("Đã hỗ trợ"), "Đã hỗ trợ", id="nfd-to-nfc"),
    pytest.param("a\u200bb", "ab", id="zero-width-space"),
    pytest.param(1234.0, "1234", id="whole-float"),
    pytest.param(12.5, "12.5", id="float"),
    pytest.param(1e20, "100000000000000000000", id="big-float-no-exponent"),
    pytest.param(1234, "1234", id="int"),
    pytest.param(Decimal("12.50"), "12.5", id="decimal"),
    pytest.param(True, "TRUE", id="bool"),
    pytest.param(dt.date(2026, 10, 5), "05/10/2026", id="date"),
    pytest.param(dt.datetime(2026, 10, 5, 14, 30), "05/10/2026", id="datetime"),
])
def test_clean_text(value, expected):
    assert clean_text(value) == expected
    assert unicodedata.is_normalized("NFC", clean_text(value))


@pytest.mark.parametrize("value, expected", [
    pytest.param(nfd("  ĐÃ HỖ TRỢ "), "đã hỗ trợ", id="nfd-upper"),
    pytest.param(f"Nữ{NBSP}", "nữ", id="nbsp"),
])
def test_fold(value, expected):
    assert fold(value) == expected


@pytest.mark.parametrize("text, expected", [
    pytest.param("Đã hỗ trợ", "Da ho tro", id="d-stroke"),
    pytest.param(nfd("Đang hỗ trợ"), "Dang ho tro", id="nfd"),
    pytest.param("đồng", "dong", id="lower-d-stroke"),
    pytest.param("Thủ tục pháp lý", "Thu tuc phap ly", id="plain"),
])
def test_strip_diacritics(text, expected):
    assert strip_diacritics(text) == expected


@pytest.mark.parametrize("value, expected", [
    pytest.param(None, True, id="none"),
    pytest.param("", True, id="empty"),
    pytest.param(f"  {NBSP}\t", True, id="spaces-nbsp-tab"),
    pytest.param(float("nan"), True, id="nan-from-pandas"),
    pytest.param("x", False, id="text"),
    pytest.param(0, False, id="zero"),
    pytest.param(False, False, id="false"),
    pytest.param(dt.date(2026, 1, 1), False, id="date"),
])
def test_is_blank(value, expected):
    assert is_blank(value) is expected


@pytest.mark.parametrize("value, kind, expected", [
    p(nfd(" Nữ "), " Nữ ", "str-as-typed-nfc"),
    p(123, "123", "int"),
    p(1500000.0, "1500000", "whole-float"),
    p(0.5, "0.5", "float"),
    p(dt.date(2026, 10, 5), "05/10/2026", "date"),
    p(dt.datetime(2026, 10, 5, 8, 0), "05/10/2026", "datetime"),
    p(None, "", "none"),
    p(True, "TRUE", "true"),
    p(False, "FALSE", "false"),
    p(0.015, "1.5%", "percent-cell", kind="percent"),
    p(46300, "05/10/2026", "date-serial", kind="date"),
])
def test_display(value, kind, expected):
    assert display(value, kind) == expected


@pytest.mark.parametrize("amount, expected", [
    pytest.param(1000000, "1.000.000 đ", id="million"),
    pytest.param(0, "0 đ", id="zero"),
    pytest.param(999, "999 đ", id="no-group"),
    pytest.param(12345678, "12.345.678 đ", id="groups"),
    pytest.param(-1000000, "-1.000.000 đ", id="negative"),
])
def test_format_money(amount, expected):
    assert format_money(amount) == expected


def test_format_date():
    assert format_date(dt.date(2026, 10, 5)) == "05/10/2026"


@pytest.mark.parametrize("serial, expected", [
    pytest.param(43831, dt.date(2020, 1, 1), id="2020-01-01"),
    pytest.param(46300.75, dt.date(2026, 10, 5), id="time-fraction-floored"),
    pytest.param(61, dt.date(1900, 3, 1), id="after-fake-leap-day"),
])
def test_excel_serial_to_date(serial, expected):
    assert excel_serial_to_date(serial) == expected


# ---------------------------------------------------------------- formula errors

ERRORS = ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!",
          "#SPILL!", "#CALC!", "#GETTING_DATA", " #ref! ", "#n/a"]
PARSERS = {
    "text": parse_text, "date": parse_date, "money": parse_money, "percent": parse_percent,
    "integer": parse_integer, "phone": parse_phone, "email": parse_email,
    "choice": lambda value, kind=None: parse_choice(value, ["Nam", "Nữ"], kind=kind),
}


@pytest.mark.parametrize("column", PARSERS)
@pytest.mark.parametrize("literal", ERRORS)
def test_formula_error_literal(column, literal):
    with pytest.raises(Unreadable) as caught:
        PARSERS[column](literal)
    assert (caught.value.kind, caught.value.reason, caught.value.rule) == (column, "formula-error", "formula-error")


@pytest.mark.parametrize("column", PARSERS)
def test_formula_error_kind(column):
    with pytest.raises(Unreadable) as caught:
        PARSERS[column]("anything", kind="error")
    assert caught.value.rule == "formula-error"


@pytest.mark.parametrize("column", [c for c in PARSERS if c != "text"])
@pytest.mark.parametrize("blank", [None, "", f" {NBSP} "], ids=["none", "empty", "nbsp"])
def test_blank_is_unreadable(column, blank):
    with pytest.raises(Unreadable) as caught:
        PARSERS[column](blank)
    assert caught.value.reason == "unreadable"


def test_parse_text():
    assert parse_text(nfd(f" Chị{NBSP}Lan ")) == "Chị Lan"


# ---------------------------------------------------------------- dates

OCT5 = dt.date(2026, 10, 5)


@pytest.mark.parametrize("value, kind, expected", [
    p("05/10/2026", OCT5, "dd/mm/yyyy"),
    p("5/10/2026", OCT5, "d/mm/yyyy"),
    p("5-10-2026", OCT5, "dashes"),
    p("05.10.2026", OCT5, "dots"),
    p(" 05 / 10 / 2026 ", OCT5, "spaced"),
    p(f"05/10/2026{NBSP}", OCT5, "nbsp"),
    p("2026-10-05", OCT5, "iso"),
    p("2026/10/05", OCT5, "year-first-slashes"),
    p("05/10/2026 14:30", OCT5, "with-time"),
    p("05/10/2026 14:30:59", OCT5, "with-seconds"),
    p("2026-10-05T14:30:00", OCT5, "iso-datetime"),
    p("46300", OCT5, "serial-text"),
    p(46300, OCT5, "serial-int"),
    p(46300.75, OCT5, "serial-with-time-floored"),
    p(43831, dt.date(2020, 1, 1), "serial-2020-01-01"),
    p(Decimal(43831), dt.date(2020, 1, 1), "serial-decimal"),
    p(2026, dt.date(1905, 7, 18), "small-serial-in-date-cell", kind="date"),
    p(dt.datetime(2026, 10, 5, 23, 59), OCT5, "datetime"),
    p(OCT5, OCT5, "date"),
    p("ngày 5 tháng 10 năm 2026", OCT5, "vietnamese-words"),
    p(nfd("Ngày 05 tháng 10 năm 2026"), OCT5, "vietnamese-words-nfd"),
    p("5 thang 10 nam 2026", OCT5, "vietnamese-no-diacritics"),
    p("29/02/2028", dt.date(2028, 2, 29), "leap-day"),
    p("12/01/2026", dt.date(2026, 1, 12), "day-first-always"),
])
def test_parse_date(value, kind, expected):
    assert parse_date(value, kind) == expected


@pytest.mark.parametrize("value, kind, reason", [
    p("31/02/2026", "no-such-date", "31-feb"),
    p("29/02/2027", "no-such-date", "not-a-leap-year"),
    p("10/13/2026", "no-such-date", "month-first"),
    p("05/10/26", "short-year", "two-digit-year"),
    p("5-10-26", "short-year", "two-digit-year-dashes"),
    p("05/10/1850", "unreadable", "year-too-early"),
    p("05/10/2201", "unreadable", "year-too-late"),
    p(dt.date(1850, 1, 1), "unreadable", "date-object-too-early"),
    p("5/10", "unreadable", "no-year"),
    p("5/10-2026", "unreadable", "mixed-separators"),
    p("hôm qua", "unreadable", "words"),
    p("26-10-05-", "unreadable", "garbage"),
    p(2026, "year-only", "bare-year-number"),
    p("2026", "year-only", "bare-year-text"),
    p(0, "unreadable", "serial-zero"),
    p(-5, "unreadable", "serial-negative"),
    p(2958466, "unreadable", "serial-too-big"),
    p(True, "unreadable", "bool"),
    p(float("inf"), "unreadable", "inf"),
])
def test_parse_date_rejects(value, kind, reason):
    with pytest.raises(Unreadable) as caught:
        parse_date(value, kind)
    assert (caught.value.rule, caught.value.reason) == ("invalid-date", reason)


# ---------------------------------------------------------------- money

@pytest.mark.parametrize("value, kind, expected", [
    p(1500000, 1500000, "int"),
    p(1500000.0, 1500000, "whole-float"),
    p(1499999.9999999998, 1500000, "float-binary-noise"),
    p(Decimal("1500000"), 1500000, "decimal"),
    p(0, 0, "zero"),
    p("1.000.000", 1000000, "dots"),
    p("1,000,000", 1000000, "commas"),
    p("1000000", 1000000, "plain"),
    p("1 000 000", 1000000, "spaces"),
    p(f"1{NBSP}000{NBSP}000", 1000000, "nbsp-groups"),
    p("12,500", 12500, "one-comma-group"),
    p("1.000", 1000, "one-dot-group"),
    p("1500000.0", 1500000, "whole-decimal-text"),
    p("1.000.000,00", 1000000, "groups-and-zero-decimals"),
    p("1.000.000 đ", 1000000, "d-spaced"),
    p("1.000.000đ", 1000000, "d-attached"),
    p("1.000.000 đồng", 1000000, "dong"),
    p(nfd("1.000.000 đồng"), 1000000, "dong-nfd"),
    p("1.000.000 dong", 1000000, "dong-no-diacritics"),
    p("1.000.000 VND", 1000000, "VND"),
    p("1.000.000 vnđ", 1000000, "vnd-stroke"),
    p("1.000.000 ₫", 1000000, "dong-sign"),
    p("1tr", 1000000, "tr"),
    p("1 tr", 1000000, "tr-spaced"),
    p("1 triệu", 1000000, "trieu"),
    p("1 TRIỆU", 1000000, "trieu-upper"),
    p(nfd("1 triệu"), 1000000, "trieu-nfd"),
    p("1 trieu", 1000000, "trieu-no-diacritics"),
    p("1,5 triệu", 1500000, "decimal-comma-trieu"),
    p("1.5 triệu", 1500000, "decimal-dot-trieu"),
    p("1,5tr", 1500000, "decimal-tr"),
    p("1,25 triệu", 1250000, "two-decimals-trieu"),
    p("1,250 triệu", 1250000, "three-decimals-trieu-is-decimal"),
    p("2tr5", 2500000, "2tr5-shorthand"),
    p("2tr500", 2500000, "2tr500-shorthand"),
    p("2tr050", 2050000, "2tr050-shorthand"),
    p("1 triệu 500 nghìn", 1500000, "trieu-and-nghin"),
    p("500k", 500000, "k"),
    p("500K", 500000, "K-upper"),
    p("1,5k", 1500, "decimal-k"),
    p("1.500k", 1500000, "grouped-k"),
    p("500 nghìn", 500000, "nghin"),
    p("500 nghin", 500000, "nghin-no-diacritics"),
    p("500 ngàn", 500000, "ngan"),
    p("500 ngan", 500000, "ngan-no-diacritics"),
    p("500 ng", 500000, "ng"),
    p("500 nghìn đồng", 500000, "nghin-dong"),
    p("1 tỷ", 10**9, "ty"),
    p("1 tỉ", 10**9, "ti"),
    p("1 ty", 10**9, "ty-no-diacritics"),
    p("1,2 tỷ", 1200000000, "decimal-ty"),
])
def test_parse_money(value, kind, expected):
    assert parse_money(value, kind) == expected
    assert type(parse_money(value, kind)) is int


@pytest.mark.parametrize("value, kind, rule", [
    p("-500000", "negative-money", "minus"),
    p("(500.000)", "negative-money", "brackets"),
    p("- 500.000 đ", "negative-money", "minus-with-unit"),
    p(-500000, "negative-money", "negative-int"),
    p(-0.5, "negative-money", "negative-float"),
    p("1,5", "fractional-money", "decimal-comma"),
    p("1.5", "fractional-money", "decimal-dot"),
    p("1.25", "fractional-money", "two-decimals"),
    p("0.500", "fractional-money", "leading-zero-is-not-grouping"),
    p(1500000.5, "fractional-money", "fractional-float"),
    p(Decimal("0.5"), "fractional-money", "fractional-decimal"),
    p("1,5 nghìn đồng 5", "invalid-money", "trailing-digits-after-decimal-term"),
    p("abc", "invalid-money", "words"),
    p("1.000.00", "invalid-money", "broken-groups"),
    p("1.000,000.5", "invalid-money", "mixed-groups"),
    p("1 nghìn 2 triệu", "invalid-money", "units-going-up"),
    p("2tr5000", "invalid-money", "too-many-shorthand-digits"),
    p("1e6", "invalid-money", "exponent"),
    p("tr", "invalid-money", "unit-only"),
    p(True, "invalid-money", "bool"),
    p(float("nan"), "invalid-money", "nan-is-blank"),
    p(float("inf"), "invalid-money", "inf"),
    p(OCT5, "invalid-money", "date"),
])
def test_parse_money_rejects(value, kind, rule):
    with pytest.raises(Unreadable) as caught:
        parse_money(value, kind)
    assert caught.value.rule == rule


@pytest.mark.parametrize("value, reason", [
    pytest.param("-1tr", "negative", id="negative"),
    pytest.param("1,5", "fraction", id="fraction"),
    pytest.param("x", "unreadable", id="other"),
])
def test_parse_money_reason(value, reason):
    with pytest.raises(Unreadable) as caught:
        parse_money(value)
    assert (caught.value.kind, caught.value.reason) == ("money", reason)


# ---------------------------------------------------------------- percent

@pytest.mark.parametrize("value, kind, expected", [
    p(1, Decimal("1"), "int-is-points"),
    p(0.5, Decimal("0.5"), "float-is-points"),
    p(1.2, Decimal("1.2"), "float-1.2"),
    p(Decimal("0.8"), Decimal("0.8"), "decimal"),
    p("0,8", Decimal("0.8"), "text-comma"),
    p("1.2", Decimal("1.2"), "text-dot"),
    p("1", Decimal("1"), "text-int"),
    p(0.01, Decimal("1"), "percent-cell", kind="percent"),
    p(0.015, Decimal("1.5"), "percent-cell-1.5", kind="percent"),
    p(0.007, Decimal("0.7"), "percent-cell-binary-noise", kind="percent"),
    p("1%", Decimal("1"), "sign"),
    p("1 %", Decimal("1"), "sign-spaced"),
    p(f"1{NBSP}%", Decimal("1"), "sign-nbsp"),
    p("1,5%", Decimal("1.5"), "sign-comma"),
    p("0.8%", Decimal("0.8"), "sign-dot"),
    p("1%", Decimal("1"), "text-in-percent-cell", kind="percent"),
    p("1%/tháng", Decimal("1"), "per-month"),
    p("1 %/tháng", Decimal("1"), "per-month-spaced"),
    p(nfd("0,8 % / THÁNG"), Decimal("0.8"), "per-month-nfd-upper"),
    p(0, Decimal("0"), "zero"),
])
def test_parse_percent(value, kind, expected):
    result = parse_percent(value, kind)
    assert result == expected
    assert str(result) == str(expected)  # no 0.70000000000000006, no 1.00


@pytest.mark.parametrize("value, kind, rule", [
    p(-1, "negative-percent", "negative-number"),
    p("-0,5%", "negative-percent", "negative-text"),
    p(-0.01, "negative-percent", "negative-percent-cell", kind="percent"),
    p("một phần trăm", "invalid-percent", "words"),
    p("1,5,5%", "invalid-percent", "two-separators"),
    p("%", "invalid-percent", "sign-only"),
    p(True, "invalid-percent", "bool"),
    p(float("inf"), "invalid-percent", "inf"),
])
def test_parse_percent_rejects(value, kind, rule):
    with pytest.raises(Unreadable) as caught:
        parse_percent(value, kind)
    assert caught.value.rule == rule


# ---------------------------------------------------------------- integers

@pytest.mark.parametrize("value, kind, expected", [
    p(12, 12, "int"),
    p(12.0, 12, "whole-float"),
    p(11.999999999999998, 12, "float-noise"),
    p(Decimal("1960"), 1960, "decimal"),
    p("12", 12, "text"),
    p("12.0", 12, "text-point-zero"),
    p("12,0", 12, "text-comma-zero"),
    p(" 1960 ", 1960, "spaces"),
    p("12 tháng", 12, "months"),
    p(nfd("12 THÁNG"), 12, "months-nfd-upper"),
    p("12 thang", 12, "months-no-diacritics"),
    p("3 người", 3, "people"),
    p("5 ngày", 5, "days"),
    p("2 ngày công", 2, "labour-days"),
    p(0, 0, "zero"),
])
def test_parse_integer(value, kind, expected):
    assert parse_integer(value, kind) == expected
    assert type(parse_integer(value, kind)) is int


@pytest.mark.parametrize("value, rule, reason", [
    pytest.param("12.5", "fractional-number", "fraction", id="text-fraction"),
    pytest.param(12.5, "fractional-number", "fraction", id="float-fraction"),
    pytest.param("-3", "negative-number", "negative", id="negative-text"),
    pytest.param(-3, "negative-number", "negative", id="negative-int"),
    pytest.param("1.000", "invalid-integer", "ambiguous", id="thousands-or-one"),
    pytest.param("12 năm", "invalid-integer", "unreadable", id="years-not-a-count-unit"),
    pytest.param("mười hai", "invalid-integer", "unreadable", id="words"),
    pytest.param("12abc", "invalid-integer", "unreadable", id="junk-unit"),
    pytest.param(True, "invalid-integer", "unreadable", id="bool"),
    pytest.param(OCT5, "invalid-integer", "unreadable", id="date"),
])
def test_parse_integer_rejects(value, rule, reason):
    with pytest.raises(Unreadable) as caught:
        parse_integer(value)
    assert (caught.value.rule, caught.value.reason) == (rule, reason)


# ---------------------------------------------------------------- choices

SEX = ["Nam", "Nữ"]
STATUS = ["Đề xuất", "Đang hỗ trợ", "Đã hỗ trợ", "Chuyển nhóm chăm sóc tại nhà", "Không hỗ trợ"]
KIND = ["Vệ sinh môi trường", "Góp ý với địa phương", "Văn hóa - văn nghệ", "Khác"]
FORMS = ["Hiện vật", "Ngày công", "Tiền", "Hòa nhập cộng đồng"]


@pytest.mark.parametrize("value, choices, aliases, expected", [
    pytest.param("Nữ", SEX, None, "Nữ", id="exact"),
    pytest.param("nữ", SEX, None, "Nữ", id="lower"),
    pytest.param(" NỮ ", SEX, None, "Nữ", id="upper-spaces"),
    pytest.param(nfd("Nữ"), SEX, None, "Nữ", id="nfd"),
    pytest.param(f"Nữ{NBSP}", SEX, None, "Nữ", id="nbsp"),
    pytest.param("NU", SEX, None, "Nữ", id="no-diacritics"),
    pytest.param("da ho tro", STATUS, None, "Đã hỗ trợ", id="no-diacritics-d-stroke"),
    pytest.param("Đã  hỗ trợ", STATUS, None, "Đã hỗ trợ", id="double-space"),
    pytest.param("chuyen nhom cham soc tai nha", STATUS, None, "Chuyển nhóm chăm sóc tại nhà", id="long"),
    pytest.param("Văn hóa-văn nghệ", KIND, None, "Văn hóa - văn nghệ", id="spaces-around-dash"),
    pytest.param("Hoà nhập cộng đồng", FORMS, None, "Hòa nhập cộng đồng", id="old-tone-placement"),
    pytest.param("Female", SEX, {"Nữ": ["Female", "F"]}, "Nữ", id="alias"),
    pytest.param("f", SEX, {"Nữ": ["Female", "F"]}, "Nữ", id="alias-case"),
    pytest.param("55", ["55", "50"], None, "55", id="number-text"),
    pytest.param(50.0, ["55", "50"], None, "50", id="number-cell"),
])
def test_parse_choice(value, choices, aliases, expected):
    assert parse_choice(value, choices, aliases) == expected


@pytest.mark.parametrize("value, choices", [
    pytest.param("Nu2", SEX, id="unknown"),
    pytest.param("Nữ Nam", SEX, id="two-choices"),
    pytest.param("dang ho tro", ["Đang hỗ trợ", "Đăng hỗ trợ"], id="ambiguous-without-diacritics"),
    pytest.param("Female", SEX, id="alias-not-given"),
    pytest.param("x", [], id="no-choices"),
])
def test_parse_choice_rejects(value, choices):
    with pytest.raises(Unreadable) as caught:
        parse_choice(value, choices)
    assert caught.value.rule == "not-in-list"
    assert caught.value.details["choices"] == ", ".join(choices)


def test_parse_choice_exact_beats_diacritics():
    assert parse_choice("Đăng hỗ trợ", ["Đang hỗ trợ", "Đăng hỗ trợ"]) == "Đăng hỗ trợ"


# ---------------------------------------------------------------- phone, email

@pytest.mark.parametrize("value, expected", [
    pytest.param("0912 345 678", "0912 345 678", id="spaced"),
    pytest.param("0912345678", "0912345678", id="plain"),
    pytest.param("0912.345.678", "0912.345.678", id="dots"),
    pytest.param("0912-345-678", "0912-345-678", id="dashes"),
    pytest.param("(024) 3825 1234", "(024) 3825 1234", id="landline-brackets"),
    pytest.param("+84 912345678", "+84 912345678", id="plus84"),
    pytest.param("84912345678", "84912345678", id="84"),
    pytest.param("+84 24 3825 1234", "+84 24 3825 1234", id="plus84-landline"),
    pytest.param("04 3825 1234", "04 3825 1234", id="landline-before-2017"),
    pytest.param("+84 (0) 912 345 678", "+84 (0) 912 345 678", id="plus84-with-zero"),
    pytest.param(f" 0912{NBSP}345{NBSP}678 ", "0912 345 678", id="nbsp"),
])
def test_parse_phone(value, expected):
    assert parse_phone(value) == expected


@pytest.mark.parametrize("value, rule", [
    pytest.param(912345678, "phone-as-number", id="int-lost-zero"),
    pytest.param(912345678.0, "phone-as-number", id="float"),
    pytest.param(Decimal(912345678), "phone-as-number", id="decimal"),
    pytest.param("912345678", "invalid-phone", id="text-without-zero"),
    pytest.param("091234567", "invalid-phone", id="nine-digits"),
    pytest.param("09123456789", "invalid-phone", id="eleven-digits-mobile"),
    pytest.param("849123456", "invalid-phone", id="84-too-short"),
    pytest.param("+1 202 555 0100", "invalid-phone", id="foreign"),
    pytest.param("không có", "invalid-phone", id="words"),
    pytest.param("0912345678 / 0987654321", "invalid-phone", id="two-numbers"),
])
def test_parse_phone_rejects(value, rule):
    with pytest.raises(Unreadable) as caught:
        parse_phone(value)
    assert caught.value.rule == rule


@pytest.mark.parametrize("value, expected", [
    pytest.param("chunhiem@example.vn", "chunhiem@example.vn", id="plain"),
    pytest.param(f" Lan.Nguyen@Mail.Example.com{NBSP}", "Lan.Nguyen@Mail.Example.com", id="spaces-kept-case"),
])
def test_parse_email(value, expected):
    assert parse_email(value) == expected


@pytest.mark.parametrize("value", [
    pytest.param("chunhiem", id="no-at"),
    pytest.param("a@@example.vn", id="two-at"),
    pytest.param("a@b@example.vn", id="two-ats"),
    pytest.param("a@example", id="no-dot"),
    pytest.param("a b@example.vn", id="space"),
    pytest.param("a@example..vn", id="empty-label"),
    pytest.param("@example.vn", id="no-local-part"),
    pytest.param(12, id="number"),
])
def test_parse_email_rejects(value):
    with pytest.raises(Unreadable) as caught:
        parse_email(value)
    assert caught.value.rule == "invalid-email"


# ---------------------------------------------------------------- the exception

@pytest.mark.parametrize("kind, reason, rule", [
    pytest.param("date", "unreadable", "invalid-date", id="date"),
    pytest.param("date", "no-such-date", "invalid-date", id="date-no-such"),
    pytest.param("money", "fraction", "fractional-money", id="money-fraction"),
    pytest.param("integer", "fraction", "fractional-number", id="integer-fraction"),
    pytest.param("choice", "unreadable", "not-in-list", id="choice"),
    pytest.param("phone", "number", "phone-as-number", id="phone-number"),
    pytest.param("email", "formula-error", "formula-error", id="formula-error"),
])
def test_unreadable_rule(kind, reason, rule):
    error = Unreadable(kind, reason, choices="a, b")
    assert (error.kind, error.reason, error.rule, error.details) == (kind, reason, rule, {"choices": "a, b"})


# ---------------------------------------------------------------- properties

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(),
    st.dates(), st.datetimes(), st.text(),
    st.text(alphabet="0123456789.,-() %/đktrĐiệunghìnỷ ", max_size=20),
)
KINDS = st.sampled_from([None, "date", "percent", "error"])


@pytest.mark.parametrize("column", PARSERS)
@given(value=ANY_VALUE, kind=KINDS)
def test_parsers_raise_only_unreadable(column, value, kind):
    try:
        PARSERS[column](value, kind=kind)
    except Unreadable:
        pass


@given(value=ANY_VALUE, kind=KINDS)
def test_display_and_clean_text_never_raise(value, kind):
    assert isinstance(display(value, kind), str)
    assert isinstance(clean_text(value), str)


@given(st.integers(min_value=0, max_value=10**30))
def test_format_money_round_trips(amount):
    assert parse_money(format_money(amount)) == amount


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_format_date_round_trips(day):
    assert parse_date(format_date(day)) == day
