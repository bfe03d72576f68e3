"""The local Sheets server answers the way Google answered in the recorded traffic.

Each cassette in ../shared/sheets-api-recordings (real Google Sheets v4 and
Drive v3 traffic recorded by gspread's authors) is replayed in order against
a fresh ``FakeSheetsServer`` with plain ``requests``; every answer's status
and body are compared with the recorded ones, field by field.

Normalisations, and nothing else:

* spreadsheet (Drive file) ids: the recorded id in a Drive ``files.create`` /
  ``files.copy`` answer is mapped to the id the local server handed out, and
  every later request and recorded answer is rewritten through that map
  (including inside ``spreadsheetUrl``);
* sheet ids, protected-range ids and named-range ids: learned the same way
  from ``addSheet`` / ``addProtectedRange`` / ``addNamedRange`` replies and
  rewritten in request bodies and recorded answers;
* ``createdTime`` / ``modifiedTime``: both sides must be RFC 3339 UTC with
  milliseconds (``2023-08-17T10:52:55.207Z``); the instants themselves are
  not compared;
* numbers: ``2`` and ``2.0`` are one JSON number; ``true`` is never ``1``;
* the caller: the server runs with the recording's service-account e-mail as
  its caller (it shows up in protected-range editors), and the one
  spreadsheet that was private to that caller is created private before the
  replay (``_PRIVATE``).

A body is never skipped: JSON answers are compared whole after the mapping
above, other answers (204, CSV) as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from sheets_sync.testing import FakeSheetsServer
from sheets_sync.testing.requests_schema import ENUMS, GOOGLE_ONLY_REQUEST_KINDS, MESSAGES, REQUEST_KINDS

SHARED = Path(__file__).parents[1].parent / "shared"
RECORDINGS = SHARED / "sheets-api-recordings"
DISCOVERY = SHARED / "google-api-discovery"
RECORDED_CALLER = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"

pytestmark = pytest.mark.skipif(
    not RECORDINGS.is_dir(), reason=f"recorded Google traffic not found at {RECORDINGS} (checkout without ../shared)"
)

# Cassettes replayed: every one whose endpoints sheets-sync (through gspread) uses.
COVERED = [
    "CellTest.test_a1_value",
    "CellTest.test_define_named_range",
    "CellTest.test_delete_named_range",
    "CellTest.test_equality",
    "CellTest.test_merge_cells",
    "CellTest.test_numeric_value",
    "CellTest.test_properties",
    "CellTest.test_update_named_range",
    "CellTest.test_update_named_range_no_args",
    "ClientTest.test_access_non_existing_spreadsheet",
    "ClientTest.test_access_private_spreadsheet",
    "ClientTest.test_add_timeout",
    "ClientTest.test_client_export_spreadsheet",
    "ClientTest.test_copy",
    "ClientTest.test_create",
    "ClientTest.test_list_spreadsheet_files",
    "ClientTest.test_no_found_exeption",
    "ClientTest.test_open_by_key_has_metadata",
    "ClientTest.test_open_by_name_has_metadata",
    "SpreadsheetTest.test_add_del_worksheet",
    "SpreadsheetTest.test_bad_json_api_error",
    "SpreadsheetTest.test_creationTime_prop",
    "SpreadsheetTest.test_export_spreadsheet",
    "SpreadsheetTest.test_get_lastUpdateTime",
    "SpreadsheetTest.test_get_worksheet",
    "SpreadsheetTest.test_get_worksheet_by_id",
    "SpreadsheetTest.test_lastUpdateTime_prop",
    "SpreadsheetTest.test_properties",
    "SpreadsheetTest.test_sheet1",
    "SpreadsheetTest.test_timezone_and_locale",
    "SpreadsheetTest.test_update_title",
    "SpreadsheetTest.test_values_batch_get",
    "SpreadsheetTest.test_values_get",
    "SpreadsheetTest.test_worksheet",
    "SpreadsheetTest.test_worksheet_iteration",
    "SpreadsheetTest.test_worksheets",
    "SpreadsheetTest.test_worksheets_exclude_hidden",
    "WorksheetTest.test_acell",
    "WorksheetTest.test_add_protected_range_normal",
    "WorksheetTest.test_add_protected_range_warning",
    "WorksheetTest.test_add_validation",
    "WorksheetTest.test_append_row",
    "WorksheetTest.test_append_row_with_empty_value",
    "WorksheetTest.test_append_row_with_empty_value_and_table_range",
    "WorksheetTest.test_attributes",
    "WorksheetTest.test_basic_filters",
    "WorksheetTest.test_batch_clear",
    "WorksheetTest.test_batch_get",
    "WorksheetTest.test_batch_merged_cells",
    "WorksheetTest.test_batch_update",
    "WorksheetTest.test_cell",
    "WorksheetTest.test_cell_return_first",
    "WorksheetTest.test_clear",
    "WorksheetTest.test_clear_tab_color",
    "WorksheetTest.test_delete_cols",
    "WorksheetTest.test_delete_protected_range",
    "WorksheetTest.test_delete_row",
    "WorksheetTest.test_find",
    "WorksheetTest.test_findall",
    "WorksheetTest.test_format",
    "WorksheetTest.test_freeze",
    "WorksheetTest.test_get_all_records",
    "WorksheetTest.test_get_all_records_different_header",
    "WorksheetTest.test_get_all_records_duplicate_keys",
    "WorksheetTest.test_get_all_records_numericise_unformatted",
    "WorksheetTest.test_get_all_records_pad_more_than_one_key",
    "WorksheetTest.test_get_all_records_pad_one_key",
    "WorksheetTest.test_get_all_records_pad_values",
    "WorksheetTest.test_get_all_records_value_render_options",
    "WorksheetTest.test_get_all_records_with_all_values_blank",
    "WorksheetTest.test_get_all_records_with_blank_final_headers",
    "WorksheetTest.test_get_all_records_with_keys_blank",
    "WorksheetTest.test_get_all_records_with_some_values_blank",
    "WorksheetTest.test_get_all_values",
    "WorksheetTest.test_get_all_values_date_time_render_options",
    "WorksheetTest.test_get_all_values_title_is_a1_notation",
    "WorksheetTest.test_get_and_get_values_have_same_signature",
    "WorksheetTest.test_get_merge_cells_and_unmerge_cells",
    "WorksheetTest.test_get_notes",
    "WorksheetTest.test_get_notes_2nd_sheet",
    "WorksheetTest.test_get_returns_ValueRange_with_metadata",
    "WorksheetTest.test_get_values_and_combine_merged_cells",
    "WorksheetTest.test_get_values_and_maintain_size",
    "WorksheetTest.test_get_values_can_emulate_get_with_kwargs",
    "WorksheetTest.test_get_values_merge_cells_from_centre_of_sheet",
    "WorksheetTest.test_get_values_merge_cells_outside_of_range",
    "WorksheetTest.test_get_values_merge_cells_with_named_range",
    "WorksheetTest.test_get_values_returns_padded_get_as_listoflists",
    "WorksheetTest.test_get_values_with_args_or_kwargs",
    "WorksheetTest.test_hide_columns_rows",
    "WorksheetTest.test_hide_gridlines",
    "WorksheetTest.test_hide_show_worksheet",
    "WorksheetTest.test_insert_cols",
    "WorksheetTest.test_insert_row",
    "WorksheetTest.test_range",
    "WorksheetTest.test_range_get_all_values",
    "WorksheetTest.test_range_reversed",
    "WorksheetTest.test_range_unbounded",
    "WorksheetTest.test_reorder_worksheets",
    "WorksheetTest.test_resize",
    "WorksheetTest.test_set_tab_color",
    "WorksheetTest.test_show_gridlines",
    "WorksheetTest.test_update_acell",
    "WorksheetTest.test_update_and_get",
    "WorksheetTest.test_update_cell",
    "WorksheetTest.test_update_cell_multiline",
    "WorksheetTest.test_update_cell_objects",
    "WorksheetTest.test_update_cell_unicode",
    "WorksheetTest.test_update_cells",
    "WorksheetTest.test_update_cells_noncontiguous",
    "WorksheetTest.test_update_cells_unicode",
    "WorksheetTest.test_update_tab_color",
    "WorksheetTest.test_update_title",
    "WorksheetTest.test_update_works_with_swapped_values_and_range",
    "WorksheetTest.test_worksheet_notes",
    "WorksheetTest.test_worksheet_update_index",
]

# Cassettes left out, and why:
LEFT_OUT = {
    "ClientTest.test_openall": "lists files other gspread tests left in the recorder's Drive; a fresh server has none",
    "ClientTest.test_open_all_has_metadata": "lists files other gspread tests left in the recorder's Drive",
    "ClientTest.test_import_csv": "PUT /upload/drive/v2/files (Drive v2 upload): sheets-sync never imports CSV",
    "WorksheetTest.test_auto_resize_columns": "autoResizeDimensions widths come from Google's font metrics",
    "WorksheetTest.test_copy_cut_range": "copyPaste / cutPaste requests: not used by sheets-sync",
    "WorksheetTest.test_sort": "sortRange requests: not used by sheets-sync",
    "WorksheetTest.test_group_columns": "addDimensionGroup / deleteDimensionGroup: not used by sheets-sync",
    "WorksheetTest.test_group_rows": "addDimensionGroup / deleteDimensionGroup: not used by sheets-sync",
}

# Spreadsheets a cassette reads without creating them (another account's private files): created private first.
_PRIVATE = {
    "ClientTest.test_access_private_spreadsheet": ["1jIKzPs8LsiZZdLdeMEP-5ZIHw6RkjiOmj1LrJN706Yc"],
}

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
_INT_ID_KEYS = ("sheetId", "protectedRangeId")


class _IdMap:
    """Recorded ids -> local ids, learned as answers come back."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.ints: dict[int, int] = {}

    def rewrite(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: self.rewrite(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rewrite(item, key) for item in value]
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and key in _INT_ID_KEYS:
            return self.ints.get(value, value)
        if isinstance(value, str):
            return self.rewrite_text(value)
        return value

    def rewrite_text(self, text: str) -> str:
        for recorded, local in self.strings.items():
            text = text.replace(recorded, local)
        return text

    def learn(self, recorded: Any, local: Any) -> None:
        if not isinstance(recorded, dict) or not isinstance(local, dict):
            return
        if recorded.get("kind") == "drive#file" and "id" in recorded and "id" in local:
            self.strings[recorded["id"]] = local["id"]
        for rec_reply, loc_reply in zip(recorded.get("replies", []), local.get("replies", [])):
            if "addSheet" in rec_reply and "addSheet" in loc_reply:
                self.ints[rec_reply["addSheet"]["properties"]["sheetId"]] = loc_reply["addSheet"]["properties"]["sheetId"]
            if "addProtectedRange" in rec_reply and "addProtectedRange" in loc_reply:
                rec_id = rec_reply["addProtectedRange"]["protectedRange"]["protectedRangeId"]
                self.ints[rec_id] = loc_reply["addProtectedRange"]["protectedRange"]["protectedRangeId"]
            if "addNamedRange" in rec_reply and "addNamedRange" in loc_reply:
                rec_id = rec_reply["addNamedRange"]["namedRange"]["namedRangeId"]
                self.strings[rec_id] = loc_reply["addNamedRange"]["namedRange"]["namedRangeId"]


def _times(value: Any, where: str) -> Any:
    """Check and blank out createdTime / modifiedTime."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("createdTime", "modifiedTime"):
                assert isinstance(item, str) and _TIMESTAMP.match(item), f"{where}: {key}={item!r} is not RFC 3339 with ms"
                out[key] = "<timestamp>"
            else:
                out[key] = _times(item, where)
        return out
    if isinstance(value, list):
        return [_times(item, where) for item in value]
    return value


def _strict(value: Any) -> Any:
    """Make ``True == 1`` false: Python equates them, JSON does not.  2 and 2.0 stay equal."""
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strict(item) for item in value]
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    return value


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8"))["interactions"]


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def replay(name: str, server: FakeSheetsServer) -> int:
    """Send every recorded request in order and compare each answer; returns how many."""
    ids = _IdMap()
    for recorded_id in _PRIVATE.get(name, []):
        ids.strings[recorded_id] = server.create_spreadsheet("Someone else's sheet", shared=False, owner_email="owner@example.com")
    session = requests.Session()
    interactions = _load(name)
    for number, interaction in enumerate(interactions):
        request, response = interaction["request"], interaction["response"]
        where = f"{name} #{number} {request['method']} {request['uri'][:120]}"
        uri = request["uri"].replace("https://sheets.googleapis.com", server.url).replace("https://www.googleapis.com", server.url)
        uri = ids.rewrite_text(uri)
        body = request["body"]
        headers = {}
        if body is not None:
            parsed = _json_or_none(body)
            body = json.dumps(ids.rewrite(parsed)) if parsed is not None else body
            headers["Content-Type"] = "application/json"
        answer = session.request(request["method"], uri, data=body.encode() if body else None, headers=headers, timeout=10)
        assert answer.status_code == response["status"]["code"], f"{where}: status {answer.status_code}, body {answer.text[:500]}"
        recorded_text = response["body"]["string"]
        recorded_json = _json_or_none(recorded_text) if recorded_text else None
        if recorded_json is None:
            assert answer.text.strip() == recorded_text.strip(), where
            continue
        local_json = answer.json()
        ids.learn(recorded_json, local_json)
        expected = _times(ids.rewrite(recorded_json), where)
        actual = _times(local_json, where)
        assert _strict(actual) == _strict(expected), f"{where}\nexpected {json.dumps(expected)[:3000]}\nactual   {json.dumps(actual)[:3000]}"
    return len(interactions)


@pytest.mark.parametrize("name", COVERED)
def test_cassette_replays_identically(name: str) -> None:
    with FakeSheetsServer(caller_email=RECORDED_CALLER, seed=7) as server:
        assert replay(name, server) > 0


def test_every_cassette_is_covered_or_left_out_with_a_reason() -> None:
    on_disk = {p.stem for p in RECORDINGS.glob("*.json")}
    assert set(COVERED).isdisjoint(LEFT_OUT)
    assert on_disk == set(COVERED) | set(LEFT_OUT)
    assert len(COVERED) >= 40


# --- the server's request schema against Google's published one ------------------------

_DISCOVERY_TYPES = {
    "int32": ("integer", "int32"),
    "double": ("number", "double"),
    "float": ("number", "float"),
    "bool": ("boolean", None),
    "string": ("string", None),
    "fieldmask": ("string", "google-fieldmask"),
}


def _check_spec(spec: str, prop: dict[str, Any], where: str) -> None:
    if spec.startswith("list:"):
        assert prop.get("type") == "array", where
        _check_spec(spec[5:], prop["items"], where + "[]")
    elif spec.startswith("map:"):
        assert prop.get("type") == "object" and "additionalProperties" in prop, where
        _check_spec(spec[4:], prop["additionalProperties"], where + "{}")
    elif spec.startswith("msg:"):
        assert prop.get("$ref") == spec[4:], f"{where}: discovery says {prop.get('$ref') or prop.get('type')}"
    elif spec.startswith("enum:"):
        assert prop.get("type") == "string" and "enum" in prop, where
        assert set(ENUMS[spec[5:]]) <= set(prop["enum"]), f"{where}: values Google does not list"
    elif spec == "listvalue":
        assert prop.get("type") == "array" and prop["items"].get("type") == "array", where
    else:
        json_type, json_format = _DISCOVERY_TYPES[spec]
        assert prop.get("type") == json_type, f"{where}: {prop.get('type')} is not {json_type}"
        if json_format:
            assert prop.get("format") == json_format, f"{where}: format {prop.get('format')}"


@pytest.mark.skipif(not (DISCOVERY / "sheets.v4.json").is_file(), reason="discovery documents not found")
@pytest.mark.parametrize("message", sorted(MESSAGES))
def test_request_schema_fields_exist_in_google_discovery(message: str) -> None:
    schemas = json.loads((DISCOVERY / "sheets.v4.json").read_text(encoding="utf-8"))["schemas"]
    assert message in schemas, f"{message} is not a Sheets v4 schema"
    properties = schemas[message].get("properties", {})
    for field, spec in MESSAGES[message].items():
        assert field in properties, f"{message}.{field} is not in Google's schema"
        assert not properties[field].get("readOnly"), f"{message}.{field} is read-only at Google"
        _check_spec(spec, properties[field], f"{message}.{field}")


@pytest.mark.skipif(not (DISCOVERY / "sheets.v4.json").is_file(), reason="discovery documents not found")
def test_request_kinds_are_exactly_googles() -> None:
    schemas = json.loads((DISCOVERY / "sheets.v4.json").read_text(encoding="utf-8"))["schemas"]
    google = set(schemas["Request"]["properties"])
    assert set(REQUEST_KINDS) <= google
    assert set(REQUEST_KINDS) | GOOGLE_ONLY_REQUEST_KINDS == google
