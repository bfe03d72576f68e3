"""Messages the program itself says (not rule messages: those live in rules/).

One catalogue, Vietnamese first, English beside it.  ``t(key, lang, **params)``
renders one; a missing placeholder is a bug and raises ``KeyError`` so tests
catch it.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "Text", "t"]

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
    "source-unavailable": {
        "vi": 'Không mở được bảng tính "{path}": {detail}',
        "en": 'Could not open the spreadsheet "{path}": {detail}',
    },
    "google-no-credentials": {
        "vi": "Chưa có khoá tài khoản dịch vụ Google: hãy dùng --credentials TỆP.json, hoặc đặt biến môi trường {file_env} (đường dẫn tệp khoá) hay {json_env} (nội dung JSON).",
        "en": "No Google service-account key: use --credentials FILE.json, or set {file_env} (the key file's path) or {json_env} (its JSON text).",
    },
    "google-bad-credentials": {
        "vi": 'Khoá tài khoản dịch vụ Google từ "{source}" không dùng được: {detail}. Hãy tải lại tệp khoá JSON từ Google Cloud Console.',
        "en": 'The Google service-account key from "{source}" cannot be used: {detail}. Download the JSON key file again from the Google Cloud Console.',
    },
    "job-locked": {
        "vi": 'Việc "{job}" đang chạy ở một tiến trình khác (PID {pid}, khoá {path}); lần chạy này dừng để không làm hai lần.',
        "en": 'The "{job}" job is already running in another process (PID {pid}, lock {path}); this run stops so nothing is done twice.',
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
    "init-written-google": {
        "vi": 'Đã tạo bảng tính Google của CLB: {url}\nĐã chia sẻ quyền chỉnh sửa cho: {email}. Hãy điền trang "Cài đặt" trước.',
        "en": 'Club Google Sheet created: {url}\nShared for editing with: {email}. Fill in the "Settings" tab first.',
    },
    "demo-written": {
        "vi": "Đã tạo CLB mẫu: {path}",
        "en": "Sample club written: {path}",
    },
    "demo-report-written": {
        "vi": "Báo cáo tháng: {path}",
        "en": "Monthly report: {path}",
    },
    "demo-email-written": {
        "vi": "Thư gửi Chủ nhiệm (chưa gửi đi, xem trước): {outbox}\nMở bằng trình duyệt: {path}",
        "en": "The chair's email (not sent, a preview): {outbox}\nOpen in a browser: {path}",
    },
    "demo-next": {
        "vi": "Thử tiếp: sheets-sync check {path} --lang en  |  sheets-sync report {path} --month 2026-10  |  mở tệp bằng Excel/LibreOffice để xem dữ liệu.",
        "en": "Next: sheets-sync check {path} --lang vi  |  sheets-sync report {path} --month 2026-10  |  open the file in Excel/LibreOffice to see the data.",
    },
    # --- config file (sheets-sync.toml) --------------------------------------
    "config-not-found": {
        "vi": 'Không tìm thấy tệp cấu hình "{file}". Hãy kiểm tra đường dẫn của --config.',
        "en": 'Config file "{file}" not found. Check the path given to --config.',
    },
    "config-unreadable": {
        "vi": 'Tệp cấu hình "{file}" không đọc được (cần TOML, mã UTF-8): {detail}',
        "en": 'Config file "{file}" cannot be read (TOML in UTF-8 expected): {detail}',
    },
    "config-not-table": {
        "vi": 'Tệp cấu hình "{file}": "{key}" phải là một mục [{key}] có các khóa bên dưới.',
        "en": 'Config file "{file}": "{key}" must be a [{key}] section with keys under it.',
    },
    "config-unknown-key": {
        "vi": 'Tệp cấu hình "{file}": khóa "{key}" không có; các khóa dùng được ở đây: {valid}. Hãy sửa lỗi chính tả hoặc xóa dòng đó.',
        "en": 'Config file "{file}": unknown key "{key}"; the keys valid here are: {valid}. Fix the spelling or remove the line.',
    },
    "config-missing-key": {
        "vi": 'Tệp cấu hình "{file}": thiếu khóa "{key}". Hãy thêm nó.',
        "en": 'Config file "{file}": key "{key}" is missing. Add it.',
    },
    "config-not-text": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không dùng được; hãy viết một chuỗi trong ngoặc kép, không để trống, không xuống dòng.',
        "en": 'Config file "{file}", key "{key}": "{value}" cannot be used; write a non-empty one-line text in double quotes.',
    },
    "config-bad-number": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không hợp lệ; hãy viết một số từ {low} đến {high} (không có ngoặc kép).',
        "en": 'Config file "{file}", key "{key}": "{value}" is not valid; write a number from {low} to {high} (no quotes).',
    },
    "config-bad-choice": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không hợp lệ; hãy chọn một trong: {choices}.',
        "en": 'Config file "{file}", key "{key}": "{value}" is not valid; choose one of: {choices}.',
    },
    "config-bad-address": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không phải một địa chỉ email; hãy viết dạng ten@vi-du.org.',
        "en": 'Config file "{file}", key "{key}": "{value}" is not an email address; write it as name@example.org.',
    },
    "config-password-in-file": {
        "vi": 'Tệp cấu hình "{file}": không ghi mật khẩu vào tệp cấu hình (khóa "{key}"). Hãy xóa dòng đó và dùng password_env = "SMTP_PASSWORD" (tên biến môi trường) hoặc password_file = "/đường/dẫn" (tệp chứa mật khẩu).',
        "en": 'Config file "{file}": passwords are not written in the config file (key "{key}"). Remove that line and use password_env = "SMTP_PASSWORD" (an environment variable\'s name) or password_file = "/path" (a file holding it).',
    },
    "config-password-twice": {
        "vi": 'Tệp cấu hình "{file}": có cả "{key}" và "{other}"; hãy giữ một trong hai.',
        "en": 'Config file "{file}": both "{key}" and "{other}" are set; keep one of them.',
    },
    "config-login-incomplete": {
        "vi": 'Tệp cấu hình "{file}": có "{key}" thì cần cả "{other}" (đăng nhập máy chủ thư cần tên và mật khẩu).',
        "en": 'Config file "{file}": "{key}" needs "{other}" too (logging in to the mail server takes a username and a password).',
    },
    "config-bad-env-name": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": giá trị không phải tên biến môi trường; hãy viết tên như SMTP_PASSWORD (chữ, số, dấu gạch dưới), không phải mật khẩu.',
        "en": 'Config file "{file}", key "{key}": the value is not an environment variable name; write a name such as SMTP_PASSWORD (letters, digits, underscores), not the password.',
    },
    "config-password-env-missing": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": biến môi trường {name} chưa được đặt hoặc để trống. Hãy đặt nó trước khi chạy (ví dụ: export {name}=...).',
        "en": 'Config file "{file}", key "{key}": environment variable {name} is not set or empty. Set it before running (e.g. export {name}=...).',
    },
    "config-password-file-unreadable": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": không đọc được tệp mật khẩu "{path}": {detail}.',
        "en": 'Config file "{file}", key "{key}": the password file "{path}" cannot be read: {detail}.',
    },
    "config-password-file-empty": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": tệp mật khẩu "{path}" trống.',
        "en": 'Config file "{file}", key "{key}": the password file "{path}" is empty.',
    },
    "config-plain-login": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "plain" sẽ gửi mật khẩu không mã hóa tới "{host}". Hãy dùng "starttls" hoặc "ssl"; "plain" có đăng nhập chỉ dùng cho máy chủ chuyển tiếp trên chính máy này (localhost).',
        "en": 'Config file "{file}", key "{key}": "plain" would send the password unencrypted to "{host}". Use "starttls" or "ssl"; "plain" with a login is only for a relay on this machine (localhost).',
    },
    "config-no-smtp": {
        "vi": 'Chưa cấu hình máy chủ thư: tệp "{file}" không có mục [smtp]. Hãy thêm [smtp] (host, from_address...) hoặc dùng --outbox THƯ_MỤC để xem thư mà không gửi.',
        "en": 'No mail server configured: "{file}" has no [smtp] section. Add [smtp] (host, from_address...) or use --outbox DIR to preview the messages without sending.',
    },
    # --- state file (SQLite) ----------------------------------------------------
    "state-error": {
        "vi": 'Không dùng được tệp trạng thái "{path}": {detail}',
        "en": 'Cannot use the state file "{path}": {detail}',
    },
    "state-unreadable": {
        "vi": 'Không mở được tệp trạng thái "{path}": {detail}. Hãy kiểm tra [state] path trong tệp cấu hình và quyền ghi thư mục.',
        "en": 'The state file "{path}" cannot be opened: {detail}. Check [state] path in the config file and that its folder is writable.',
    },
    "state-write-failed": {
        "vi": 'Không ghi được vào tệp trạng thái "{path}": {detail}. Đã dừng để không gửi thư hai lần; hãy sửa rồi chạy lại.',
        "en": 'Could not write to the state file "{path}": {detail}. Stopped so no message goes out twice; fix it and run again.',
    },
    "state-too-new": {
        "vi": 'Tệp trạng thái "{path}" do bản sheets-sync mới hơn tạo (phiên bản {version}, bản này đọc tới {supported}). Hãy cập nhật sheets-sync.',
        "en": 'The state file "{path}" was written by a newer sheets-sync (version {version}; this one reads up to {supported}). Upgrade sheets-sync.',
    },
    # --- mail -------------------------------------------------------------------
    "mail-bad-address": {
        "vi": '"{address}" không phải một địa chỉ email; hãy viết mỗi địa chỉ một ô, dạng ten@vi-du.org.',
        "en": '"{address}" is not one email address; write each address as name@example.org.',
    },
    "mail-gave-up": {
        "vi": 'Máy chủ thư {server} chưa nhận thư sau {attempts} lần thử; lần cuối: {detail}. Hãy kiểm tra host/port trong [smtp] hoặc thử lại sau.',
        "en": 'Mail server {server} did not take the message after {attempts} attempts; last: {detail}. Check host/port in [smtp] or try again later.',
    },
    "mail-auth-failed": {
        "vi": 'Máy chủ thư {server} từ chối đăng nhập của "{user}": {reply}. Hãy kiểm tra username trong [smtp] và mật khẩu ({source}).',
        "en": 'Mail server {server} refused the login of "{user}": {reply}. Check username in [smtp] and the password ({source}).',
    },
    "mail-recipient-refused": {
        "vi": 'Máy chủ thư {server} từ chối người nhận "{address}": {reply}. Hãy kiểm tra địa chỉ này.',
        "en": 'Mail server {server} refused the recipient "{address}": {reply}. Check this address.',
    },
    "mail-sender-refused": {
        "vi": 'Máy chủ thư {server} từ chối địa chỉ gửi "{address}": {reply}. Hãy kiểm tra from_address trong [smtp].',
        "en": 'Mail server {server} refused the sender "{address}": {reply}. Check from_address in [smtp].',
    },
    "mail-rejected": {
        "vi": "Máy chủ thư {server} không nhận thư: {reply}",
        "en": "Mail server {server} rejected the message: {reply}",
    },
    "mail-tls-failed": {
        "vi": 'Không lập được kết nối mã hóa với máy chủ thư {server}: {detail}. Hãy kiểm tra security và port trong [smtp] (thường "starttls" với 587, "ssl" với 465).',
        "en": 'Could not set up an encrypted connection to mail server {server}: {detail}. Check security and port in [smtp] (usually "starttls" with 587, "ssl" with 465).',
    },
    "mail-no-starttls": {
        "vi": 'Máy chủ thư {server} không hỗ trợ STARTTLS. Hãy đặt security = "ssl" (port 465), hoặc "plain" nếu đó là máy chủ chuyển tiếp trên chính máy này.',
        "en": 'Mail server {server} does not offer STARTTLS. Set security = "ssl" (port 465), or "plain" for a relay on this machine.',
    },
    "mail-no-auth": {
        "vi": "Máy chủ thư {server} không cho đăng nhập (AUTH) theo cách sheets-sync dùng. Hãy bỏ username nếu máy chủ không cần đăng nhập, hoặc dùng cổng gửi thư (587/465).",
        "en": "Mail server {server} offers no login (AUTH) that sheets-sync can use. Remove username if the server needs no login, or use its submission port (587/465).",
    },
    "mail-outbox-failed": {
        "vi": 'Không ghi được thư vào "{path}": {detail}. Hãy chọn một thư mục ghi được cho --outbox.',
        "en": 'Could not write the message to "{path}": {detail}. Choose a writable folder for --outbox.',
    },
    "mail-no-recipients": {
        "vi": 'CLB "{club}" chưa có Email Chủ nhiệm trong trang Cài đặt. Hãy điền vào, hoặc dùng --to EMAIL.',
        "en": 'Club "{club}" has no chair email in the Settings tab. Fill it in, or use --to EMAIL.',
    },
    "option-conflict": {
        "vi": "Không dùng {option} cùng với {other}.",
        "en": "{option} cannot be used together with {other}.",
    },
    "option-needs": {
        "vi": "{option} chỉ dùng được cùng {other}.",
        "en": "{option} only works together with {other}.",
    },
    # --- mail output ------------------------------------------------------------
    "mail-sent": {"vi": "Đã gửi tới {recipient}", "en": "Sent to {recipient}"},
    "mail-written": {"vi": "Đã ghi thư (chưa gửi): {path}", "en": "Message written (not sent): {path}"},
    "mail-skipped": {
        "vi": "Đã gửi tới {recipient} trước đây; bỏ qua (dùng --resend để gửi lại)",
        "en": "Already sent to {recipient}; skipped (use --resend to send again)",
    },
    "mail-failed": {"vi": "KHÔNG gửi được tới {recipient}: {reason}", "en": "NOT sent to {recipient}: {reason}"},
    "digest-nothing-new": {
        "vi": "Không có lỗi mới kể từ thư trước; không gửi thư.",
        "en": "No new problems since the last digest; nothing sent.",
    },
    "digest-new": {
        "vi": "{count} lỗi mới kể từ thư trước. Dùng --send để gửi, hoặc --outbox THƯ_MỤC để xem trước.",
        "en": "{count} new problems since the last digest. Use --send to mail them, or --outbox DIR to preview.",
    },
}


class Text(dict):
    """A parameter already written in each language: ``Text(vi="...", en="...")``.

    Lets an error carry text from elsewhere (Google's advice, say) and still
    be shown in whichever language the user asks for later.
    """

    def __init__(self, *, vi: str, en: str) -> None:
        super().__init__(vi=vi, en=en)


def t(key: str, lang: str = "vi", /, **params: object) -> str:
    """Render message ``key`` in ``lang`` (falls back to Vietnamese)."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["vi"]
    resolved = {k: (v.get(lang) or v["vi"]) if isinstance(v, Text) else v for k, v in params.items()}
    return template.format(**resolved)
