"""Google field masks: parse them, cut responses down to them, apply updates through them.

A mask is a comma list of paths; a path steps with ``.`` or ``/`` and may end
in a parenthesised sub-mask: ``sheets(properties,data.rowData.values.note)``,
``gridProperties/rowCount``, ``files(id,name)``.  Parsed into a tree of dicts
where ``True`` means "this whole field"::

    >>> parse_mask("sheets(properties,data.rowData)")
    {'sheets': {'properties': True, 'data': {'rowData': True}}}
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["WHOLE", "MaskError", "apply_update", "leaf_paths", "parse_mask", "select"]

Tree = dict[str, Any]  # name -> sub-tree, or True for "the whole field"
WHOLE = True


class MaskError(ValueError):
    """The mask text does not parse."""


def parse_mask(text: str) -> Tree:
    """Parse a field mask into a tree (``True`` marks a whole field)."""
    parser = _Parser(text.replace(" ", ""))
    tree = parser.mask()
    if parser.pos != len(parser.text):
        raise MaskError(text)
    return tree


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _at(self, chars: str) -> bool:
        return self.pos < len(self.text) and self.text[self.pos] in chars

    def mask(self) -> Tree:
        tree: Tree = {}
        while True:
            self.path(tree)
            if self._at(","):
                self.pos += 1
                continue
            return tree

    def path(self, tree: Tree) -> None:
        names = [self.name()]
        while self._at("./"):
            self.pos += 1
            names.append(self.name())
        leaf: Any = WHOLE
        if self._at("("):
            self.pos += 1
            leaf = self.mask()
            if not self._at(")"):
                raise MaskError(self.text)
            self.pos += 1
        for name in reversed(names[1:]):
            leaf = {name: leaf}
        _merge(tree, {names[0]: leaf})

    def name(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "_*@"):
            self.pos += 1
        if start == self.pos:
            raise MaskError(self.text)
        return self.text[start : self.pos]


def _merge(into: Tree, other: Tree) -> None:
    for key, sub in other.items():
        if key not in into:
            into[key] = sub
        elif into[key] is WHOLE or sub is WHOLE:
            into[key] = WHOLE
        else:
            _merge(into[key], sub)


def select(value: Any, tree: Tree, drop_empty_lists: bool = True) -> Any:
    """Cut ``value`` down to the fields in ``tree`` (lists are cut element by element).

    A selected message that is present stays, even if nothing inside it is
    selected: Sheets answers ``{"sheets": [{"properties": {}}]}``.  Sheets
    (proto3) leaves empty lists out; Drive keeps them (``"files": []``).
    """
    if tree is WHOLE or "*" in tree:
        return value
    if isinstance(value, list):
        return [select(item, tree, drop_empty_lists) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, sub in tree.items():
        if key in value:
            picked = select(value[key], sub, drop_empty_lists)
            if drop_empty_lists and isinstance(picked, list) and not picked:
                continue
            out[key] = picked
    return out


def leaf_paths(tree: Tree, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths a tree names, e.g. ``[("gridProperties", "rowCount")]``."""
    paths: list[tuple[str, ...]] = []
    for key, sub in tree.items():
        if sub is WHOLE:
            paths.append(prefix + (key,))
        else:
            paths.extend(leaf_paths(sub, prefix + (key,)))
    return paths


def apply_update(target: dict[str, Any], source: dict[str, Any], paths: list[tuple[str, ...]]) -> None:
    """Copy each masked path from ``source`` into ``target``; clear it where source has none."""
    for path in paths:
        src: Any = source
        for key in path:
            src = src.get(key) if isinstance(src, dict) else None
        node = target
        for key in path[:-1]:
            nxt = node.get(key)
            if not isinstance(nxt, dict):
                if src is None:
                    node = None  # nothing to clear below a missing parent
                    break
                nxt = node[key] = {}
            node = nxt
        if node is None:
            continue
        if src is None:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = copy.deepcopy(src)
        _prune_empty_parents(target, path[:-1])


def _prune_empty_parents(target: dict[str, Any], path: tuple[str, ...]) -> None:
    for depth in range(len(path), 0, -1):
        node: Any = target
        for key in path[: depth - 1]:
            node = node.get(key)
            if not isinstance(node, dict):
                return
        child = node.get(path[depth - 1])
        if isinstance(child, dict) and not child:
            del node[path[depth - 1]]
        else:
            return
