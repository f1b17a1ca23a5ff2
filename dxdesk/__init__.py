"""DX Desk: an offline-first workspace for municipal DX advisors."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dxdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
