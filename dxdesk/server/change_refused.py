"""The refusal of one change of a push: push.py turns it into the push's problem answer.

A module of its own so that the rules push.py applies from other modules (push_attachments.py)
raise it without importing push.py.
"""

from __future__ import annotations

from typing import Any


class ChangeRefused(Exception):
    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra  # more members of the problem answer
