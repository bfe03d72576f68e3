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
    # --- config file: the jobs' sections ------------------------------------------
    "config-bad-bool": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không hợp lệ; hãy viết true hoặc false (không có ngoặc kép).',
        "en": 'Config file "{file}", key "{key}": "{value}" is not valid; write true or false (no quotes).',
    },
    "config-bad-time": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không phải giờ trong ngày; hãy viết dạng "GG:PP", ví dụ "02:00".',
        "en": 'Config file "{file}", key "{key}": "{value}" is not a time of day; write it as "HH:MM", e.g. "02:00".',
    },
    "config-bad-timezone": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" không phải múi giờ; hãy viết tên như "Asia/Ho_Chi_Minh".',
        "en": 'Config file "{file}", key "{key}": "{value}" is not a time zone; write a name such as "Asia/Ho_Chi_Minh".',
    },
    "config-not-array": {
        "vi": 'Tệp cấu hình "{file}": "{key}" phải là các mục [[{key}]], mỗi CLB một mục.',
        "en": 'Config file "{file}": "{key}" must be [[{key}]] entries, one per club.',
    },
    "config-duplicate-club": {
        "vi": 'Tệp cấu hình "{file}", khóa "{key}": "{value}" là cùng một sổ với "{other}"; hãy xóa một trong hai mục.',
        "en": 'Config file "{file}", key "{key}": "{value}" is the same workbook as "{other}"; remove one of the two entries.',
    },
    "config-no-clubs": {
        "vi": 'Tệp cấu hình "{file}" chưa có CLB nào: hãy thêm các mục [[clubs]] (source = ...) hoặc [registry] source = bảng danh sách CLB.',
        "en": 'Config file "{file}" lists no club: add [[clubs]] entries (source = ...) or [registry] source = a club list sheet.',
    },
    "job-file-invalid": {
        "vi": 'Tệp định nghĩa việc "{file}", khóa "{key}": giá trị {value} không dùng được; xem chú thích trong tệp.',
        "en": 'Job definition "{file}", key "{key}": the value {value} cannot be used; see the comments in the file.',
    },
    # --- the club registry (tab Danh sách CLB) ---------------------------------------
    "registry-label": {"vi": "Danh sách CLB", "en": "Club registry"},
    "registry-no-link-column": {
        "vi": 'Danh sách CLB "{path}", trang "{tab}": không có cột đường dẫn tới sổ CLB ({names}). Hãy thêm cột "Link".',
        "en": 'Club registry "{path}", tab "{tab}": no column with the link to each club\'s workbook ({names}). Add a "Link" column.',
    },
    "registry-row-no-link": {
        "vi": 'Danh sách CLB, dòng {row} ({name}): chưa có Link tới sổ CLB; dòng này được bỏ qua.',
        "en": 'Club registry, row {row} ({name}): no Link to the club\'s workbook; the row was skipped.',
    },
    "registry-row-bad-email": {
        "vi": 'Danh sách CLB, dòng {row} ({name}): "{value}" không phải một địa chỉ email; dùng Email Chủ nhiệm trong sổ CLB thay thế.',
        "en": 'Club registry, row {row} ({name}): "{value}" is not an email address; the chair email in the club\'s own workbook is used instead.',
    },
    "registry-row-bad-active": {
        "vi": 'Danh sách CLB, dòng {row} ({name}): Đang hoạt động = "{value}" không rõ (hãy ghi Có hoặc Không); CLB vẫn được xử lý.',
        "en": 'Club registry, row {row} ({name}): Active = "{value}" is unclear (write Có/Yes or Không/No); the club is processed.',
    },
    # --- nightly / monthly runs --------------------------------------------------------
    "club-timed-out": {
        "vi": "Quá {seconds} giây mà chưa xong; đã bỏ qua để chạy các CLB khác (tăng club_time_limit trong [schedule] nếu sổ rất lớn).",
        "en": "Not done within {seconds} seconds; left behind so the other clubs go on (raise club_time_limit in [schedule] for a very large workbook).",
    },
    "club-bug": {
        "vi": "Lỗi không mong đợi trong sheets-sync ({kind}); chi tiết có trong nhật ký (log). Các CLB khác vẫn được xử lý.",
        "en": "Unexpected error in sheets-sync ({kind}); the details are in the log. The other clubs were processed.",
    },
    "club-no-recipients": {
        "vi": 'CLB "{club}" chưa có Email Chủ nhiệm (trang Cài đặt, hay chair_email trong tệp cấu hình); không gửi được thư.',
        "en": 'Club "{club}" has no chair email (Settings tab, or chair_email in the config file); no email could be sent.',
    },
    "club-line-ok": {"vi": "[ỔN] {name}: {detail}", "en": "[OK] {name}: {detail}"},
    "club-line-problems": {"vi": "[CÓ LỖI DỮ LIỆU] {name}: {detail}", "en": "[DATA ERRORS] {name}: {detail}"},
    "club-line-failed": {"vi": "[KHÔNG CHẠY ĐƯỢC] {name}: {reason}", "en": "[FAILED] {name}: {reason}"},
    "club-detail": {"vi": "{errors} lỗi, {warnings} điều cần chú ý", "en": "{errors} errors, {warnings} warnings"},
    "club-detail-unchanged": {"vi": "không đổi từ lần kiểm tra trước, không đọc lại", "en": "unchanged since its last check, not read again"},
    "club-detail-wrote": {"vi": "đã ghi chú vào sổ", "en": "notes written"},
    "club-detail-mails": {"vi": "{mails} thư", "en": "{mails} emails"},
    "club-progress": {"vi": "[{n}/{total}] {line}", "en": "[{n}/{total}] {line}"},
    "run-summary": {
        "vi": "{job}: {clubs} CLB, {ok} ổn, {problems} có lỗi dữ liệu, {failed} không chạy được.",
        "en": "{job}: {clubs} clubs, {ok} OK, {problems} with data errors, {failed} failed.",
    },
    "job-nightly": {"vi": "Kiểm tra đêm {period}", "en": "Nightly check {period}"},
    "job-monthly": {"vi": "Báo cáo tháng {period}", "en": "Monthly report {period}"},
    "run-progress-label": {"vi": "Đang xử lý các CLB", "en": "Processing clubs"},
    "rollup-no-coordinator": {
        "vi": "Không gửi bảng tổng hợp: chưa có [coordinator] emails trong tệp cấu hình.",
        "en": "No roll-up sent: the config file has no [coordinator] emails.",
    },
    "rollup-sent": {"vi": "Đã gửi bảng tổng hợp tới {recipient}", "en": "Roll-up sent to {recipient}"},
    "rollup-written": {"vi": "Đã ghi bảng tổng hợp (chưa gửi): {path}", "en": "Roll-up written (not sent): {path}"},
    "rollup-skipped": {
        "vi": "Bảng tổng hợp đã gửi tới {recipient} trước đây; bỏ qua (dùng --resend để gửi lại)",
        "en": "Roll-up already sent to {recipient}; skipped (use --resend to send again)",
    },
    "rollup-failed": {"vi": "KHÔNG gửi được bảng tổng hợp tới {recipient}: {reason}", "en": "Roll-up NOT sent to {recipient}: {reason}"},
    # --- the coordinator's roll-up (CSV headers, words) ----------------------------------
    "rollup-col-club": {"vi": "Tên CLB", "en": "Club"},
    "rollup-col-province": {"vi": "Tỉnh", "en": "Province"},
    "rollup-col-district": {"vi": "Huyện", "en": "District"},
    "rollup-col-commune": {"vi": "Xã", "en": "Commune"},
    "rollup-col-status": {"vi": "Trạng thái", "en": "Status"},
    "rollup-col-cases_helped": {"vi": "Số trường hợp được giúp", "en": "Cases helped"},
    "rollup-col-cases_target": {"vi": "Chỉ tiêu giúp đỡ", "en": "Cases target"},
    "rollup-col-cases_target_met": {"vi": "Đạt chỉ tiêu giúp đỡ", "en": "Cases target met"},
    "rollup-col-activities": {"vi": "Hoạt động cộng đồng", "en": "Community activities"},
    "rollup-col-community_target": {"vi": "Chỉ tiêu hoạt động cộng đồng", "en": "Community target"},
    "rollup-col-community_target_met": {"vi": "Đạt chỉ tiêu cộng đồng", "en": "Community target met"},
    "rollup-col-errors": {"vi": "Lỗi dữ liệu còn mở", "en": "Open data errors"},
    "rollup-col-warnings": {"vi": "Điều cần chú ý còn mở", "en": "Open warnings"},
    "rollup-col-active_members": {"vi": "Thành viên", "en": "Active members"},
    "rollup-col-loans_outstanding": {"vi": "Khoản vay còn dư nợ", "en": "Loans outstanding"},
    "rollup-col-outstanding_principal": {"vi": "Dư nợ gốc (đồng)", "en": "Principal outstanding (dong)"},
    "rollup-col-par30": {"vi": "PAR30 (%)", "en": "PAR30 (%)"},
    "rollup-col-last_check": {"vi": "Lần kiểm tra thành công gần nhất", "en": "Last successful check"},
    "rollup-col-reason": {"vi": "Lý do", "en": "Reason"},
    "rollup-status-ok": {"vi": "Ổn", "en": "OK"},
    "rollup-status-problems": {"vi": "Còn lỗi dữ liệu", "en": "Data errors"},
    "rollup-status-failed": {"vi": "Không chạy được", "en": "Failed"},
    "rollup-yes": {"vi": "Có", "en": "yes"},
    "rollup-no": {"vi": "Không", "en": "no"},
    # --- sheets-sync doctor -----------------------------------------------------------
    "doctor-ok": {"vi": "[ỔN]    {message}", "en": "[OK]      {message}"},
    "doctor-problem": {"vi": "[CẦN SỬA] {message}", "en": "[PROBLEM] {message}"},
    "doctor-note": {"vi": "[LƯU Ý] {message}", "en": "[NOTE]    {message}"},
    "doctor-summary-ok": {"vi": "Mọi thứ đã sẵn sàng.", "en": "Everything is ready."},
    "doctor-summary-problems": {"vi": "Có {count} điều cần sửa (xem [CẦN SỬA] ở trên).", "en": "Problems to fix: {count} (see [PROBLEM] above)."},
    "doctor-no-config": {
        "vi": "Không có tệp cấu hình: hãy chép jobs/sheets-sync.example.toml thành sheets-sync.toml, sửa lại, rồi dùng --config TỆP hoặc biến SHEETS_SYNC_CONFIG.",
        "en": "No config file: copy jobs/sheets-sync.example.toml to sheets-sync.toml, edit it, then use --config FILE or set SHEETS_SYNC_CONFIG.",
    },
    "doctor-config-ok": {"vi": "Tệp cấu hình {file} đọc được, mọi khóa hợp lệ.", "en": "Config file {file} loads, every key valid."},
    "doctor-state-ok": {"vi": "Tệp trạng thái: {path}", "en": "State file: {path}"},
    "doctor-state-unwritable": {
        "vi": 'Không ghi được tệp trạng thái "{path}": thư mục "{folder}" không ghi được. Hãy sửa [state] path hoặc quyền của thư mục.',
        "en": 'The state file "{path}" cannot be written: the folder "{folder}" is not writable. Fix [state] path or the folder\'s permissions.',
    },
    "doctor-key-ok": {"vi": "Khoá Google {path}: tài khoản dịch vụ {email}.", "en": "Google key {path}: service account {email}."},
    "doctor-key-env": {"vi": "Khoá Google lấy từ biến môi trường {name}.", "en": "Google key taken from the environment variable {name}."},
    "doctor-key-local": {
        "vi": "Không có khoá Google: dùng máy chủ Sheets cục bộ {url} (SHEETS_SYNC_GOOGLE_API_URL).",
        "en": "No Google key: using the local Sheets server {url} (SHEETS_SYNC_GOOGLE_API_URL).",
    },
    "doctor-key-none": {
        "vi": "Có CLB dùng Google Sheets nhưng chưa có khoá tài khoản dịch vụ: hãy đặt [google] credentials_file = \"khoa.json\" hoặc biến {file_env}.",
        "en": "Some clubs use Google Sheets but there is no service-account key: set [google] credentials_file = \"key.json\" or {file_env}.",
    },
    "doctor-key-missing": {
        "vi": 'Không có tệp khoá Google "{path}" ({where}). Hãy tải khoá JSON của tài khoản dịch vụ từ Google Cloud Console về đúng chỗ đó, hoặc sửa {where}.',
        "en": 'The Google key file "{path}" ({where}) does not exist. Download the service account\'s JSON key from the Google Cloud Console to that place, or fix {where}.',
    },
    "doctor-key-readable": {
        "vi": 'Tệp khoá Google "{path}" để người khác trên máy đọc được (quyền {mode}). Hãy chạy: chmod 600 {path}',
        "en": 'The Google key file "{path}" can be read by other users of this machine (mode {mode}). Run: chmod 600 {path}',
    },
    "doctor-club-locale": {
        "vi": '{name}: bảng tính đặt vùng "{locale}", nên ngày gõ 05/10/2026 có thể bị Google hiểu là 10 tháng 5. '
              "Hãy mở Tệp → Cài đặt → Vùng (Locale) và chọn Việt Nam.",
        "en": '{name}: the spreadsheet\'s locale is "{locale}", so a date typed 05/10/2026 may be stored by Google as 10 May. '
              "Open File → Settings → Locale and choose Vietnam.",
    },
    "doctor-registry-ok": {"vi": "Danh sách CLB {location}: {clubs} dòng.", "en": "Club registry {location}: {clubs} rows."},
    "doctor-registry-failed": {"vi": "Danh sách CLB {location}: {reason}", "en": "Club registry {location}: {reason}"},
    "doctor-club-ok": {
        "vi": "{name} ({location}): mở được; {errors} lỗi, {warnings} điều cần chú ý trong dữ liệu.",
        "en": "{name} ({location}): opens; {errors} errors, {warnings} warnings in its data.",
    },
    "doctor-club-failed": {"vi": "{name} ({location}): {reason}", "en": "{name} ({location}): {reason}"},
    "doctor-smtp-ok": {"vi": "Máy chủ thư {server} nhận kết nối và đăng nhập (tài khoản: {user}).", "en": "Mail server {server} accepts the connection and the login (user: {user})."},
    "doctor-coordinator-ok": {"vi": "Bảng tổng hợp hằng tháng gửi tới: {emails}", "en": "The monthly roll-up goes to: {emails}"},
    "doctor-schedule": {
        "vi": "Lịch (sheets-sync run): kiểm tra lúc {nightly} mỗi đêm, báo cáo ngày {day} hằng tháng lúc {monthly}, múi giờ {timezone}; mỗi CLB tối đa {limit} giây.",
        "en": "Schedule (sheets-sync run): nightly at {nightly}, monthly on day {day} at {monthly}, time zone {timezone}; at most {limit} seconds per club.",
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
