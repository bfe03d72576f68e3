"""Query parameters, checked the way the Sheets API checks them.

An unknown parameter is a 400 (``Cannot bind query parameter``); a bad enum
or boolean names the parameter in snake_case like Google's messages do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import bad_request
from .requests_schema import ENUMS
from .validate import snake_case

__all__ = ["STANDARD_PARAMS", "bool_param", "check_params", "enum_param", "last"]

Query = Mapping[str, list[str]]

# Accepted by every Google API method (discovery "parameters").
STANDARD_PARAMS = frozenset(
    {"$.xgafv", "access_token", "alt", "callback", "fields", "key", "oauth_token", "prettyPrint", "quotaUser", "uploadType", "upload_protocol"}
)


def check_params(query: Query, allowed: Iterable[str]) -> None:
    known = STANDARD_PARAMS | set(allowed)
    for name in query:
        if name not in known:
            raise bad_request(
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                f"Field '{name}' could not be found in request message."
            )


def last(query: Query, name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[-1] if values else default


def enum_param(query: Query, name: str, enum: str, default: str | None) -> str | None:
    value = last(query, name)
    if value is None:
        return default
    if value not in ENUMS[enum]:
        raise bad_request(
            f"Invalid value at '{snake_case(name)}' (type.googleapis.com/google.apps.sheets.v4.{enum}), \"{value}\"",
            field=snake_case(name),
        )
    return value


def bool_param(query: Query, name: str, default: bool = False) -> bool:
    value = last(query, name)
    if value is None:
        return default
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise bad_request(f"Invalid value at '{snake_case(name)}' (TYPE_BOOL), \"{value}\"", field=snake_case(name))
