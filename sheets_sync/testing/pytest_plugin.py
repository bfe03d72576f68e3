"""pytest fixtures for the local Sheets server.

Load them from the root ``tests/conftest.py`` with
``pytest_plugins = ["sheets_sync.testing.pytest_plugin"]``, or import the
fixture into a test module::

    from sheets_sync.testing.pytest_plugin import fake_sheets  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakeSheetsServer

__all__ = ["fake_sheets"]


@pytest.fixture
def fake_sheets() -> Iterator[FakeSheetsServer]:
    """A fresh local Sheets + Drive server on 127.0.0.1 for one test; stopped afterwards."""
    with FakeSheetsServer(seed=1234) as server:
        yield server
