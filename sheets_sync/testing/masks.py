"""Field masks in requests (``fields``) and Sheets' paired colour fields.

``check_mask`` turns ``"gridProperties/rowCount,userEnteredFormat(backgroundColor)"``
into paths, refusing names the message does not have, and adds the twin of
every colour path: Sheets treats ``backgroundColor`` and
``backgroundColorStyle`` as one setting and answers with both.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import invalid_request
from .fields import MaskError, leaf_paths, parse_mask
from .requests_schema import MESSAGES
from .state import normalise_colors

__all__ = ["check_mask", "sync_colors"]

# A colour and its *Style twin are one setting in Sheets; keep them in step.
_COLOR_TWINS = {
    "backgroundColor": "backgroundColorStyle",
    "foregroundColor": "foregroundColorStyle",
    "tabColor": "tabColorStyle",
    "color": "colorStyle",
    "visibleBackgroundColor": "visibleBackgroundColorStyle",
    "visibleForegroundColor": "visibleForegroundColorStyle",
}
_STYLE_TWINS = {style: color for color, style in _COLOR_TWINS.items()}


def check_mask(fields: str | None, message: str, where: str, skip: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Parse a request's ``fields`` and check each path names a real field of ``message``."""
    if not fields:
        raise invalid_request(f"Invalid {where}: At least one field must be specified.")
    try:
        tree = parse_mask(fields)
    except MaskError:
        raise invalid_request(f"Invalid {where}: Invalid field mask: {fields}") from None
    if "*" in tree:
        return [(name,) for name in MESSAGES[message] if name not in skip]
    paths = leaf_paths(tree)
    for path in paths:
        current = message
        for step in path:
            spec = MESSAGES.get(current, {}).get(step)
            if spec is None:
                raise invalid_request(f"Invalid {where}: Invalid field mask path '{'.'.join(path)}': no such field.")
            current = spec[4:] if spec.startswith("msg:") else ""
    expanded = list(paths)
    for path in paths:
        twin = _COLOR_TWINS.get(path[-1]) or _STYLE_TWINS.get(path[-1])
        if twin and path[:-1] + (twin,) not in expanded:
            expanded.append(path[:-1] + (twin,))
    return [p for p in expanded if p[0] not in skip]


def sync_colors(value: Any) -> Any:
    """Fill in ``fooColorStyle`` from ``fooColor`` and back, after quantising channels."""
    value = normalise_colors(value)
    _sync(value)
    return value


def _sync(value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _sync(item)
        return
    if not isinstance(value, dict):
        return
    for color, style in _COLOR_TWINS.items():
        if color in value and style not in value:
            value[style] = {"rgbColor": copy.deepcopy(value[color])}
        elif style in value and color not in value and "rgbColor" in value[style]:
            value[color] = copy.deepcopy(value[style]["rgbColor"])
        elif style in value and value[style] == {}:
            value.pop(color, None)
    for child in value.values():
        _sync(child)
