"""The public surface is deliberate: what `import sheets_sync` offers, and the error tree."""

from __future__ import annotations

import inspect

import sheets_sync
from sheets_sync import errors


def test_all_names_exist_and_nothing_public_is_left_out():
    exported = set(sheets_sync.__all__)
    assert all(hasattr(sheets_sync, name) for name in exported)
    public = {name for name, value in vars(sheets_sync).items() if not name.startswith("_") and not inspect.ismodule(value)}
    assert public == exported


def test_every_error_derives_from_the_one_root_and_has_a_message():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, Exception)]
    assert all(issubclass(c, errors.SheetsSyncError) for c in classes)
    for cls in classes:
        assert cls.exit_code == 2
        from sheets_sync.i18n import MESSAGES

        assert cls.code in MESSAGES, cls
