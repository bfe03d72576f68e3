"""A sample club workbook for ``sheets-sync demo``: realistic, repeatable, a few known mistakes.

:func:`build_demo` makes a year of records of an Intergenerational Self-Help
Club (CLB Liên thế hệ Tự giúp nhau) in xã An Bình, huyện Phú Giáo, tỉnh Bình
Dương: about 60 members, the self-help cases and community activities of
today's month and the 12 before it (the monthly report's year), and the
income-generation fund's loans of the last two years
with repayments that follow each loan's schedule (:func:`loans.schedule`).
Everything is dated relative to ``today`` and drawn from ``random.Random(seed)``,
so the same (today, seed) always gives the same workbook.

A handful of the mistakes staff really make are planted in it; each is listed
in :attr:`DemoClub.planted` with the one rule that must report it, and the
rest of the data is clean: checking the demo finds exactly the planted list.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .layout import club_layout
from .loans import Installment, add_months, method_for, schedule
from .rules import load_rules
from .sources import xlsx

__all__ = ["DEMO_FILE", "Planted", "DemoClub", "build_demo", "write_demo"]

DEMO_FILE = "clb-mau.xlsx"

SETTINGS = {
    "Tên CLB": "CLB Liên thế hệ Tự giúp nhau xã An Bình",
    "Xã/Phường": "Xã An Bình",
    "Tỉnh": "Bình Dương",
    "Email Chủ nhiệm": "chunhiem.anbinh@example.org",
    "Email nhận thêm": "ketoan.anbinh@example.org, dieuphoi.phugiao@example.org",
    "Tuổi NCT": 55,
    "Vốn quỹ ban đầu": 150_000_000,  # 35 loans of 2-15 triệu: some 110 triệu is lent out at a time
    "Ngôn ngữ báo cáo": "vi",
    "Chỉ tiêu giúp đỡ/tháng": 1,
    "Chỉ tiêu hoạt động cộng đồng/tháng": 1,
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Dương", "Lý"]
WOMEN_MIDDLE = ["Thị"] * 6 + ["Ngọc", "Kim", "Thu", "Mỹ"]
MEN_MIDDLE = ["Văn"] * 4 + ["Hữu", "Minh", "Đức", "Công", "Thanh"]
WOMEN_GIVEN = ["Lan", "Hoa", "Mai", "Cúc", "Hồng", "Nga", "Hạnh", "Tuyết", "Liên", "Sen", "Bích", "Loan",
               "Phượng", "Xuân", "Hương", "Dung", "Hiền", "Nhung", "Yến", "Ánh", "Thủy", "Hằng", "Út", "Sáu"]
MEN_GIVEN = ["Hùng", "Dũng", "Minh", "Tâm", "Sơn", "Thành", "Phúc", "Lộc", "Tài", "Hải", "Bình", "Tuấn",
             "Long", "Quang", "Nghĩa", "Trung", "Ba", "Tư"]
# Tổ k lives in HAMLETS[k - 1].
HAMLETS = ["Ấp Bình Hòa", "Ấp An Lợi", "Ấp Bình Thắng", "Ấp Nước Vàng", "Ấp Cây Khô"]
BOARD = ["Chủ nhiệm", "Phó chủ nhiệm", "Kế toán", "Thủ quỹ", "Thư ký"]
HOUSEHOLD = ["Nghèo"] * 4 + ["Cận nghèo"] * 5 + ["Khó khăn"] * 4 + ["Bình thường"] * 7
PHONE_PREFIXES = ["090", "091", "093", "094", "097", "098", "086", "083", "035", "038", "039", "077"]
LEAVING_NOTES = ["Chuyển về ở với con gái ở Thủ Dầu Một", "Đi làm ăn xa", "Chuyển nơi ở"]

# (situation, need, supports): one sheet row per support, as (form, possible values in đồng).
CASES = [
    ("Ốm nặng phải nằm viện, con cái đi làm xa", "Tiền viện phí, người thăm nom",
     [("Tiền", (500_000, 1_000_000, 1_500_000)), ("Ngày công", None)]),
    ("Nhà bị tốc mái sau trận mưa giông", "Sửa lại mái nhà",
     [("Ngày công", None), ("Hiện vật", (800_000, 1_200_000, 2_000_000))]),
    ("Sống một mình, con cháu ở xa, ít ra khỏi nhà", "Có người trò chuyện, đưa đi sinh hoạt CLB",
     [("Hòa nhập cộng đồng", None)]),
    ("Chưa có thẻ BHYT, hay phải đi khám bệnh", "Mua thẻ BHYT", [("Mua thẻ BHYT", (1_263_600,))]),
    ("Đến vụ thu hoạch mì nhưng nhà thiếu người làm", "Giúp thu hoạch mì", [("Ngày công", None)]),
    ("Đàn gà bị bệnh, lo lây sang cả đàn", "Hướng dẫn tiêm phòng cho gà", [("Kỹ thuật", None)]),
    ("Chưa làm được hồ sơ hưởng trợ cấp xã hội", "Hướng dẫn làm hồ sơ trợ cấp", [("Thủ tục pháp lý", None)]),
    ("Người lao động chính trong nhà mất đột ngột", "Gạo và nhu yếu phẩm",
     [("Hiện vật", (500_000, 700_000)), ("Tiền", (1_000_000, 2_000_000))]),
    ("Bị tai biến, đi lại khó khăn", "Xe lăn", [("Hiện vật", (2_500_000, 3_000_000))]),
    ("Cháu mồ côi mẹ ở với ông bà đã già", "Sách vở, đồ dùng học tập", [("Hiện vật", (600_000, 800_000))]),
]

# (activity, kind, lead)
ACTIVITIES = [
    ("Dọn vệ sinh đường làng", "Vệ sinh môi trường", "CLB chủ trì"),
    ("Phát quang bụi rậm hai bên đường liên ấp", "Vệ sinh môi trường", "CLB chủ trì"),
    ("Khơi thông cống rãnh trước mùa mưa", "Vệ sinh môi trường", "Phối hợp"),
    ("Quét dọn nhà văn hóa ấp", "Vệ sinh môi trường", "CLB chủ trì"),
    ("Góp ý với UBND xã về đèn đường ấp Nước Vàng", "Góp ý với địa phương", "CLB chủ trì"),
    ("Góp ý danh sách hộ cận nghèo tại họp dân", "Góp ý với địa phương", "Phối hợp"),
    ("Văn nghệ mừng ngày Người cao tuổi", "Văn hóa - văn nghệ", "Phối hợp"),
    ("Giao lưu văn nghệ với CLB xã Tân Long", "Văn hóa - văn nghệ", "CLB chủ trì"),
    ("Trồng cây xanh ở sân trường tiểu học", "Khác", "Phối hợp"),
]

PURPOSES = ["Nuôi heo", "Nuôi gà thả vườn", "Mua giống điều", "Trồng rau màu", "Buôn bán nhỏ ở chợ",
            "Sửa máy bơm nước", "Mua phân bón cho vườn cao su", "Nuôi bò sinh sản", "Làm bánh bán", "May gia công"]
# (Cách tính lãi, Cách trả gốc, possible terms in months), weighted by repetition.
LOAN_KINDS = ([("Dư nợ giảm dần", "Hàng tháng", (6, 9, 12, 12, 18, 24))] * 6
              + [("Dư nợ giảm dần", "Góp đều", (12, 18, 24))] * 2
              + [("Dư nợ giảm dần", "Cuối kỳ", (6, 12))] * 2
              + [("Lãi cố định", "Hàng tháng", (6, 10, 12))])
RATES = (0.5, 0.6, 0.7, 0.8, 0.9, 1)
LOAN_COUNT = 35
PAID_EARLY = (-4, -3, -2, -1, 0, 0, 0, 2)  # days from the due date to the payment
#: Cases and activities cover today's month and the 12 full months before it.
MONTHS = 13


@dataclass(frozen=True)
class Planted:
    """A deliberate mistake: the sheet row (header = 1) and column it is in, and the rule that reports it."""

    tab_id: str
    row: int
    column_id: str
    rule: str


@dataclass
class DemoClub:
    """The demo's rows (tab id -> rows in the layout's column order) and its planted mistakes."""

    rows: dict[str, list[list]]
    planted: list[Planted]


# --- small helpers ---------------------------------------------------------------


def _typed_date(d: dt.date) -> str:
    """A date as staff type it into a cell as text: "05/10/2026"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _typed_money(rng: random.Random, amount: int, chance: float = 0.015) -> int | str:
    """Mostly the int itself; now and then the text staff type for it, all valid."""
    if amount <= 0 or rng.random() >= chance:
        return amount
    if amount < 1_000_000 and amount % 1_000 == 0:
        return f"{amount // 1_000}k"
    if amount % 1_000_000 == 0:
        return f"{amount // 1_000_000} triệu"
    if amount % 100_000 == 0:
        return f"{amount // 1_000_000},{amount // 100_000 % 10} triệu"
    return f"{amount:,}".replace(",", ".") + " đ"


def _month_span(today: dt.date, back: int) -> tuple[dt.date, dt.date]:
    """First and last day (never after today) of the month ``back`` months before today's."""
    first = add_months(today.replace(day=1), -back)
    return first, min(add_months(first, 1) - dt.timedelta(days=1), today)


def _day_in(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _name(rng: random.Random, woman: bool, taken: set[str]) -> str:
    """A Vietnamese full name not used yet: family, middle and given name."""
    while True:
        middle, given = (WOMEN_MIDDLE, WOMEN_GIVEN) if woman else (MEN_MIDDLE, MEN_GIVEN)
        name = f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"
        if name not in taken:
            taken.add(name)
            return name


def _phone(rng: random.Random) -> str:
    digits = rng.choice(PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    if rng.random() < 0.08:
        return f"+84 {digits[1:]}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def _plant(row: dict, column_id: str, rule: str, value=None) -> dict:
    """Mark ``row`` as carrying a planted mistake (and put the wrong value in, if given)."""
    if value is not None:
        row[column_id] = value
    row["_plant"] = (column_id, rule)
    return row


def _table(tab_id: str, rows: list[dict], columns: list[str]) -> tuple[list[list], list[Planted]]:
    """Rows in sheet order (by their "_sort" key) as lists, and where the plants ended up."""
    ordered = sorted(rows, key=lambda r: r["_sort"])
    planted = [Planted(tab_id, n, *r["_plant"]) for n, r in enumerate(ordered, start=2) if "_plant" in r]
    return [[r.get(c) for c in columns] for r in ordered], planted


# --- members -----------------------------------------------------------------------


def _members(rng: random.Random, today: dt.date) -> list[dict]:
    """62 members (TV001..TV062), a duplicate ID and two other mistakes among them."""
    count, founded = 62, dt.date(today.year - 6, 3, 15)
    women = set(rng.sample(range(count), 44))
    older = set(range(5)) | set(rng.sample(range(5, count), 35))  # the board are older members
    leavers = set(rng.sample(range(12, 56), 3))
    taken: set[str] = set()
    rows = []
    for i in range(count):
        group = i % 5 + 1 if i >= 10 else (i - 4 if i >= 5 else rng.randint(1, 5))
        if i < 40:
            joined = founded
        elif i < 58:
            joined = _day_in(rng, founded + dt.timedelta(days=60), today - dt.timedelta(days=400))
        else:  # the newest members joined this year
            joined = today - dt.timedelta(days=rng.randint(20, 330))
        age = rng.randint(55, 82) if i in older else rng.randint(28, 54)
        row = {
            "member_id": f"TV{i + 1:03d}", "name": _name(rng, i in women, taken),
            "gender": "Nữ" if i in women else "Nam", "birth_year": today.year - age,
            "group": f"Tổ {group}", "address": f"{HAMLETS[group - 1]}, xã An Bình",
            "phone": _phone(rng) if rng.random() < 0.85 else None,
            "circumstance": rng.choice(HOUSEHOLD),
            "role": BOARD[i] if i < 5 else ("Tổ trưởng" if i < 10 else "Thành viên"),
            "joined_on": joined, "_sort": i,
        }
        if i == 0:
            row["email"] = SETTINGS["Email Chủ nhiệm"]
        if i in leavers:
            row["left_on"] = today - dt.timedelta(days=rng.randint(20, 330))
            row["notes"] = LEAVING_NOTES[len([r for r in rows if "left_on" in r])]
        rows.append(row)
    _plant(rows[36], "gender", "not-in-list", "Nữa")
    phone_row = next(r for r in rows[20:36] if r["phone"] and "left_on" not in r)
    _plant(phone_row, "phone", "phone-as-number", int(phone_row["phone"].replace(" ", "").replace("+84", "")[-9:]))
    # A new member typed in with the ID of an existing one (should have been TV063).
    new = {"member_id": "TV023", "name": _name(rng, True, taken), "gender": "Nữ", "birth_year": today.year - 61,
           "group": "Tổ 3", "address": f"{HAMLETS[2]}, xã An Bình", "phone": _phone(rng),
           "circumstance": "Cận nghèo", "role": "Thành viên", "joined_on": today - dt.timedelta(days=12), "_sort": count}
    rows.append(_plant(new, "member_id", "member-id-unique"))
    return rows


# --- self-help cases ---------------------------------------------------------------


def _case_rows(rng: random.Random, today: dt.date, recorded: dt.date, case_id: str, members: list[dict]) -> list[dict]:
    """The rows of one case: who is helped, and one row per form of support."""
    situation, need, supports = rng.choice(CASES)
    member = rng.choice([m for m in members[:62] if "left_on" not in m])
    relation = rng.choice(["Thành viên", "Thành viên", "Gia đình TV", "Ngoài CLB"])
    woman = rng.random() < 0.7
    person = member["name"] if relation == "Thành viên" else _name(rng, woman, set())
    base = {
        "case_id": case_id, "recorded_on": recorded, "person": person,
        "member_id": member["member_id"] if relation != "Ngoài CLB" else None, "relation": relation,
        "address": member["address"] if relation != "Ngoài CLB" else f"{rng.choice(HAMLETS)}, xã An Bình",
        "circumstance": situation, "need": need, "proposed_by": member["group"],
        "urgent": "Có" if rng.random() < 0.25 else "Không",
    }
    rows: list[dict] = []
    for n, (form, amounts) in enumerate(supports):
        row = dict(base, support_form=form, _sort=(recorded, case_id, n))
        if amounts:
            row["amount"] = _typed_money(rng, rng.choice(amounts), 0.1)
        if form == "Ngày công":
            row["labour_days"] = rng.randint(1, 6)
        row["members_taking_part"] = rng.randint(3, 10) if form == "Ngày công" else rng.randint(1, 4)
        supported = recorded + dt.timedelta(days=rng.randint(0, 9) + 4 * n)
        if supported <= today:
            row["supported_on"], row["status"] = supported, "Đã hỗ trợ"
        else:
            row["status"] = "Đang hỗ trợ" if any(r["status"] == "Đã hỗ trợ" for r in rows) else "Đề xuất"
        if rng.random() < 0.05:
            row["recorded_on"] = _typed_date(recorded)
        rows.append(row)
    return rows


def _self_help(rng: random.Random, today: dt.date, members: list[dict]) -> list[dict]:
    """1-3 cases a month (today's and the 12 before), and three planted mistakes."""
    rows: list[dict] = []
    for back in range(MONTHS - 1, -1, -1):
        first, last = _month_span(today, back)
        # The first case early in the month, so that it is helped within the month.
        days = [_day_in(rng, first, min(last, first + dt.timedelta(days=14)))]
        days = sorted(days + [_day_in(rng, first, last) for _ in range(rng.choice([0, 1, 1, 2]))])
        for k, day in enumerate(days, start=1):
            rows += _case_rows(rng, today, day, f"TH{first.year}-{first.month:02d}-{k:02d}", members)
    # A value typed with two units: "1,5tr5" is no amount at all.
    # (A row with an error is left out of the figures: take one from a month with other cases.)
    per_month = Counter(r["_sort"][0].replace(day=1) for r in rows)
    older = [r for r in rows if r["_sort"][0] < today - dt.timedelta(days=60)]
    busy = [r for r in older if per_month[r["_sort"][0].replace(day=1)] > 1]
    _plant(rng.choice([r for r in busy if "amount" in r] or busy or older), "amount", "invalid-money", "1,5tr5")
    # Brought to the club's cultural evening, but the form of support was left blank.
    first, last = _month_span(today, 4)
    recorded = _day_in(rng, first, last - dt.timedelta(days=5))
    lonely = next(m for m in members[40:] if m["gender"] == "Nữ" and "left_on" not in m)
    rows.append(_plant({
        "case_id": f"TH{first.year}-{first.month:02d}-09", "recorded_on": recorded, "person": lonely["name"],
        "member_id": lonely["member_id"], "relation": "Thành viên", "address": lonely["address"],
        "circumstance": "Ở một mình, con cháu đi làm ăn xa", "need": "Được đưa đi sinh hoạt văn nghệ",
        "proposed_by": lonely["group"], "urgent": "Không", "members_taking_part": 2,
        "supported_on": recorded + dt.timedelta(days=3), "status": "Đã hỗ trợ", "_sort": (recorded, "~", 0),
    }, "status", "helped-without-support"))
    # A planned date typed into "Ngày hỗ trợ" ahead of time.
    recorded = today - dt.timedelta(days=2)
    helper = next(m for m in members[14:] if "left_on" not in m)
    rows.append(_plant({
        "case_id": f"TH{recorded.year}-{recorded.month:02d}-09", "recorded_on": recorded,
        "person": _name(rng, False, set()), "member_id": helper["member_id"], "relation": "Gia đình TV",
        "address": helper["address"], "circumstance": "Bị gãy chân, chưa làm được việc đồng áng",
        "need": "Giúp làm cỏ vườn điều", "proposed_by": helper["group"], "urgent": "Có",
        "support_form": "Ngày công", "labour_days": 2, "members_taking_part": 6,
        "supported_on": today + dt.timedelta(days=5), "status": "Đề xuất", "notes": "Hẹn cả tổ cùng đi",
        "_sort": (recorded, "~", 0),
    }, "supported_on", "case-date-in-future"))
    return rows


# --- community activities ------------------------------------------------------------


def _community(rng: random.Random, today: dt.date) -> list[dict]:
    """1-2 activities a month, except one month with none, and a 31st of February."""
    february = next(back for back in range(12) if _month_span(today, back)[0].month == 2)
    # Deliberately nothing in the month five months before today's (six if that one is
    # February), so that month misses the community target in the monthly report.
    skipped = 5 if february != 5 else 6
    rows = []
    for back in range(MONTHS - 1, -1, -1):
        if back == skipped:
            continue
        first, last = _month_span(today, back)
        for activity, kind, lead in rng.sample(ACTIVITIES, rng.choice([1, 1, 2])):
            day = _day_in(rng, first, last)
            rows.append({"date": day, "activity": activity, "kind": kind, "lead": lead,
                         "members_taking_part": rng.randint(8, 35), "_sort": (day, activity)})
    first = _month_span(today, february)[0]
    rows.append(_plant({"activity": "Văn nghệ mừng Xuân tại nhà văn hóa ấp", "kind": "Văn hóa - văn nghệ",
                        "lead": "CLB chủ trì", "members_taking_part": 40, "_sort": (first + dt.timedelta(days=27), "~")},
                       "date", "invalid-date", f"31/02/{first.year}"))
    return rows


# --- loans and repayments ---------------------------------------------------------------


def _loans(rng: random.Random, today: dt.date, members: list[dict]) -> list[dict]:
    """LOAN_COUNT loans to members of the last two years, plus one to an unknown member ID."""
    dates = sorted(today - dt.timedelta(days=rng.randint(20, 720)) for _ in range(LOAN_COUNT))
    eligible = [m for m in members[:62] if "left_on" not in m]
    rows = []
    for i, disbursed in enumerate(dates):
        interest_method, principal_method, terms = rng.choice(LOAN_KINDS)
        borrower = rng.choice([m for m in eligible if m["joined_on"] <= disbursed - dt.timedelta(days=30)])
        rate = rng.choice(RATES)
        rows.append({
            "loan_id": f"KV{i + 1:03d}", "member_id": borrower["member_id"], "borrower": borrower["name"],
            "disbursed_on": disbursed, "amount": rng.randrange(2_000_000, 15_000_001, 500_000), "rate": rate,
            "interest_method": interest_method, "months": rng.choice(terms), "principal_method": principal_method,
            "purpose": rng.choice(PURPOSES), "_sort": (disbursed, i), "_rate": rate,
        })
    # Amounts that make the typed forms below come out: 6 triệu over 12 months pays 500k a month.
    rows[3].update(amount=6_000_000, months=12, interest_method="Dư nợ giảm dần", principal_method="Hàng tháng")
    rows[0].update(amount=2_000_000, months=6, amount_cell="2.000.000 đ")
    _plant(rows[12], "rate", "loan-rate-range", 12)  # 12 %/năm typed where %/tháng is asked
    rows[12].update(_rate=1, notes="Lãi 1%/tháng")
    _plant(rows[20], "borrower", "formula-error", "#REF!")  # its VLOOKUP lost the Members range
    stranger = _name(rng, True, {m["name"] for m in members})
    disbursed = today - dt.timedelta(days=45)
    rows.append(_plant({
        "loan_id": f"KV{LOAN_COUNT + 1:03d}", "member_id": "TV065", "borrower": stranger,
        "disbursed_on": disbursed, "amount": 5_000_000, "rate": 1, "interest_method": "Dư nợ giảm dần",
        "months": 10, "principal_method": "Hàng tháng", "purpose": "Nuôi gà thả vườn", "_rate": 1,
        "notes": "Thành viên mới, chưa nhập vào trang Thành viên", "_sort": (today, LOAN_COUNT),  # entered late
    }, "member_id", "loan-member-unknown"))
    return rows


def _installments(loan: dict) -> list[Installment]:
    return schedule(loan["amount"], Decimal(str(loan["_rate"])), loan["months"],
                    method_for(loan["interest_method"], loan["principal_method"]), loan["disbursed_on"])


def _pay(loan: dict, on: dt.date, principal: int, interest: int, collector: str, seq: int, **extra) -> dict:
    return dict({"paid_on": on, "loan_id": loan["loan_id"], "principal": principal or None, "interest": interest or None,
                 "collector": collector, "_sort": (on, loan["loan_id"], seq)}, **extra)


def _repayments(rng: random.Random, today: dt.date, loans: list[dict], collectors: list[str]) -> list[dict]:
    """Each installment paid around its due date, with a late loan, a PAR30 loan and an early payoff."""
    running = [l for l in loans if "_plant" not in l]
    par30 = rng.choice([l for l in running if _installments(l)[-1].due_date > today
                        and sum(i.due_date <= today - dt.timedelta(days=75) for i in _installments(l)) >= 2])
    early = rng.choice([l for l in running if l is not par30 and l["months"] >= 9
                        and sum(i.due_date <= today for i in _installments(l)) >= 5])
    late = rng.choice([l for l in running if l not in (par30, early)
                       and sum(i.due_date <= today - dt.timedelta(days=30) for i in _installments(l)) >= 3])
    rows, seq, third = [], 0, None
    for loan in loans:
        for inst in _installments(loan):
            seq += 1
            collector = rng.choice(collectors)
            if loan is par30 and inst.due_date > today - dt.timedelta(days=75):
                break  # stopped paying: more than 30 days past due today
            if loan is early and inst.n == 4:
                payoff = inst.principal + inst.balance
                rows.append(_pay(loan, inst.due_date, payoff, inst.interest, collector, seq, notes="Tất toán trước hạn"))
                break
            if loan is late and inst.n in (2, 3):
                paid_on = inst.due_date + dt.timedelta(days=rng.randint(9, 20))
                extra = {"penalty": 30_000, "notes": "Trả chậm"}
            else:
                # Most pay at the monthly meeting, on or a few days before the due date.
                paid_on, extra = inst.due_date + dt.timedelta(days=rng.choice(PAID_EARLY)), {}
            if paid_on > today:
                break
            row = _pay(loan, paid_on, _typed_money(rng, inst.principal), _typed_money(rng, inst.interest), collector, seq, **extra)
            if rng.random() < 0.02:
                row["paid_on"] = _typed_date(paid_on)
            rows.append(row)
            third = row if loan is late and inst.n == 3 else third
    # The late borrower paid the penalty of installment 3 on its own row, typed a
    # year early: before the loan existed.  (Penalty only: the row is left out of
    # the figures, and the installment itself stays paid on its own row.)
    del third["penalty"]
    paid_on = third["_sort"][0]
    penalty = _pay(late, paid_on, 0, 0, third["collector"], seq + 1, penalty=30_000, notes="Phạt trả chậm kỳ 3")
    rows.append(_plant(penalty, "paid_on", "repayment-before-disbursement", _typed_date(add_months(paid_on, -12))))
    first_500k = next(r for r in rows if r["principal"] == 500_000)
    first_500k["principal"] = "500k"
    # A Mã KV typed without its zero (KV017 written KV17), recently: leaving that
    # payment out makes its loan a few days late, not a second PAR30 loan.
    recent = [r for r in rows if r["_sort"][0] >= today - dt.timedelta(days=25) and r["loan_id"] > "KV009"
              and "notes" not in r and "_plant" not in r]
    typo = rng.choice(recent or [r for r in rows if r["loan_id"] > "KV009" and "_plant" not in r])
    _plant(typo, "loan_id", "repayment-loan-unknown", typo["loan_id"].replace("KV0", "KV"))
    rows.append({"_sort": rows[len(rows) // 2]["_sort"][:1] + ("~", 0)})  # a blank row left in the middle
    return rows


# --- the whole club ---------------------------------------------------------------------


def build_demo(today: dt.date, seed: int = 2026) -> DemoClub:
    """The demo club as of ``today``: every tab's rows and the planted mistakes."""
    rng = random.Random(seed)
    layout = {tab.id: [c.id for c in tab.columns] for tab in club_layout(load_rules())}
    members = _members(rng, today)
    loans = _loans(rng, today, members)
    collectors = [members[3]["name"]] * 3 + [members[5]["name"], members[8]["name"]]
    tabs = {
        "members": members,
        "self_help": _self_help(rng, today, members),
        "community": _community(rng, today),
        "repayments": _repayments(rng, today, loans, collectors),
        "loans": loans,
    }
    for loan in loans:
        loan["amount"] = loan.pop("amount_cell", loan["amount"])
    rows = {"settings": [[name, value] for name, value in SETTINGS.items()]}
    planted: list[Planted] = []
    for tab_id in ("members", "self_help", "community", "loans", "repayments"):
        rows[tab_id], found = _table(tab_id, tabs[tab_id], layout[tab_id])
        planted += found
    return DemoClub(rows, planted)


def write_demo(directory: Path, today: dt.date, seed: int = 2026) -> Path:
    """Write the demo workbook to ``directory/clb-mau.xlsx`` (replacing an earlier demo) and return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / DEMO_FILE
    path.unlink(missing_ok=True)  # the demo's own file: a fresh one every time
    xlsx.create(path, club_layout(load_rules()), build_demo(today, seed).rows)
    return path
