"""Sync between the app and the central server; ``protocol`` is shared with the server."""
