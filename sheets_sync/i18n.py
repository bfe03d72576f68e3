"""Messages the program itself says (not rule messages: those live in rules/).

One catalogue, Vietnamese first, English beside it.  ``t(key, lang, **params)``
renders one; a missing placeholder is a bug and raises ``KeyError`` so tests
catch it.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "t"]

LANGUAGES = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors that stop a run -------------------------------------------
    "error": {"vi": "Đã có lỗi: {detail}", "en": "Something went wrong: {detail}"},
    "config-error": {"vi": "Lỗi cấu hình: {detail}", "en": "Configuration error: {detail}"},
    "rules-file-invalid": {
        "vi": 'Tệp quy tắc "{file}" không đọc được: {detail}',
        "en": 'Rules file "{file}" cannot be read: {detail}',
    },
    "rules-key-invalid": {
        "vi": 'Tệp quy tắc "{file}", quy tắc "{rule}": {detail}',
        "en": 'Rules file "{file}", rule "{rule}": {detail}',
    },
    "rules-folder-missing": {
        "vi": 'Không tìm thấy thư mục quy tắc "{path}".',
        "en": 'Rules folder "{path}" not found.',
    },
    "source-error": {"vi": 'Không dùng được "{path}": {detail}', "en": 'Cannot use "{path}": {detail}'},
    "source-not-found": {
        "vi": 'Không tìm thấy tệp "{path}". Hãy kiểm tra lại đường dẫn.',
        "en": 'File "{path}" not found. Check the path.',
    },
    "source-unreadable": {
        "vi": '"{path}" không phải sổ tính Excel (.xlsx) đọc được: {detail}',
        "en": '"{path}" is not a readable Excel workbook (.xlsx): {detail}',
    },
    "source-exists": {
        "vi": 'Tệp "{path}" đã có; sheets-sync không ghi đè. Hãy chọn tên khác.',
        "en": 'File "{path}" already exists; sheets-sync does not overwrite it. Choose another name.',
    },
    "source-locked": {
        "vi": '"{path}" đang được mở trong Excel hoặc LibreOffice; sheets-sync chưa ghi ghi chú. Hãy đóng tệp rồi chạy lại.',
        "en": '"{path}" is open in Excel or LibreOffice; sheets-sync wrote nothing. Close the file and run again.',
    },
    "source-changed": {
        "vi": '"{path}" vừa bị sửa trong lúc sheets-sync đang kiểm tra; chưa ghi gì. Hãy chạy lại.',
        "en": '"{path}" changed while sheets-sync was checking it; nothing was written. Run again.',
    },
    "tab-not-found": {
        "vi": 'Không có trang "{tab}" trong "{path}"; các trang hiện có: {tabs}. Hãy thêm trang "{tab}" (hoặc "{alias}").',
        "en": 'Tab "{tab}" not found in "{path}"; its tabs are: {tabs}. Add a tab named "{tab}" (or "{alias}").',
    },
    "mail-error": {"vi": "Không gửi được thư: {detail}", "en": "Could not send mail: {detail}"},
    "bad-month": {
        "vi": 'Tháng "{value}" không hợp lệ; hãy viết dạng NNNN-TT, ví dụ 2026-10.',
        "en": 'Month "{value}" is not valid; write it as YYYY-MM, e.g. 2026-10.',
    },
    "bad-today": {
        "vi": 'Biến môi trường SHEETS_SYNC_TODAY="{value}" không hợp lệ; hãy viết dạng NNNN-TT-NN.',
        "en": 'SHEETS_SYNC_TODAY="{value}" is not a valid date; write it as YYYY-MM-DD.',
    },
    "bad-option": {
        "vi": 'Giá trị "{value}" của {option} không dùng được; xem sheets-sync --help.',
        "en": 'The value "{value}" of {option} cannot be used; see sheets-sync --help.',
    },
    # --- loan-schedule -------------------------------------------------------
    "schedule-n": {"vi": "Kỳ", "en": "No."},
    "schedule-due": {"vi": "Ngày đến hạn", "en": "Due date"},
    "schedule-principal": {"vi": "Tiền gốc", "en": "Principal"},
    "schedule-interest": {"vi": "Tiền lãi", "en": "Interest"},
    "schedule-total": {"vi": "Tổng phải trả", "en": "Total due"},
    "schedule-balance": {"vi": "Dư nợ còn lại", "en": "Balance"},
    "schedule-sum": {"vi": "Cộng", "en": "Total"},
    # --- check output ------------------------------------------------------
    "check-title": {"vi": "Kiểm tra {name}", "en": "Checking {name}"},
    "check-tab": {"vi": "Trang {tab}", "en": "Tab {tab}"},
    "check-line": {
        "vi": "  {severity} dòng {row}, cột {column} ({cell}): {message}",
        "en": "  {severity} row {row}, column {column} ({cell}): {message}",
    },
    "severity-error": {"vi": "[LỖI]", "en": "[ERROR]"},
    "severity-warning": {"vi": "[CHÚ Ý]", "en": "[WARNING]"},
    "check-summary": {
        "vi": "Tổng cộng: {errors} lỗi, {warnings} điều cần chú ý, trên {rows} dòng đã kiểm tra.",
        "en": "In total: {errors} errors, {warnings} warnings, in {rows} rows checked.",
    },
    "check-clean": {
        "vi": "Không có lỗi nào. Cảm ơn bạn đã nhập liệu cẩn thận!",
        "en": "No problems found. Thank you for careful data entry!",
    },
    "annotated": {
        "vi": 'Đã ghi chú lên các ô có vấn đề và cập nhật trang "Kiểm tra", "Báo cáo tháng" trong {path}.',
        "en": 'Notes written on the problem cells, and the "Kiểm tra" and "Báo cáo tháng" tabs updated, in {path}.',
    },
    "annotated-nothing": {
        "vi": "Không có gì thay đổi; {path} không bị ghi lại.",
        "en": "Nothing changed; {path} was not written.",
    },
    # --- commands ------------------------------------------------------------
    "init-written": {
        "vi": 'Đã tạo sổ CLB trống: {path}\nHãy điền trang "Cài đặt" trước (tên CLB, email Chủ nhiệm).',
        "en": 'Empty club workbook written: {path}\nFill in the "Settings" tab first (club name, chair email).',
    },
    "demo-written": {
        "vi": "Đã tạo CLB mẫu: {path}",
        "en": "Sample club written: {path}",
    },
    "demo-report-written": {
        "vi": "Báo cáo tháng: {path}",
        "en": "Monthly report: {path}",
    },
    "demo-next": {
        "vi": "Thử tiếp: sheets-sync check {path} --lang en  |  sheets-sync report {path} --month 2026-10  |  mở tệp bằng Excel/LibreOffice để xem dữ liệu.",
        "en": "Next: sheets-sync check {path} --lang vi  |  sheets-sync report {path} --month 2026-10  |  open the file in Excel/LibreOffice to see the data.",
    },
}


def t(key: str, lang: str = "vi", /, **params: object) -> str:
    """Render message ``key`` in ``lang`` (falls back to Vietnamese)."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["vi"]
    return template.format(**params)
