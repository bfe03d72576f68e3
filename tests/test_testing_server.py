"""The local Sheets + Drive server (sheets_sync.testing) on its own, over plain HTTP."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.testing import FakeSheetsServer
from sheets_sync.testing.a1 import col_index, col_letters, format_a1, parse_a1, quote_title
from sheets_sync.testing.fields import parse_mask, select
from sheets_sync.testing.values import quantize_color, serial_from_date

ROOT = Path(__file__).parents[1]


def _get(server: FakeSheetsServer, path: str, **params: Any) -> requests.Response:
    return requests.get(server.url + path, params=params, timeout=10)


def _post(server: FakeSheetsServer, path: str, body: Any = None, **params: Any) -> requests.Response:
    return requests.post(server.url + path, json=body, params=params, timeout=10)


def _batch(server: FakeSheetsServer, sid: str, *requests_: dict[str, Any]) -> requests.Response:
    return _post(server, f"/v4/spreadsheets/{sid}:batchUpdate", {"requests": list(requests_)})


def _drive_modified(server: FakeSheetsServer, sid: str) -> str:
    return _get(server, f"/drive/v3/files/{sid}", fields="modifiedTime").json()["modifiedTime"]


@pytest.fixture
def club(fake_sheets: FakeSheetsServer) -> str:
    return fake_sheets.create_spreadsheet(
        "CLB Hoa Sen",
        {"Thành viên": [["Mã TV", "Họ và tên", "Năm sinh"], ["TV01", "Nguyễn Thị An", 1950], ["TV02", "Trần Văn Bình", 1948]]},
        locale="vi_VN",
        time_zone="Asia/Ho_Chi_Minh",
    )


# --- spreadsheets.get / create ----------------------------------------------------------


def test_metadata_has_googles_shape(fake_sheets: FakeSheetsServer, club: str) -> None:
    body = _get(fake_sheets, f"/v4/spreadsheets/{club}", includeGridData="false").json()
    assert set(body) == {"spreadsheetId", "properties", "sheets", "spreadsheetUrl"}
    assert body["properties"]["title"] == "CLB Hoa Sen"
    assert body["properties"]["locale"] == "vi_VN"
    assert body["sheets"] == [
        {
            "properties": {
                "sheetId": 0,
                "title": "Thành viên",
                "index": 0,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": 1000, "columnCount": 26},
            }
        }
    ]
    assert body["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{club}/edit"


def test_create_through_the_sheets_api(fake_sheets: FakeSheetsServer) -> None:
    answer = _post(fake_sheets, "/v4/spreadsheets", {"properties": {"title": "Mới"}, "sheets": [{"properties": {"title": "A"}}, {"properties": {"title": "B", "gridProperties": {"rowCount": 5, "columnCount": 3}}}]})
    assert answer.status_code == 200
    body = answer.json()
    assert [s["properties"]["title"] for s in body["sheets"]] == ["A", "B"]
    assert body["sheets"][1]["properties"]["gridProperties"] == {"rowCount": 5, "columnCount": 3}
    assert _get(fake_sheets, f"/drive/v3/files/{body['spreadsheetId']}").json()["name"] == "Mới"


# --- notes, backgrounds and field masks ----------------------------------------------------


def test_update_cells_notes_and_backgrounds_round_trip(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _batch(
        fake_sheets,
        club,
        {
            "updateCells": {
                "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 2, "endColumnIndex": 3},
                "rows": [{"values": [{"note": "[sheets-sync] Năm sinh?", "userEnteredFormat": {"backgroundColor": {"red": 1, "green": 0.9, "blue": 0.6}}}]}],
                "fields": "note,userEnteredFormat.backgroundColor",
            }
        },
    )
    assert answer.json() == {"spreadsheetId": club, "replies": [{}]}
    assert fake_sheets.get_notes(club, "Thành viên") == {"C2": "[sheets-sync] Năm sinh?"}
    assert fake_sheets.get_backgrounds(club, "Thành viên") == {"C2": {"red": 1, "green": 0.8980392, "blue": 0.6}}
    masked = _get(
        fake_sheets,
        f"/v4/spreadsheets/{club}",
        ranges="'Thành viên'!C2",
        fields="sheets(data(rowData(values(note,userEnteredFormat.backgroundColorStyle,effectiveValue))))",
    ).json()
    assert masked == {
        "sheets": [
            {
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    {
                                        "note": "[sheets-sync] Năm sinh?",
                                        "effectiveValue": {"numberValue": 1950},
                                        "userEnteredFormat": {"backgroundColorStyle": {"rgbColor": {"red": 1, "green": 0.8980392, "blue": 0.6}}},
                                    }
                                ]
                            }
                        ]
                    }
                ]
            }
        ]
    }
    # Clearing with the same mask and no data removes both; the value stays.
    _batch(fake_sheets, club, {"updateCells": {"range": {"startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 2, "endColumnIndex": 3}, "fields": "note,userEnteredFormat.backgroundColor"}})
    assert fake_sheets.get_notes(club, "Thành viên") == {}
    assert fake_sheets.get_backgrounds(club, "Thành viên") == {}
    assert fake_sheets.get_values(club, "Thành viên")[1] == ["TV01", "Nguyễn Thị An", "1950"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("properties.title", {"properties": {"title": "CLB Hoa Sen"}}),
        ("sheets.properties.title", {"sheets": [{"properties": {"title": "Thành viên"}}]}),
        ("sheets(properties(sheetId,gridProperties/rowCount))", {"sheets": [{"properties": {"sheetId": 0, "gridProperties": {"rowCount": 1000}}}]}),
        ("sheets.properties.tabColorStyle", {"sheets": [{"properties": {}}]}),
        ("namedRanges", {}),
        ("sheets.data.rowData.values.note", {"sheets": [{"data": [{}]}]}),
        (
            "sheets.data.rowData.values.formattedValue",
            {"sheets": [{"data": [{"rowData": [{"values": [{"formattedValue": "Mã TV"}]}, {"values": [{"formattedValue": "TV01"}]}]}]}]},
        ),
    ],
    ids=["title", "sheet-title", "parens-and-slash", "empty-message-stays", "empty-list-goes", "no-notes", "values"],
)
def test_fields_masks(fake_sheets: FakeSheetsServer, club: str, fields: str, expected: dict[str, Any]) -> None:
    answer = _get(fake_sheets, f"/v4/spreadsheets/{club}", fields=fields, ranges="'Thành viên'!A1:A2" if "data" in fields else None)
    assert answer.json() == expected


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a", {"a": True}),
        ("a.b,a.c", {"a": {"b": True, "c": True}}),
        ("a/b", {"a": {"b": True}}),
        ("a(b,c(d))", {"a": {"b": True, "c": {"d": True}}}),
        ("a.b,a", {"a": True}),
        ("files(id,name),nextPageToken", {"files": {"id": True, "name": True}, "nextPageToken": True}),
    ],
)
def test_mask_parser(text: str, tree: dict[str, Any]) -> None:
    assert parse_mask(text) == tree


def test_select_keeps_present_messages_and_drops_empty_lists() -> None:
    value = {"a": {"x": 1}, "b": [], "c": [{"y": 2, "z": 3}]}
    assert select(value, parse_mask("a.q,b,c.y")) == {"a": {}, "c": [{"y": 2}]}
    assert select(value, parse_mask("b"), drop_empty_lists=False) == {"b": []}


# --- strict like Google -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"requests": [{"updateCells": {"range": {}, "fields": "note", "rows": [], "colour": 1}}]},
            400,
            "Invalid JSON payload received. Unknown name \"colour\" at 'requests[0].update_cells': Cannot find field.",
        ),
        ({"requests": [{"fooBar": {}}]}, 400, "Invalid JSON payload received. Unknown name \"fooBar\" at 'requests[0]': Cannot find field."),
        ({"requests": [], "extra": True}, 400, 'Invalid JSON payload received. Unknown name "extra": Cannot find field.'),
        (
            {"requests": [{"updateDimensionProperties": {"range": {"dimension": "ROW"}, "properties": {}, "fields": "pixelSize"}}]},
            400,
            "Invalid value at 'requests[0].update_dimension_properties.range.dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), \"ROW\"",
        ),
        (
            {"requests": [{"addSheet": {"properties": {"gridProperties": {"rowCount": "many"}}}}]},
            400,
            "Invalid value at 'requests[0].add_sheet.properties.grid_properties.row_count' (TYPE_INT32), \"many\"",
        ),
        ({"requests": [{"addSheet": {"properties": {"title": "Thành viên"}}}]}, 400, 'Invalid requests[0].addSheet: A sheet with the name "Thành viên" already exists. Please enter another name.'),
        ({"requests": [{"deleteSheet": {"sheetId": 0}}]}, 400, "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."),
        ({"requests": [{"updateSheetProperties": {"properties": {"hidden": True}, "fields": "hidden"}}]}, 400, "Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document."),
        ({"requests": [{"deleteSheet": {"sheetId": 99}}]}, 400, "Invalid requests[0].deleteSheet: No grid with id: 99"),
        ({"requests": []}, 400, "Must specify at least one request."),
        ({"requests": [{"sortRange": {}}]}, 501, "The request kind 'sortRange' is valid for Google but not implemented"),
    ],
    ids=["unknown-field", "unknown-kind", "unknown-top-level", "bad-enum", "bad-int", "title-clash", "last-sheet", "hide-all", "no-grid", "empty", "unimplemented"],
)
def test_batch_update_refuses_like_google(fake_sheets: FakeSheetsServer, club: str, body: dict[str, Any], status: int, message: str) -> None:
    before = _drive_modified(fake_sheets, club)
    answer = _post(fake_sheets, f"/v4/spreadsheets/{club}:batchUpdate", body)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["code"] == status
    assert error["message"].startswith(message)
    assert error["status"] == ("INVALID_ARGUMENT" if status == 400 else "UNIMPLEMENTED")
    assert _drive_modified(fake_sheets, club) == before


def test_a_failing_batch_changes_nothing(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _batch(
        fake_sheets,
        club,
        {"addSheet": {"properties": {"title": "Khoản vay"}}},
        {"addSheet": {"properties": {"title": "khoản vay"}}},
    )
    assert answer.status_code == 400
    titles = [s["properties"]["title"] for s in _get(fake_sheets, f"/v4/spreadsheets/{club}").json()["sheets"]]
    assert titles == ["Thành viên"]


def test_add_sheet_replies_with_its_properties(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _batch(fake_sheets, club, {"addSheet": {"properties": {"title": "Kiểm tra", "gridProperties": {"rowCount": 10, "columnCount": 5}}}})
    reply = answer.json()["replies"][0]["addSheet"]["properties"]
    assert reply["title"] == "Kiểm tra" and reply["index"] == 1 and reply["sheetType"] == "GRID"
    assert reply["gridProperties"] == {"rowCount": 10, "columnCount": 5}
    assert isinstance(reply["sheetId"], int) and reply["sheetId"] > 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/values/Nope!A1", "Unable to parse range: Nope!A1"),
        ("/values/'Thành viên'!A0", "Unable to parse range: 'Thành viên'!A0"),
        ("/values/'Thành viên'!A1:B:C", "Unable to parse range: 'Thành viên'!A1:B:C"),
    ],
)
def test_bad_ranges_are_400(fake_sheets: FakeSheetsServer, club: str, path: str, message: str) -> None:
    answer = _get(fake_sheets, f"/v4/spreadsheets/{club}{path}")
    assert answer.status_code == 400
    assert answer.json()["error"] == {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}


def test_unknown_query_parameter_and_missing_value_input_option(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _get(fake_sheets, f"/v4/spreadsheets/{club}/values/A1", valueRender="FORMULA")
    assert answer.status_code == 400
    assert "Cannot bind query parameter. Field 'valueRender' could not be found" in answer.json()["error"]["message"]
    answer = requests.put(f"{fake_sheets.url}/v4/spreadsheets/{club}/values/A1", json={"values": [["x"]]}, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "'valueInputOption' is required but not specified"


def test_write_past_the_grid_is_refused(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = requests.put(f"{fake_sheets.url}/v4/spreadsheets/{club}/values/'Thành viên'!A1000", params={"valueInputOption": "RAW"}, json={"values": [["a"], ["b"]]}, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Range ('Thành viên'!A1000:A1001) exceeds grid limits. Max rows: 1000, max columns: 26"


# --- values ----------------------------------------------------------------------------------


def _put(server: FakeSheetsServer, sid: str, rng: str, values: list[list[Any]], option: str = "USER_ENTERED") -> requests.Response:
    return requests.put(f"{server.url}/v4/spreadsheets/{sid}/values/{rng}", params={"valueInputOption": option}, json={"values": values}, timeout=10)


@pytest.mark.parametrize(
    ("locale", "option", "typed", "unformatted", "formatted"),
    [
        ("vi_VN", "USER_ENTERED", "05/10/2026", serial_from_date(dt.date(2026, 10, 5)), "05/10/2026"),
        ("en_US", "USER_ENTERED", "05/10/2026", serial_from_date(dt.date(2026, 5, 10)), "5/10/2026"),
        ("en_US", "USER_ENTERED", "2020-01-01", 43831, "2020-01-01"),
        ("vi_VN", "USER_ENTERED", "31/02/2026", "31/02/2026", "31/02/2026"),
        ("en_US", "USER_ENTERED", "1%", 0.01, "1%"),
        ("en_US", "USER_ENTERED", "0042", 42, "42"),
        ("en_US", "USER_ENTERED", "2,000,000.01", 2000000.01, "2,000,000.01"),
        ("vi_VN", "USER_ENTERED", "1.000.000", 1000000, "1.000.000"),
        ("vi_VN", "USER_ENTERED", "1,5", 1.5, "1,5"),
        ("vi_VN", "USER_ENTERED", "0912 345 678", "0912 345 678", "0912 345 678"),
        ("en_US", "USER_ENTERED", "true", True, "TRUE"),
        ("en_US", "USER_ENTERED", "=4/2", 2, "2"),
        ("en_US", "USER_ENTERED", "'0042", "0042", "0042"),
        ("en_US", "RAW", "=1+1", "=1+1", "=1+1"),
        ("en_US", "RAW", "0042", "0042", "0042"),
        ("en_US", "RAW", 53, 53, "53"),
    ],
)
def test_value_input_options(fake_sheets: FakeSheetsServer, locale: str, option: str, typed: Any, unformatted: Any, formatted: str) -> None:
    sid = fake_sheets.create_spreadsheet("Values", locale=locale)
    assert _put(fake_sheets, sid, "Sheet1!A1", [[typed]], option).status_code == 200
    assert fake_sheets.get_values(sid, render="UNFORMATTED_VALUE") == [[unformatted]]
    assert fake_sheets.get_values(sid) == [[formatted]]


def test_formula_cells_keep_their_formula(fake_sheets: FakeSheetsServer) -> None:
    sid = fake_sheets.create_spreadsheet("Formulas")
    _put(fake_sheets, sid, "A1", [["=1+1", "=SUM(A1:A1)"]])
    cell = fake_sheets.get_cell(sid, None, "B1")
    assert cell["userEnteredValue"] == {"formulaValue": "=SUM(A1:A1)"}
    assert cell["effectiveValue"]["errorValue"]["type"] == "ERROR"  # no formula engine here
    answer = _get(fake_sheets, f"/v4/spreadsheets/{sid}/values/A1:B1", valueRenderOption="FORMULA").json()
    assert answer["values"] == [["=1+1", "=SUM(A1:A1)"]]


def test_values_echo_ranges_and_drop_trailing_empties(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _get(fake_sheets, f"/v4/spreadsheets/{club}/values/'Thành viên'!A1:D5").json()
    assert answer == {
        "range": "'Thành viên'!A1:D5",
        "majorDimension": "ROWS",
        "values": [["Mã TV", "Họ và tên", "Năm sinh"], ["TV01", "Nguyễn Thị An", "1950"], ["TV02", "Trần Văn Bình", "1948"]],
    }
    empty = _get(fake_sheets, f"/v4/spreadsheets/{club}/values/'Thành viên'!E1:F2").json()
    assert empty == {"range": "'Thành viên'!E1:F2", "majorDimension": "ROWS"}
    columns = _get(fake_sheets, f"/v4/spreadsheets/{club}/values/'Thành viên'!A1:B", majorDimension="COLUMNS").json()
    assert columns["range"] == "'Thành viên'!A1:B1000"
    assert columns["values"][0] == ["Mã TV", "TV01", "TV02"]


def test_append_clear_and_batch_calls(fake_sheets: FakeSheetsServer, club: str) -> None:
    appended = _post(fake_sheets, f"/v4/spreadsheets/{club}/values/'Thành viên':append", {"values": [["TV03", "Lê Thị Cúc", 1952]]}, valueInputOption="USER_ENTERED").json()
    assert appended["tableRange"] == "'Thành viên'!A1:C3"
    assert appended["updates"]["updatedRange"] == "'Thành viên'!A4:C4"
    batch = _get(fake_sheets, f"/v4/spreadsheets/{club}/values:batchGet", ranges=["'Thành viên'!A4", "'Thành viên'!C4"], valueRenderOption="UNFORMATTED_VALUE").json()
    assert [vr["values"] for vr in batch["valueRanges"]] == [[["TV03"]], [[1952]]]
    updated = _post(fake_sheets, f"/v4/spreadsheets/{club}/values:batchUpdate", {"valueInputOption": "RAW", "data": [{"range": "'Thành viên'!D1", "values": [["Ghi chú"]]}, {"range": "'Thành viên'!D2", "values": [["ok"]]}]}).json()
    assert updated["totalUpdatedCells"] == 2 and updated["totalUpdatedRows"] == 2 and updated["totalUpdatedColumns"] == 1
    cleared = _post(fake_sheets, f"/v4/spreadsheets/{club}/values/'Thành viên'!D1:D2:clear").json()
    assert cleared == {"spreadsheetId": club, "clearedRange": "'Thành viên'!D1:D2"}
    cleared = _post(fake_sheets, f"/v4/spreadsheets/{club}/values:batchClear", {"ranges": ["'Thành viên'!A4:C4"]}).json()
    assert cleared["clearedRanges"] == ["'Thành viên'!A4:C4"]
    assert len(fake_sheets.get_values(club, "Thành viên")) == 3


# --- faults --------------------------------------------------------------------------------


def test_fail_next_429_with_retry_after(fake_sheets: FakeSheetsServer, club: str) -> None:
    fake_sheets.faults.fail_next(status=429, times=2, retry_after=3)
    for _ in range(2):
        answer = _get(fake_sheets, f"/v4/spreadsheets/{club}")
        assert answer.status_code == 429
        assert answer.headers["Retry-After"] == "3"
        assert answer.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
        assert "per minute per user" in answer.json()["error"]["message"]
    assert _get(fake_sheets, f"/v4/spreadsheets/{club}").status_code == 200
    assert fake_sheets.count(status=429) == 2


def test_fail_next_500_and_502_html(fake_sheets: FakeSheetsServer, club: str) -> None:
    fake_sheets.faults.fail_next(status=500)
    fake_sheets.faults.fail_next(status=502)
    first = _get(fake_sheets, f"/v4/spreadsheets/{club}")
    assert first.json() == {"error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}}
    second = _get(fake_sheets, f"/v4/spreadsheets/{club}")
    assert second.status_code == 502 and second.headers["Content-Type"].startswith("text/html")
    assert _get(fake_sheets, f"/v4/spreadsheets/{club}").status_code == 200


def test_drop_next_closes_without_an_answer(fake_sheets: FakeSheetsServer, club: str) -> None:
    fake_sheets.faults.drop_next(times=1)
    with pytest.raises(requests.ConnectionError):
        _get(fake_sheets, f"/v4/spreadsheets/{club}")
    assert _get(fake_sheets, f"/v4/spreadsheets/{club}").status_code == 200
    assert [r.status for r in fake_sheets.requests] == [None, 200]


def test_always_breaks_one_club_only(fake_sheets: FakeSheetsServer, club: str) -> None:
    other = fake_sheets.create_spreadsheet("CLB Sen Hồng")
    fake_sheets.faults.always(status=500, spreadsheet_id=club)
    for _ in range(3):
        assert _get(fake_sheets, f"/v4/spreadsheets/{club}").status_code == 500
    assert _get(fake_sheets, f"/v4/spreadsheets/{other}").status_code == 200
    fake_sheets.faults.clear()
    assert _get(fake_sheets, f"/v4/spreadsheets/{club}").status_code == 200


def test_faults_can_target_a_kind(fake_sheets: FakeSheetsServer, club: str) -> None:
    fake_sheets.faults.fail_next(status=503, kind="write")
    assert _get(fake_sheets, f"/v4/spreadsheets/{club}").status_code == 200
    assert _post(fake_sheets, f"/v4/spreadsheets/{club}/values/A1:clear").status_code == 503
    assert fake_sheets.faults.pending() == 0


def test_latency(fake_sheets: FakeSheetsServer, club: str) -> None:
    fake_sheets.faults.latency_ms = 150
    started = time.monotonic()
    _get(fake_sheets, f"/v4/spreadsheets/{club}")
    assert time.monotonic() - started >= 0.15


# --- log, times, access ------------------------------------------------------------------------


def test_request_log_counts(fake_sheets: FakeSheetsServer, club: str) -> None:
    _get(fake_sheets, f"/v4/spreadsheets/{club}")
    _get(fake_sheets, f"/v4/spreadsheets/{club}/values/A1")
    _post(fake_sheets, f"/v4/spreadsheets/{club}/values/A1:clear")
    _get(fake_sheets, "/drive/v3/files")
    assert (fake_sheets.count("read"), fake_sheets.count("write"), fake_sheets.count("drive")) == (2, 1, 1)
    assert fake_sheets.count(method="GET") == 3
    record = fake_sheets.requests[1]
    assert (record.method, record.status, record.kind, record.spreadsheet_id) == ("GET", 200, "read", club)
    assert record.authorized is False
    fake_sheets.clear_log()
    assert fake_sheets.requests == []


def test_modified_time_moves_on_write_not_on_read(fake_sheets: FakeSheetsServer, club: str) -> None:
    first = _drive_modified(fake_sheets, club)
    assert first == fake_sheets.modified_time(club)
    _get(fake_sheets, f"/v4/spreadsheets/{club}/values/A1:C3")
    _get(fake_sheets, f"/v4/spreadsheets/{club}", includeGridData="true")
    assert _drive_modified(fake_sheets, club) == first
    _put(fake_sheets, club, "'Thành viên'!D1", [["x"]])
    second = _drive_modified(fake_sheets, club)
    assert second > first
    _batch(fake_sheets, club, {"updateCells": {"range": {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}, "rows": [{"values": [{"note": "n"}]}], "fields": "note"}})
    assert _drive_modified(fake_sheets, club) > second


def test_private_and_unknown_spreadsheets(fake_sheets: FakeSheetsServer) -> None:
    private = fake_sheets.create_spreadsheet("Riêng", shared=False)
    answer = _get(fake_sheets, f"/v4/spreadsheets/{private}")
    assert answer.status_code == 403
    assert answer.json() == {"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}}
    assert _get(fake_sheets, f"/drive/v3/files/{private}").status_code == 404  # Drive hides what you cannot see
    missing = _get(fake_sheets, "/v4/spreadsheets/no-such-id")
    assert missing.json() == {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}
    fake_sheets.share(private)
    assert _get(fake_sheets, f"/v4/spreadsheets/{private}").status_code == 200


def test_sharing_with_a_set_of_emails(fake_sheets: FakeSheetsServer) -> None:
    only_bob = fake_sheets.create_spreadsheet("Bob's", shared={"bob@example.com"})
    assert _get(fake_sheets, f"/v4/spreadsheets/{only_bob}").status_code == 403
    fake_sheets.caller_email = "bob@example.com"
    assert _get(fake_sheets, f"/v4/spreadsheets/{only_bob}").status_code == 200


# --- Drive ---------------------------------------------------------------------------------------


def test_drive_create_get_copy_delete(fake_sheets: FakeSheetsServer) -> None:
    created = _post(fake_sheets, "/drive/v3/files", {"name": "Báo cáo", "mimeType": "application/vnd.google-apps.spreadsheet"}, supportsAllDrives="True").json()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    meta = _get(fake_sheets, f"/drive/v3/files/{created['id']}", fields="id,name,createdTime,modifiedTime,owners(emailAddress)").json()
    assert meta["owners"] == [{"emailAddress": fake_sheets.caller_email}]
    copied = _post(fake_sheets, f"/drive/v3/files/{created['id']}/copy", {"name": None}).json()
    assert copied["name"] == "Copy of Báo cáo"
    assert requests.delete(f"{fake_sheets.url}/drive/v3/files/{created['id']}", timeout=10).status_code == 204
    assert _get(fake_sheets, f"/drive/v3/files/{created['id']}").json()["error"]["errors"][0]["reason"] == "notFound"


def test_drive_list_queries_and_pages(fake_sheets: FakeSheetsServer) -> None:
    ids = [fake_sheets.create_spreadsheet(f"CLB {n}") for n in range(5)]
    cutoff = _get(fake_sheets, f"/drive/v3/files/{ids[2]}", fields="modifiedTime").json()["modifiedTime"]
    fields = "nextPageToken,files(id,name,modifiedTime)"
    listed = _get(fake_sheets, "/drive/v3/files", q="mimeType='application/vnd.google-apps.spreadsheet'", fields=fields).json()
    assert [f["id"] for f in listed["files"]] == ids[::-1]  # newest change first
    named = _get(fake_sheets, "/drive/v3/files", q="mimeType=\"application/vnd.google-apps.spreadsheet\" and name = \"CLB 3\"", fields=fields).json()
    assert [f["name"] for f in named["files"]] == ["CLB 3"]
    newer = _get(fake_sheets, "/drive/v3/files", q=f"modifiedTime > '{cutoff}'", fields=fields).json()
    assert {f["id"] for f in newer["files"]} == set(ids[3:])
    seen, token = [], None
    while True:
        page = _get(fake_sheets, "/drive/v3/files", pageSize=2, pageToken=token, fields=fields).json()
        seen += [f["id"] for f in page["files"]]
        token = page.get("nextPageToken")
        if token is None:
            break
    assert seen == ids[::-1]
    empty = _get(fake_sheets, "/drive/v3/files", q="name = 'nothing'", fields="kind,files(id)").json()
    assert empty == {"kind": "drive#fileList", "files": []}
    bad = _get(fake_sheets, "/drive/v3/files", q="name === 'x'")
    assert bad.status_code == 400 and bad.json()["error"]["errors"][0]["location"] == "q"


def test_drive_permissions(fake_sheets: FakeSheetsServer) -> None:
    sid = fake_sheets.create_spreadsheet("Chia sẻ", shared={fake_sheets.caller_email})
    shared = _post(fake_sheets, f"/drive/v3/files/{sid}/permissions", {"type": "user", "role": "writer", "emailAddress": "chu.nhiem@example.com"}, sendNotificationEmail="false", emailMessage="Xin chào").json()
    assert shared["type"] == "user" and shared["role"] == "writer" and shared["kind"] == "drive#permission"
    assert fake_sheets.notifications == [{"fileId": sid, "to": "chu.nhiem@example.com", "role": "writer", "send": False, "message": "Xin chào"}]
    listed = _get(fake_sheets, f"/drive/v3/files/{sid}/permissions", fields="nextPageToken,permissions").json()["permissions"]
    assert [(p["role"], p["emailAddress"]) for p in listed] == [("owner", fake_sheets.caller_email), ("writer", "chu.nhiem@example.com")]
    fake_sheets.caller_email = "chu.nhiem@example.com"
    assert _get(fake_sheets, f"/v4/spreadsheets/{sid}").status_code == 200


def test_drive_export_csv(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _get(fake_sheets, f"/drive/v3/files/{club}/export", mimeType="text/csv")
    assert answer.status_code == 200
    assert answer.text.splitlines()[1] == "TV01,Nguyễn Thị An,1950"


# --- helpers ---------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=18277))
def test_column_letters_round_trip(index: int) -> None:
    assert col_index(col_letters(index)) == index


@given(st.integers(0, 999), st.integers(0, 999), st.integers(0, 100), st.integers(0, 100))
def test_a1_round_trip(r0: int, rows: int, c0: int, cols: int) -> None:
    text = format_a1(r0, r0 + rows + 1, c0, c0 + cols + 1)
    bounds = parse_a1(text)
    assert (bounds.start_row, bounds.end_row, bounds.start_col, bounds.end_col) == (r0, r0 + rows + 1, c0, c0 + cols + 1)


@pytest.mark.parametrize(
    ("title", "quoted"),
    [("Sheet1", "Sheet1"), ("D3", "'D3'"), ("R1C1", "'R1C1'"), ("Thành viên", "'Thành viên'"), ("It's", "'It''s'"), ("Loans_2026", "Loans_2026")],
)
def test_titles_are_quoted_only_when_needed(title: str, quoted: str) -> None:
    assert quote_title(title) == quoted


@pytest.mark.parametrize(("channel", "stored"), [(1, 1), (0.5, 0.49803922), (0.9, 0.8980392), (0, 0)])
def test_colours_are_stored_in_8_bits(channel: float, stored: float) -> None:
    assert quantize_color(channel) == stored


# --- standing alone ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_module_serves_standing_alone() -> None:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen(
        [sys.executable, "-m", "sheets_sync.testing", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                answer = requests.get(f"{url}/drive/v3/files", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"server did not start: {process.stderr.read() if process.stderr else ''}")
                time.sleep(0.05)
        assert answer.json() == {"kind": "drive#fileList", "incompleteSearch": False, "files": []}
        created = requests.post(f"{url}/v4/spreadsheets", json={"properties": {"title": "Demo"}}, timeout=5)
        assert created.status_code == 200
    finally:
        process.terminate()
        out, _err = process.communicate(timeout=10)
    assert f"Serving the local Google Sheets API at {url}" in out
    assert process.returncode == 0


# --- the other request kinds -----------------------------------------------------------------


def _metadata_sheet(server: FakeSheetsServer, sid: str) -> dict[str, Any]:
    return _get(server, f"/v4/spreadsheets/{sid}").json()["sheets"][0]


def test_include_spreadsheet_in_response(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _post(
        fake_sheets,
        f"/v4/spreadsheets/{club}:batchUpdate",
        {
            "requests": [{"updateSpreadsheetProperties": {"properties": {"title": "CLB Hoa Sen 2026"}, "fields": "title"}}],
            "includeSpreadsheetInResponse": True,
            "responseRanges": ["'Thành viên'!A1:B2"],
            "responseIncludeGridData": True,
        },
    ).json()
    updated = answer["updatedSpreadsheet"]
    assert updated["properties"]["title"] == "CLB Hoa Sen 2026"
    assert updated["sheets"][0]["data"][0]["rowData"][1]["values"][1]["formattedValue"] == "Nguyễn Thị An"
    assert _get(fake_sheets, f"/drive/v3/files/{club}").json()["name"] == "CLB Hoa Sen 2026"


def test_dimensions_shift_cells_and_metadata(fake_sheets: FakeSheetsServer, club: str) -> None:
    dims = {"sheetId": 0, "dimension": "ROWS"}
    _batch(
        fake_sheets,
        club,
        {"insertDimension": {"range": {**dims, "startIndex": 1, "endIndex": 2}}},
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 4}},
        {"updateDimensionProperties": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}, "properties": {"pixelSize": 150, "hiddenByUser": True}, "fields": "pixelSize,hiddenByUser"}},
    )
    assert fake_sheets.get_values(club, "Thành viên")[:3] == [["Mã TV", "Họ và tên", "Năm sinh"], [], ["TV01", "Nguyễn Thị An", "1950"]]
    assert _metadata_sheet(fake_sheets, club)["properties"]["gridProperties"] == {"rowCount": 1001, "columnCount": 30}
    columns = _get(fake_sheets, f"/v4/spreadsheets/{club}", fields="sheets.data.columnMetadata", ranges="'Thành viên'!A1:B1").json()
    assert columns["sheets"][0]["data"][0]["columnMetadata"] == [{"pixelSize": 150, "hiddenByUser": True}, {"pixelSize": 100}]
    _batch(fake_sheets, club, {"deleteDimension": {"range": {**dims, "startIndex": 0, "endIndex": 2}}})
    assert fake_sheets.get_values(club, "Thành viên")[0] == ["TV01", "Nguyễn Thị An", "1950"]


def test_protection_validation_merges_and_filters(fake_sheets: FakeSheetsServer, club: str) -> None:
    whole_column = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3, "startColumnIndex": 2, "endColumnIndex": 3}
    answer = _batch(
        fake_sheets,
        club,
        {"addProtectedRange": {"protectedRange": {"range": whole_column, "description": "Không sửa", "editors": {"users": ["ke.toan@example.com"]}}}},
        {"setDataValidation": {"range": whole_column, "rule": {"condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "1900"}]}, "strict": True}}},
        {"mergeCells": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2}, "mergeType": "MERGE_ALL"}},
        {"setBasicFilter": {"filter": {"range": {"sheetId": 0}}}},
    ).json()
    protected = answer["replies"][0]["addProtectedRange"]["protectedRange"]
    sheet = _metadata_sheet(fake_sheets, club)
    assert sheet["protectedRanges"][0]["editors"]["users"] == [fake_sheets.caller_email, "ke.toan@example.com"]
    assert sheet["merges"] == [{"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2}]
    assert sheet["basicFilter"] == {"range": {"startRowIndex": 0, "endRowIndex": 1000, "startColumnIndex": 0, "endColumnIndex": 26}}
    assert fake_sheets.get_values(club, "Thành viên")[0] == ["Mã TV", "", "Năm sinh"]  # merged-over value is gone
    assert fake_sheets.get_cell(club, "Thành viên", "C2")["dataValidation"]["condition"]["type"] == "NUMBER_GREATER"
    _batch(
        fake_sheets,
        club,
        {"deleteProtectedRange": {"protectedRangeId": protected["protectedRangeId"]}},
        {"unmergeCells": {"range": {"sheetId": 0}}},
        {"clearBasicFilter": {"sheetId": 0}},
        {"setDataValidation": {"range": whole_column}},
    )
    assert set(_metadata_sheet(fake_sheets, club)) == {"properties"}
    assert "dataValidation" not in fake_sheets.get_cell(club, "Thành viên", "C2")


def test_repeat_cell_and_locale_change(fake_sheets: FakeSheetsServer, club: str) -> None:
    _put(fake_sheets, club, "'Thành viên'!D2", [["1,5"]])
    assert fake_sheets.get_values(club, "Thành viên", render="UNFORMATTED_VALUE")[1][3] == 1.5
    _batch(
        fake_sheets,
        club,
        {"repeatCell": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}, "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}}, "fields": "userEnteredFormat.textFormat.bold"}},
        {"updateSpreadsheetProperties": {"properties": {"locale": "en_US"}, "fields": "locale"}},
    )
    assert fake_sheets.get_cell(club, "Thành viên", "Z1")["userEnteredFormat"] == {"textFormat": {"bold": True}}
    assert fake_sheets.get_values(club, "Thành viên")[1][3] == "1.5"  # shown in the new locale


def test_append_insert_rows_and_values_in_response(fake_sheets: FakeSheetsServer, club: str) -> None:
    answer = _post(
        fake_sheets,
        f"/v4/spreadsheets/{club}/values/'Thành viên'!A1:append",
        {"values": [["TV03", "Lê Thị Cúc"]]},
        valueInputOption="RAW",
        insertDataOption="INSERT_ROWS",
        includeValuesInResponse="true",
    ).json()
    assert answer["updates"]["updatedData"] == {"range": "'Thành viên'!A4:B4", "majorDimension": "ROWS", "values": [["TV03", "Lê Thị Cúc"]]}
    assert _metadata_sheet(fake_sheets, club)["properties"]["gridProperties"]["rowCount"] == 1001


# --- the package itself ------------------------------------------------------------------------


def test_public_api() -> None:
    import sheets_sync.testing as testing

    assert sorted(testing.__all__) == sorted(
        ["DEFAULT_CALLER", "ApiError", "FakeSheetsServer", "Fault", "Faults", "RequestRecord", "Sheet", "Spreadsheet", "Store"]
    )
    for name in testing.__all__:
        assert getattr(testing, name) is not None


def test_modules_stay_small() -> None:
    for module in (ROOT / "sheets_sync" / "testing").glob("*.py"):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 600, module.name


def test_stop_hangs_up_on_kept_alive_clients() -> None:
    session = requests.Session()
    server = FakeSheetsServer().start()
    sid = server.create_spreadsheet("x")
    assert session.get(f"{server.url}/v4/spreadsheets/{sid}", timeout=5).status_code == 200
    server.stop()
    with pytest.raises(requests.ConnectionError):
        session.get(f"{server.url}/v4/spreadsheets/{sid}", timeout=5)


def test_a_server_bug_is_a_500_not_a_hang_up(fake_sheets: FakeSheetsServer, club: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sheets_sync.testing.server as server_module

    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_module, "get_spreadsheet", broken)
    answer = _get(fake_sheets, f"/v4/spreadsheets/{club}")
    assert answer.status_code == 500
    assert answer.json()["error"]["message"] == "sheets_sync.testing failed: RuntimeError: boom"
    assert "RuntimeError: boom" in capsys.readouterr().err


def test_every_request_kind_in_the_schema_has_a_handler() -> None:
    from sheets_sync.testing.batch_update import HANDLERS
    from sheets_sync.testing.requests_schema import REQUEST_KINDS

    assert set(HANDLERS) == set(REQUEST_KINDS)


def test_the_mask_sheets_sync_reads_with(fake_sheets: FakeSheetsServer) -> None:
    sid = fake_sheets.create_spreadsheet(
        "CLB", {"Khoản vay": [["Mã KV", "Ngày giải ngân", "Lãi suất"], ["KV01", "05/10/2026", "1%"]]}, notes={"Khoản vay": {"A2": "của chị An"}}, locale="vi_VN"
    )
    fields = "sheets(properties,data(rowData(values(userEnteredValue,effectiveValue,formattedValue,note,effectiveFormat.numberFormat))),merges)"
    body = _get(fake_sheets, f"/v4/spreadsheets/{sid}", includeGridData="true", fields=fields).json()
    row = body["sheets"][0]["data"][0]["rowData"][1]["values"]
    assert row[0] == {"userEnteredValue": {"stringValue": "KV01"}, "effectiveValue": {"stringValue": "KV01"}, "formattedValue": "KV01", "note": "của chị An", "effectiveFormat": {}}
    assert row[1]["effectiveValue"] == {"numberValue": serial_from_date(dt.date(2026, 10, 5))}
    assert row[1]["effectiveFormat"] == {"numberFormat": {"type": "DATE", "pattern": "dd/MM/yyyy"}}
    assert row[2] == {
        "userEnteredValue": {"numberValue": 0.01},
        "effectiveValue": {"numberValue": 0.01},
        "formattedValue": "1%",
        "effectiveFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0%"}},
    }
    assert set(body["sheets"][0]) == {"properties", "data"}  # no merges: the empty list is left out


# --- who changed it last, and the benchmark's helpers (issue #7) ------------------------------------

LISTING_FIELDS = "nextPageToken,files(id,name,modifiedTime,lastModifyingUser(me,emailAddress))"
STAFF = "thuky@example.org"


def _last_user(server: FakeSheetsServer, sid: str) -> dict[str, Any]:
    return _get(server, f"/drive/v3/files/{sid}", fields="lastModifyingUser").json()["lastModifyingUser"]


def test_last_modifying_user_is_whoever_wrote_last(fake_sheets: FakeSheetsServer) -> None:
    sid = fake_sheets.create_spreadsheet("CLB", {"Thành viên": [["Mã TV"], ["TV01"]]}, owner_email="chunhiem@example.org")
    assert _last_user(fake_sheets, sid) == {
        "kind": "drive#user", "displayName": "chunhiem", "emailAddress": "chunhiem@example.org", "me": False,
        "permissionId": _get(fake_sheets, f"/drive/v3/files/{sid}", fields="owners(permissionId)").json()["owners"][0]["permissionId"],
    }
    _put(fake_sheets, sid, "'Thành viên'!B1", [["Họ và tên"]])  # the service account writes
    assert (_last_user(fake_sheets, sid)["emailAddress"], _last_user(fake_sheets, sid)["me"]) == (fake_sheets.caller_email, True)
    before = _drive_modified(fake_sheets, sid)
    answer = requests.put(f"{fake_sheets.url}/v4/spreadsheets/{sid}/values/A3", params={"valueInputOption": "USER_ENTERED"},
                          json={"values": [["TV02"]]}, headers={"X-Fake-User": STAFF}, timeout=10)
    assert answer.status_code == 200
    assert (_last_user(fake_sheets, sid)["emailAddress"], _last_user(fake_sheets, sid)["me"]) == (STAFF, False)
    assert _drive_modified(fake_sheets, sid) > before
    assert fake_sheets.caller_email != STAFF  # the header changed one request only
    assert [r.caller for r in fake_sheets.requests if r.kind == "write"] == [fake_sheets.caller_email, STAFF]
    _get(fake_sheets, f"/v4/spreadsheets/{sid}", includeGridData="true")  # reading is no change
    assert _last_user(fake_sheets, sid)["emailAddress"] == STAFF
    _batch(fake_sheets, sid, {"updateCells": {"range": {"startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 1},
                                              "rows": [{"values": [{"note": "[sheets-sync] ..."}]}], "fields": "note"}})
    assert _last_user(fake_sheets, sid)["me"] is True
    fake_sheets.edit_as(STAFF, sid, "Thành viên", "A4", "TV03")
    assert (fake_sheets.last_modifying_user(sid), _last_user(fake_sheets, sid)["me"]) == (STAFF, False)
    assert fake_sheets.get_values(sid, "Thành viên") == [["Mã TV", "Họ và tên"], ["TV01"], ["TV02"], ["TV03"]]


def test_files_list_pages_of_a_thousand_with_who_changed_them(fake_sheets: FakeSheetsServer) -> None:
    ids = [fake_sheets.create_spreadsheet(f"CLB {n}") for n in range(1001)]
    fake_sheets.edit_as(STAFF, ids[0], None, "A1", "x")
    first = _get(fake_sheets, "/drive/v3/files", q="mimeType='application/vnd.google-apps.spreadsheet' and trashed=false",
                 pageSize=5000, fields=LISTING_FIELDS, supportsAllDrives="true", includeItemsFromAllDrives="true").json()
    assert len(first["files"]) == 1000  # above 1,000 is coerced to 1,000, as Drive does
    assert first["files"][0] == {"id": ids[0], "name": "CLB 0", "modifiedTime": fake_sheets.modified_time(ids[0]),
                                 "lastModifyingUser": {"me": False, "emailAddress": STAFF}}
    assert first["files"][1]["lastModifyingUser"] == {"me": True, "emailAddress": fake_sheets.caller_email}
    rest = _get(fake_sheets, "/drive/v3/files", pageSize=1000, pageToken=first["nextPageToken"], fields=LISTING_FIELDS).json()
    assert set(rest) == {"files"} and len(rest["files"]) == 1
    assert {f["id"] for f in first["files"] + rest["files"]} == set(ids)


def test_stats_endpoint_counts_and_resets(fake_sheets: FakeSheetsServer, club: str) -> None:
    _get(fake_sheets, f"/v4/spreadsheets/{club}")
    _get(fake_sheets, f"/v4/spreadsheets/{club}/values/'Thành viên'!A1:B2")
    _put(fake_sheets, club, "'Thành viên'!D1", [["x"]])
    requests.put(f"{fake_sheets.url}/v4/spreadsheets/{club}/values/A1", params={"valueInputOption": "RAW"}, json={"values": [["y"]]},
                 headers={"X-Fake-User": STAFF}, timeout=10)
    _get(fake_sheets, "/drive/v3/files")
    fake_sheets.faults.fail_next(429, kind="read")
    _get(fake_sheets, f"/v4/spreadsheets/{club}")
    stats = _get(fake_sheets, "/_testing/stats").json()
    assert (stats["read"], stats["write"], stats["drive"]) == (3, 2, 1)
    assert stats["by_path"] == {"GET /drive/v3/files": 1, "GET /v4/spreadsheets/{id}": 2, "GET /v4/spreadsheets/{id}/values/{range}": 1,
                                "PUT /v4/spreadsheets/{id}/values/{range}": 2}
    assert stats["by_status"] == {"200": 5, "429": 1}
    assert stats["by_caller"] == {fake_sheets.caller_email: {"read": 3, "write": 1, "drive": 1}, STAFF: {"read": 0, "write": 1, "drive": 0}}
    assert stats["server"]["spreadsheets"] == 1 and stats["server"]["max_rss_mb"] > 0
    assert len(fake_sheets.requests) == 6  # the stats requests are neither logged nor counted
    assert _post(fake_sheets, "/_testing/stats:reset").json() == {}
    assert (_get(fake_sheets, "/_testing/stats").json()["read"], fake_sheets.requests) == (0, [])
    assert _post(fake_sheets, "/_testing/stats").status_code == 404
    fake_sheets.record_requests = False  # counts only: what the standing-alone server does
    _get(fake_sheets, f"/v4/spreadsheets/{club}")
    assert (_get(fake_sheets, "/_testing/stats").json()["read"], fake_sheets.requests) == (1, [])


def test_shared_cells_are_copied_before_they_change(fake_sheets: FakeSheetsServer) -> None:
    from sheets_sync.testing.state import Frozen

    sid = fake_sheets.create_spreadsheet("CLB", {"A": [["x"]]})
    sheet = fake_sheets.spreadsheet(sid).sheets[0]
    shared = Frozen({"userEnteredValue": Frozen({"stringValue": "Nữ"})})
    sheet.cells.update({(1, 0): shared, (2, 0): shared, (3, 0): shared})
    _batch(fake_sheets, sid, {"updateCells": {"range": {"startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 1},
                                              "rows": [{"values": [{"note": "n", "userEnteredFormat": {"backgroundColor": {"red": 1}}}]}],
                                              "fields": "note,userEnteredFormat.backgroundColor"}})
    _post(fake_sheets, f"/v4/spreadsheets/{sid}/values/A3:clear")
    assert fake_sheets.get_notes(sid, "A") == {"A2": "n"}
    assert fake_sheets.get_values(sid, "A") == [["x"], ["Nữ"], [], ["Nữ"]]
    assert sheet.cells[(3, 0)] is shared and shared == {"userEnteredValue": {"stringValue": "Nữ"}}


def test_seeded_clubs_have_real_sizes_and_just_the_mistakes_listed(fake_sheets: FakeSheetsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from sheets_sync.club import open_club
    from sheets_sync.rules import load_rules
    from sheets_sync.testing.seed import club_data, seed_clubs

    today = dt.date(2026, 11, 23)
    clubs = list(seed_clubs(fake_sheets.state, 12, today=today, seed=3, mistakes=0.5))
    assert sum(bool(c["mistakes"]) for c in clubs) == 6 and all(len(c["mistakes"]) <= 3 for c in clubs)
    for club in clubs:
        sizes = club["sizes"]
        assert 63 <= sizes["members"] <= 70 and 13 <= sizes["months"] <= 36 and 30 <= sizes["loans"] <= 100, sizes
    monkeypatch.setenv("SHEETS_SYNC_GOOGLE_API_URL", fake_sheets.url)
    rules = load_rules()
    for club in clubs:
        report = open_club(club["key"], today=today, rules=rules, lang="en").report
        found = sorted((p.tab, p.cell, p.rule) for p in [*report.errors, *report.warnings])
        assert found == sorted((m["tab"], m["cell"], m["rule"]) for m in club["mistakes"]), club["title"]
    assert club_data(today, 5, number=2, mistakes=2) == club_data(today, 5, number=2, mistakes=2)  # repeatable
    joined = fake_sheets.get_cell(clubs[0]["key"], "Thành viên", "J2")
    assert joined["effectiveFormat"]["numberFormat"]["type"] == "DATE"  # dates are dates, not text


def test_module_seeds_clubs_before_serving(tmp_path: Path) -> None:
    seed_file = tmp_path / "clubs.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "sheets_sync.testing", "--port", "0", "--latency-ms", "1", "--seed-clubs", "3",
               "--seed-file", str(seed_file), "--seed-mistakes", "0.4", "--seed-today", "2026-11-23"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        url = line.split(" at ", 1)[1].split()[0]
        seeded = json.loads(seed_file.read_text(encoding="utf-8"))
        listed = requests.get(f"{url}/drive/v3/files", params={"fields": "files(id)"}, timeout=10).json()["files"]
        stats = requests.get(f"{url}/_testing/stats", timeout=10).json()
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=10)
    assert (seeded["today"], len(seeded["clubs"]), sum(bool(c["mistakes"]) for c in seeded["clubs"])) == ("2026-11-23", 3, 1)
    assert {f["id"] for f in listed} == {c["key"] for c in seeded["clubs"]}
    assert (stats["drive"], stats["server"]["spreadsheets"]) == (1, 3)
    assert "Seeded 3 of 3 clubs" in err and process.returncode == 0
