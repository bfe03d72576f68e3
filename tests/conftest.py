"""Shared fixtures: small club workbooks built in the test, a clean environment."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.rules import load_rules

# The local Google Sheets API server (`fake_sheets`) and a real SMTP server on
# 127.0.0.1 (`smtp_server`, tests/smtp_server.py) as fixtures for every test module.
pytest_plugins = ["sheets_sync.testing.pytest_plugin", "smtp_server"]

TODAY = dt.date(2026, 11, 23)

HEADERS = {
    "Cài đặt": ["Mục", "Giá trị"],
    "Thành viên": ["Mã TV", "Họ và tên", "Giới tính", "Năm sinh", "Tổ", "Điện thoại", "Hoàn cảnh", "Ngày vào", "Ngày rời", "Ghi chú"],
    "Tự giúp nhau": ["Mã TH", "Ngày ghi nhận", "Người được giúp", "Mã TV", "Quan hệ", "Hoàn cảnh", "Nhu cầu", "Khẩn cấp", "Hình thức hỗ trợ", "Giá trị (đồng)", "Số ngày công", "Số TV tham gia", "Ngày hỗ trợ", "Trạng thái", "Ghi chú"],
    "Hỗ trợ cộng đồng": ["Ngày", "Hoạt động", "Loại", "Chủ trì", "Số TV tham gia"],
    "Khoản vay": ["Mã KV", "Mã TV", "Người vay", "Ngày giải ngân", "Số tiền vay", "Lãi suất (%/tháng)", "Cách tính lãi", "Kỳ hạn (tháng)", "Cách trả gốc"],
    "Trả nợ": ["Ngày trả", "Mã KV", "Tiền gốc", "Tiền lãi", "Tiền phạt", "Người thu"],
}


def clean_club() -> dict[str, list[list]]:
    """A tiny club with no problem at all, as tab title -> rows (header first)."""
    d = dt.date
    return {
        "Cài đặt": [
            HEADERS["Cài đặt"],
            ["Tên CLB", "CLB Liên thế hệ Tự giúp nhau thôn Đông"],
            ["Email Chủ nhiệm", "chunhiem@example.org"],
            ["Tuổi NCT", 55],
            ["Vốn quỹ ban đầu", 20_000_000],
        ],
        "Thành viên": [
            HEADERS["Thành viên"],
            ["TV001", "Nguyễn Thị Lan", "Nữ", 1956, "Tổ 1", "0912 345 678", "Nghèo", d(2020, 3, 1), None, "ghi chú riêng"],
            ["TV002", "Trần Văn Hùng", "Nam", 1950, "Tổ 1", "+84 987654321", "Bình thường", d(2020, 3, 1), None, None],
            ["TV003", "Lê Thị Mai", "Nữ", 1990, "Tổ 2", None, "Cận nghèo", d(2026, 5, 10), None, None],
        ],
        "Tự giúp nhau": [
            HEADERS["Tự giúp nhau"],
            ["TH001", d(2026, 10, 2), "Phạm Thị Hoa", "TV001", "Thành viên", "ốm nặng", "gạo", "Có", "Hiện vật", 500_000, None, 4, d(2026, 10, 5), "Đã hỗ trợ", None],
            ["TH002", d(2026, 10, 20), "Bà Tư", None, "Ngoài CLB", None, None, "Không", None, None, None, None, None, "Đề xuất", None],
        ],
        "Hỗ trợ cộng đồng": [
            HEADERS["Hỗ trợ cộng đồng"],
            [d(2026, 10, 12), "Dọn đường làng", "Vệ sinh môi trường", "CLB chủ trì", 25],
        ],
        "Khoản vay": [
            HEADERS["Khoản vay"],
            ["KV001", "TV001", "Nguyễn Thị Lan", d(2026, 8, 15), 5_000_000, 1, "Dư nợ giảm dần", 12, "Hàng tháng"],
        ],
        "Trả nợ": [
            HEADERS["Trả nợ"],
            [d(2026, 9, 15), "KV001", 416_667, 50_000, None, "Thủ quỹ"],
            [d(2026, 10, 15), "KV001", 416_667, 45_833, None, "Thủ quỹ"],
        ],
    }


def set_cell(tabs, tab: str, row: int, header: str, value) -> None:
    """Put ``value`` at sheet ``row`` under ``header`` (row 2 = first data row)."""
    rows = tabs[tab]
    while len(rows) < row:
        rows.append([None] * len(HEADERS[tab]))
    col = HEADERS[tab].index(header)
    rows[row - 1] = list(rows[row - 1]) + [None] * (len(HEADERS[tab]) - len(rows[row - 1]))
    rows[row - 1][col] = value


def write_xlsx(path: Path, tabs: dict[str, list[list]]) -> Path:
    """Write ``tabs`` (title -> rows, header first) to a plain .xlsx with openpyxl."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def club_tabs() -> dict[str, list[list]]:
    """A fresh copy of the clean club, to change in a test."""
    return copy.deepcopy(clean_club())


@pytest.fixture
def make_xlsx(tmp_path: Path):
    """Build an .xlsx from tab title -> rows; returns its path."""
    counter = iter(range(1000))

    def make(tabs: dict[str, list[list]], name: str | None = None) -> Path:
        return write_xlsx(tmp_path / (name or f"club{next(counter)}.xlsx"), tabs)

    return make


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch):
    """No test sees the developer's own Google, SMTP or sheets-sync settings."""
    import os

    for name in list(os.environ):
        if name.startswith(("GOOGLE_", "SMTP_", "SHEETS_SYNC_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHEETS_SYNC_TODAY", TODAY.isoformat())
