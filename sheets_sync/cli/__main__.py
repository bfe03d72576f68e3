"""``python -m sheets_sync.cli``: the same as the ``sheets-sync`` command."""

from . import main

main()
