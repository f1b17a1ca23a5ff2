"""The central server: accounts, assignments and the sync API (extra ``server``)."""
