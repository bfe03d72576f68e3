"""The chair's monthly email and the nightly digest: content, safety, privacy, phone layout."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct

import pytest

import browser
from sheets_sync.club import open_club
from sheets_sync.metrics import Month
from sheets_sync.problems import Problem, Severity
from sheets_sync.report import month_report
from sheets_sync.summary import CHART_CID, SUBJECT_MAX, Summary, build_digest, build_summary, one_line, write_preview

from conftest import TODAY

d = dt.date
M, S, C, L, R, ST = "Thành viên", "Tự giúp nhau", "Hỗ trợ cộng đồng", "Khoản vay", "Trả nợ", "Cài đặt"
OCTOBER = "2026-10"
PNG = b"\x89PNG\r\n\x1a\n"
MARKER = "MARKER-PRIVATE-123"


def put(tabs, tab: str, row: int, header: str, value) -> None:
    """Set the cell under ``header`` in sheet ``row`` (header row = 1), adding the column if the tab lacks it."""
    rows = tabs[tab]
    if header not in rows[0]:
        rows[0] = list(rows[0]) + [header]
    col = rows[0].index(header)
    while len(rows) < row:
        rows.append([])
    rows[row - 1] = list(rows[row - 1]) + [None] * (col + 1 - len(rows[row - 1]))
    rows[row - 1][col] = value


def club_of(tabs, make_xlsx, lang="vi"):
    return open_club(make_xlsx(tabs), today=TODAY, lang=lang)


def summary_of(tabs, make_xlsx, lang="vi", month=OCTOBER, **kwargs) -> Summary:
    return build_summary(month_report(club_of(tabs, make_xlsx, lang), Month.parse(month)), lang, **kwargs)


def parts(s: Summary) -> dict[str, str]:
    return {"subject": s.subject, "text": s.text, "html": s.html}


def without_community(tabs):
    tabs[C] = [tabs[C][0]]
    return tabs


# --- The promise first ---------------------------------------------------------

@pytest.mark.parametrize("lang, heading, first_section", [("vi", "CLB có làm được điều đã cam kết không?", "1. Tự giúp nhau"),
                                                          ("en", "Did the club do what it promised?", "1. Self-help")])
def test_the_email_opens_with_the_promise(club_tabs, make_xlsx, lang, heading, first_section):
    html = summary_of(club_tabs, make_xlsx, lang).html
    h2s = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert h2s[0] == heading and h2s[1] == first_section
    # Nothing but the title and the as-of line before it.
    assert html.index(heading) < html.index(first_section) < html.index("cid:")


@pytest.mark.parametrize("lang, met, not_met", [("vi", "✓ ĐẠT", "✗ CHƯA ĐẠT"), ("en", "✓ MET", "✗ NOT MET")])
def test_met_and_not_met_in_words_and_colour(club_tabs, make_xlsx, lang, met, not_met):
    html = summary_of(without_community(club_tabs), make_xlsx, lang).html
    promise = html[: html.index("</table>")]
    badges = re.findall(r'<span class="badge ([a-z-]+)" style="([^"]*)">([^<]*)</span>', promise)
    assert [(kind, text) for kind, _, text in badges] == [("met", met), ("not-met", not_met)]
    assert "background-color: #1a7f37" in badges[0][1] and "background-color: #b42318" in badges[1][1]
    assert ">1/1<" in promise and ">0/1<" in promise


@pytest.mark.parametrize("lang, subject", [
    ("vi", "[CLB Liên thế hệ Tự giúp nhau thôn Đông] Báo cáo tháng 10/2026: giúp 1/1 ✓, hoạt động cộng đồng 0/1 ✗"),
    ("en", "[CLB Liên thế hệ Tự giúp nhau thôn Đông] Report for October 2026: cases helped 1/1 ✓, community activities 0/1 ✗"),
])
def test_subject_answers_the_promise(club_tabs, make_xlsx, lang, subject):
    assert summary_of(without_community(club_tabs), make_xlsx, lang).subject == subject


# --- Untrusted sheet text ----------------------------------------------------------

def test_names_are_escaped_in_the_html(club_tabs, make_xlsx):
    script = "<script>alert(1)</script>"
    put(club_tabs, ST, 2, "Giá trị", f"CLB {script}")
    put(club_tabs, S, 2, "Người được giúp", script)
    put(club_tabs, C, 2, "Hoạt động", f'Dọn "đường" & {script}')
    s = summary_of(club_tabs, make_xlsx)
    assert "<script" not in s.html.lower()
    assert s.html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title, header, case, activity, footer
    assert "Dọn \"đường\" &amp; &lt;script&gt;" in s.html


@pytest.mark.parametrize("name", ["Nguyễn Văn A\r\nBcc: x@y.z", "Nguyễn Văn A\nBcc: x@y.z", "Nguyễn Văn A\rBcc: x@y.z",
                                  "Nguyễn Văn A\u2028Bcc: x@y.z", "Nguyễn Văn A\x85Bcc: x@y.z", "Nguyễn Văn A\x00\x0bBcc: x@y.z"])
def test_subject_is_always_one_line(club_tabs, make_xlsx, name):
    put(club_tabs, ST, 2, "Giá trị", "Nguyễn Văn A\r\nBcc: x@y.z")
    data = month_report(club_of(club_tabs, make_xlsx), Month.parse(OCTOBER))
    subjects = [build_summary(data, "vi").subject]
    data["club"] = name  # as another source might deliver it, untidied
    subjects.append(build_summary(data, "vi").subject)
    for subject in subjects:
        assert not re.search(r"[\r\n\x00-\x1f\x7f-\x9f\u2028\u2029]", subject)
        assert subject.startswith("[Nguyễn Văn A Bcc: x@y.z] Báo cáo tháng 10/2026")


@pytest.mark.parametrize("text, line", [
    ("a\r\nb", "a b"), ("  a\t\tb  ", "a b"), ("a\u200bb", "a b"), ("a\u202eb", "a b"), ("Đo\u0302ng", "Đông"),
    (None, ""), (12, "12"),
])
def test_one_line(text, line):
    assert one_line(text) == line


def test_a_long_club_name_is_shortened_not_the_promise(club_tabs, make_xlsx):
    put(club_tabs, ST, 2, "Giá trị", "CLB Liên thế hệ " * 20)
    subject = summary_of(club_tabs, make_xlsx).subject
    assert len(subject) <= SUBJECT_MAX
    assert subject.startswith("[CLB Liên thế hệ") and "…] Báo cáo tháng 10/2026: giúp 1/1 ✓, hoạt động cộng đồng 1/1 ✓" in subject


# --- Privacy -------------------------------------------------------------------------

PHONES = ["0912 345 678", "0912345678", "912345678", "987654321", "0987 111 222", "987111222"]


def private_club(tabs):
    """The clean club with MARKER in every private free-text column, and phones everywhere."""
    for row in (2, 3):
        for header in ("Hoàn cảnh", "Nhu cầu", "Ghi chú"):
            put(tabs, S, row, header, f"{MARKER} {header} bệnh nặng")
    for row in (2, 3, 4):
        put(tabs, M, row, "Ghi chú", f"{MARKER} ghi chú thành viên")
    put(tabs, M, 4, "Hoàn cảnh", MARKER)          # a choice column: an error quoting the value
    put(tabs, M, 4, "Điện thoại", "0987 111 222")
    put(tabs, M, 3, "Điện thoại", 987111222)       # lost its zero: a warning quoting the number
    for tab in (C, L, R):
        for row in range(2, len(tabs[tab]) + 1):
            put(tabs, tab, row, "Ghi chú", f"{MARKER} {tab}")
    return tabs


def test_private_columns_never_reach_the_monthly_email(club_tabs, make_xlsx):
    club = club_of(private_club(club_tabs), make_xlsx)
    data = month_report(club, Month.parse(OCTOBER))
    assert MARKER not in json.dumps(data, ensure_ascii=False)
    for lang in ("vi", "en"):
        s = build_summary(data, lang)
        assert "Phạm Thị Hoa" in s.html and "Phạm Thị Hoa" in s.text  # the case is named, not described
        for part, text in parts(s).items():
            assert MARKER not in text, part
            for phone in PHONES:
                assert phone not in text, (part, phone)


def test_the_digest_hides_values_of_private_columns(club_tabs, make_xlsx):
    club = club_of(private_club(club_tabs), make_xlsx)
    problems = club.report.problems
    private = [p for p in problems if p.column in ("Hoàn cảnh", "Điện thoại")]
    # The checks do quote them: that is what the digest must hold back.
    assert len(private) == 2 and all(MARKER in p.message or "987111222" in p.message for p in private)
    for lang in ("vi", "en"):
        s = build_digest(club.name, problems, lang, where="https://docs.google.com/spreadsheets/d/x")
        for part, text in parts(s).items():
            assert MARKER not in text, part
            assert not any(phone in text for phone in PHONES), part
        for p in private:  # where and which rule, still
            assert p.cell in s.text and p.rule in s.text and p.cell in s.html and p.rule in s.html


# --- Layout and form ---------------------------------------------------------------------

def test_css_is_inlined_and_fits_a_phone(club_tabs, make_xlsx):
    html = summary_of(club_tabs, make_xlsx).html
    assert "<style" not in html and "class=" in html
    assert len(re.findall(r' style="[^"]+"', html)) > 50
    assert re.search(r'<div class="wrap" style="[^"]*width: 100%;max-width: 600px;', html)
    # No fixed width wider than a 375 px phone; long words wrap.
    assert all(int(px) <= 375 for px in re.findall(r"(?<![-\w])width:\s*(\d+)px", html))
    assert "word-break: break-word" in html
    img = re.search(r"<img [^>]*>", html).group(0)
    assert f'src="cid:{CHART_CID}"' in img and 'width="600"' in img and "max-width: 100%" in img and "height: auto" in img
    assert re.search(r'alt="[^"]{20,}"', img)


def test_numbers_are_written_the_vietnamese_way(club_tabs, make_xlsx):
    html = summary_of(club_tabs, make_xlsx).html
    for expected in ("05/10/2026", "31/10/2026", "500.000 đ", "4.166.666 đ", "66,7 %", "tháng 10/2026", "10/2026"):
        assert expected in html, expected


def test_the_english_email_is_in_english(club_tabs, make_xlsx):
    s = summary_of(club_tabs, make_xlsx, "en")
    assert s.lang == "en"
    for expected in ("Report for October 2026", "Did the club do what it promised?", "Hardship cases helped",
                     "Income-generation fund", "On-time repayment", "No overdue loans.", "No data problems."):
        assert expected in s.html, expected
    assert "REPORT FOR OCTOBER 2026" in s.text
    for vietnamese in ("Tự giúp nhau</h2>", "ĐẠT", "Thành viên</h2>", "Quỹ tăng thu nhập", "Không có"):
        assert vietnamese not in s.html, vietnamese


def test_cases_forms_loans_and_members_are_listed(club_tabs, make_xlsx):
    # A second loan, never repaid: three installments late at the end of October.
    club_tabs[L].append(["KV002", "TV002", "Trần Văn Hùng", d(2026, 7, 1), 1_000_000, 1, "Dư nợ giảm dần", 6, "Hàng tháng"])
    html = summary_of(club_tabs, make_xlsx).html
    for expected in ("TH001", "Phạm Thị Hoa", "Hiện vật", "Dọn đường làng", "Vệ sinh môi trường",
                     "Trần Văn Hùng", "KV002", "91 ngày", "Đang sinh hoạt cuối tháng", "PAR30"):
        assert expected in html, expected


def test_chart_image_is_attached_by_content_id(club_tabs, make_xlsx):
    s = summary_of(club_tabs, make_xlsx)
    assert list(s.images) == [CHART_CID] and "<" not in CHART_CID
    png = s.images[CHART_CID]
    assert png.startswith(PNG) and struct.unpack(">II", png[16:24]) == (600, 300)
    assert f"cid:{CHART_CID}" in s.html


def test_the_text_part_is_the_text_report(club_tabs, make_xlsx):
    s = summary_of(club_tabs, make_xlsx)
    assert s.text.startswith("BÁO CÁO THÁNG 10/2026 – CLB Liên thế hệ Tự giúp nhau thôn Đông")
    assert "Giúp trường hợp khó khăn: 1/1 – ĐẠT" in s.text


def test_open_problems_are_counted_with_where_to_look(club_tabs, make_xlsx):
    put(club_tabs, M, 2, "Giới tính", "Nữa")
    link = "https://docs.google.com/spreadsheets/d/abc?x=1&y=2"
    s = summary_of(club_tabs, make_xlsx, where=link)
    assert "<strong>1 lỗi</strong> và <strong>0 điều cần chú ý</strong>" in s.html
    assert "“Kiểm tra”" in s.html and "sheets-sync check" in s.html
    assert 'href="https://docs.google.com/spreadsheets/d/abc?x=1&amp;y=2"' in s.html
    assert "Dữ liệu còn 1 lỗi và 0 điều cần chú ý" in s.text and link in s.text
    assert "1 dòng có lỗi chưa được tính" in s.html


def test_a_clean_club_has_no_problem_note(club_tabs, make_xlsx):
    assert "Không có lỗi dữ liệu." in summary_of(club_tabs, make_xlsx).html


def test_an_unknown_language_is_refused(club_tabs, make_xlsx):
    data = month_report(club_of(club_tabs, make_xlsx), Month.parse(OCTOBER))
    with pytest.raises(ValueError, match="fr"):
        build_summary(data, "fr")


# --- The nightly digest ---------------------------------------------------------------------

def problem(tab, row, column, cell, value, rule, severity, message, column_id=""):
    return Problem(tab, row, column, cell, value, rule, Severity(severity), message, "", column_id)


def test_the_digest_lists_only_the_problems_given(club_tabs, make_xlsx):
    put(club_tabs, M, 2, "Giới tính", "Nữa")
    put(club_tabs, L, 2, "Kỳ hạn (tháng)", 61)
    club = club_of(club_tabs, make_xlsx)
    first, second = club.report.sorted()
    s = build_digest(club.name, [second], "vi", where="trang Kiểm tra")
    assert s.subject == "[CLB Liên thế hệ Tự giúp nhau thôn Đông] 1 vấn đề dữ liệu mới (1 lỗi, 0 điều cần chú ý)"
    assert second.message in s.text and second.cell in s.html and "Trang Khoản vay" in s.text
    assert first.message not in s.text and first.message not in s.html and "Trang Thành viên" not in s.text
    assert "trang Kiểm tra" in s.text and s.images == {} and "<style" not in s.html


def test_the_digest_in_english_takes_dicts_too():
    given = [
        {"tab": "Members", "row": 7, "column": "Phone", "cell": "F7", "value": "912345678", "rule": "phone-as-number",
         "severity": "warning", "message": "Phone 912345678 lost its leading 0"},
        {"tab": "Loans", "row": 3, "column": "Term (months)", "cell": "H3", "value": "61", "rule": "loan-term-range",
         "severity": "error", "message": "Term <b>61</b> is too long"},
    ]
    s = build_digest("CLB <Đông>\r\nBcc: x@y.z", given, "en", where="https://example.org/sheet")
    assert s.subject == "[CLB <Đông> Bcc: x@y.z] 2 new data problems (1 error, 1 warning)"
    assert "912345678" not in s.text + s.html  # "Phone" is the English alias of the private Điện thoại
    assert "F7" in s.text and "phone-as-number" in s.html
    assert "Term &lt;b&gt;61&lt;/b&gt; is too long" in s.html and "Term <b>61</b> is too long" in s.text
    assert "CLB &lt;Đông&gt;" in s.html and "<Đông>" not in s.html


@pytest.mark.parametrize("column, column_id", [("Ghi chú", ""), ("ghi chu", ""), ("Nhu cầu", ""), ("Hoàn cảnh", ""),
                                               ("SĐT", ""), ("anything", "phone")])
def test_every_private_column_is_held_back_in_the_digest(column, column_id):
    p = Problem("Thành viên", 5, column, "J5", MARKER, "some-rule", Severity.ERROR, f"bad {MARKER}", "members", column_id)
    s = build_digest("CLB", [p], "vi", where="x")
    assert MARKER not in s.text + s.html and "some-rule" in s.text and "J5" in s.html


# --- In a real browser, at a phone's width ----------------------------------------------------

def stress_club(tabs):
    """Long unbroken words, a promise not kept, a late loan: the hardest layout."""
    long_word = "Nguyễn" + "Thị" * 25
    put(tabs, ST, 2, "Giá trị", "CLB Liên thế hệ Tự giúp nhau " + long_word)
    put(tabs, S, 2, "Người được giúp", long_word)
    put(tabs, S, 2, "Mã TH", "TH-2026-10-0001-" + "X" * 30)
    put(tabs, S, 2, "Giá trị (đồng)", 49_000_000)
    put(tabs, S, 2, "Số ngày công", 12)
    tabs[C] = [tabs[C][0]]
    tabs[L].append(["KV002", "TV002", long_word, d(2026, 7, 1), 50_000_000, 1, "Dư nợ giảm dần", 6, "Hàng tháng"])
    return tabs


@pytest.mark.parametrize("width", [375, 1024])
def test_the_email_fits_the_screen_in_a_browser(club_tabs, make_xlsx, tmp_path, width):
    s = summary_of(stress_club(club_tabs), make_xlsx)
    assert "CHƯA ĐẠT" in s.html and "KV002" in s.html
    page = write_preview(s, tmp_path / "mail")
    probe = browser.probe_page(page, width)
    assert probe["innerWidth"] == width
    assert probe["scrollWidth"] <= probe["innerWidth"], probe  # no sideways scrolling
    assert probe["naturalWidth"] == 600, probe  # the chart loaded
    assert 0 < probe["imgWidth"] <= min(width, 600), probe
    if width == 375:
        shot = browser.screenshot(page, width, tmp_path / "phone.png")
        assert struct.unpack(">II", shot.read_bytes()[16:24])[0] == 375
