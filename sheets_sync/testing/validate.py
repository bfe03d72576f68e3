"""Check a Sheets request body against :mod:`requests_schema`, the way Google's JSON parser does.

The first problem wins, worded as Google words it::

    Invalid JSON payload received. Unknown name "colour" at 'requests[0].repeat_cell.cell.user_entered_format': Cannot find field.
    Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), "X"

Proto3 JSON accepts a field under its camelCase or snake_case name and treats
``null`` as "not set"; the checked body comes back in camelCase without nulls.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import ApiError, bad_request
from .requests_schema import ENUM_PROTO_NAMES, ENUMS, GOOGLE_ONLY_REQUEST_KINDS, MESSAGES

__all__ = ["check_body", "snake_case"]

_SCALAR_TYPES = {
    "int32": "TYPE_INT32",
    "double": "TYPE_DOUBLE",
    "float": "TYPE_FLOAT",
    "bool": "TYPE_BOOL",
    "string": "TYPE_STRING",
    "fieldmask": "type.googleapis.com/google.protobuf.FieldMask",
}


def snake_case(name: str) -> str:
    """``userEnteredFormat`` -> ``user_entered_format`` (Google's paths in errors)."""
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def check_body(message: str, body: Any, root: str = "") -> dict[str, Any]:
    """Validate ``body`` as ``message``; return it normalised, or raise ApiError 400/501.

    ``root`` is where Google binds the body in its request message: ``""`` for
    spreadsheets.batchUpdate, ``"data"`` for values.update (hence
    ``'data.values'`` in its messages).
    """
    return _message(message, body, root)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _invalid(path: str, type_name: str, value: Any) -> ApiError:
    shown = json.dumps(value, ensure_ascii=False)
    return bad_request(f"Invalid value at '{path}' ({type_name}), {shown}", field=path)


def _unknown(name: str, path: str) -> ApiError:
    where = f" at '{path}'" if path else ""
    return bad_request(
        f'Invalid JSON payload received. Unknown name "{name}"{where}: Cannot find field.',
        field=path or None,
    )


def _message(name: str, value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(path, f"type.googleapis.com/google.apps.sheets.v4.{name}", value)
    fields = MESSAGES[name]
    out: dict[str, Any] = {}
    for key, raw in value.items():
        field = key if key in fields else _camel_case(key)
        if field not in fields:
            if name == "Request" and field in GOOGLE_ONLY_REQUEST_KINDS:
                raise ApiError(
                    501,
                    f"The request kind '{field}' is valid for Google but not implemented by "
                    "the local test server (sheets_sync.testing).",
                )
            raise _unknown(key, path)
        if raw is None:
            continue  # null means "not set" in proto3 JSON
        if field in out:
            raise bad_request(f'Invalid JSON payload received. Duplicate field "{key}".', field=path or None)
        out[field] = _value(fields[field], raw, _join(path, snake_case(field)))
    if name == "Request":
        if len(out) > 1:
            second = list(out)[1]
            raise bad_request(
                f"Invalid JSON payload received. Oneof field 'kind' is already set. Cannot set '{second}'",
                field=path,
            )
        if not out:
            raise ApiError(400, f"Invalid {path}: No request kind was set.")
    return out


def _value(spec: str, raw: Any, path: str) -> Any:
    if spec.startswith("list:"):
        item_spec = spec[5:]
        if not isinstance(raw, list):
            raise _invalid(path, _type_name(item_spec), raw)
        return [_value(item_spec, item, f"{path}[{i}]") for i, item in enumerate(raw) if item is not None]
    if spec.startswith("map:"):
        if not isinstance(raw, dict):
            raise _invalid(path, _type_name(spec[4:]), raw)
        return {str(k): _value(spec[4:], v, f"{path}[{k}]") for k, v in raw.items() if v is not None}
    if spec.startswith("msg:"):
        return _message(spec[4:], raw, path)
    if spec.startswith("enum:"):
        return _enum(spec[5:], raw, path)
    if spec == "listvalue":
        return _list_value(raw, path)
    return _scalar(spec, raw, path)


def _type_name(spec: str) -> str:
    if spec.startswith("msg:"):
        return f"type.googleapis.com/google.apps.sheets.v4.{spec[4:]}"
    if spec.startswith("enum:"):
        enum = spec[5:]
        return f"type.googleapis.com/{ENUM_PROTO_NAMES.get(enum, 'google.apps.sheets.v4.' + enum)}"
    return _SCALAR_TYPES.get(spec, spec)


def _enum(enum: str, raw: Any, path: str) -> str:
    values = ENUMS[enum]
    if isinstance(raw, str) and raw in values:
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < len(values):
        return values[raw]
    raise _invalid(path, _type_name("enum:" + enum), raw)


def _scalar(spec: str, raw: Any, path: str) -> Any:
    kind = _SCALAR_TYPES[spec]
    if spec == "bool":
        if isinstance(raw, bool):
            return raw
    elif spec in ("string", "fieldmask"):
        if isinstance(raw, str):
            return raw
    elif spec == "int32":
        number: Any = raw
        if isinstance(raw, str) and re.fullmatch(r"-?\d+", raw.strip()):
            number = int(raw)
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, int) and not isinstance(number, bool) and -(2**31) <= number < 2**31:
            return number
    else:  # double / float
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return float(raw)
            except ValueError:
                pass
    raise _invalid(path, kind, raw)


def _list_value(raw: Any, path: str) -> list[list[Any]]:
    list_type = "type.googleapis.com/google.protobuf.ListValue"
    if not isinstance(raw, list):
        raise _invalid(path, list_type, raw)
    rows = []
    for i, row in enumerate(raw):
        if not isinstance(row, list):
            raise _invalid(f"{path}[{i}]", list_type, row)
        for j, cell in enumerate(row):
            if isinstance(cell, (list, dict)):
                kind = "list_value" if isinstance(cell, list) else "struct_value"
                raise ApiError(400, f"Invalid values[{i}][{j}]: {kind} {json.dumps(cell, ensure_ascii=False)}")
        rows.append(row)
    return rows
