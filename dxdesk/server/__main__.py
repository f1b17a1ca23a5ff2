import sys

from dxdesk.server.cli import main

sys.exit(main())
