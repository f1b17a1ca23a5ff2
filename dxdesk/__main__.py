"""``python -m dxdesk``: the same as the ``dxdesk`` command (and the bundle's entry point)."""

import os
import sys
from pathlib import Path

from dxdesk.cli.main import main

# The windowed Windows bundle (build.spec) has no console: sys.stdout and sys.stderr are None
# there, and the first write (--smoke's report, an error line) would raise. Send them nowhere;
# the file stays open for the life of the process.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, Path(os.devnull).open("w", encoding="utf-8"))  # noqa: SIM115

raise SystemExit(main())
