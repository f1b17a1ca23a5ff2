"""``python -m dxdesk``: the same as the ``dxdesk`` command."""

from dxdesk.cli import main

raise SystemExit(main())
