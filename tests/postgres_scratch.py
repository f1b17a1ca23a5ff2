"""Scratch PostgreSQL databases of the tests and the bench: dropping one reliably."""

from __future__ import annotations

import time

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError


def drop_database(engine: Engine, name: str, attempts: int = 20) -> None:
    """Drop a scratch database, forcing our own leftover connections off.

    ``WITH (FORCE)`` refuses when an autovacuum worker is in the database (it is no member of
    our role: InsufficientPrivilege); a plain DROP cancels autovacuum itself. So: force first,
    and when refused, a plain drop, again a moment later while the worker winds down.
    """
    for attempt in range(attempts):
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as refused:
            if not isinstance(refused.orig, psycopg.errors.InsufficientPrivilege):
                raise
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            return
        except OperationalError:  # still in use: try both again shortly
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)
