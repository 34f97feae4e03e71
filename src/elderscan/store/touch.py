"""Writes a read may cause but must not need: a token's last use, a session's last visit.

A store that refuses writes (read-only, disk full) must still answer reads, so these times are
written on the side: in their own short transaction, tried at most once a `TOUCH_SECONDS` per
thing and process whatever the outcome, and a failure is logged and forgotten.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from elderscan.store.db import describe_db_error

log = logging.getLogger(__name__)

TOUCH_SECONDS = 60
_touched: dict[str, float] = {}
"""Key → monotonic time of the last attempt."""
_lock = threading.Lock()


def touch(session: Session, key: str, statement: Executable, what: str) -> None:
    """Run `statement` on the side (see the module); `what` names it in the log."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    clock = time.monotonic()
    with _lock:
        last = _touched.get(key)
        if last is not None and clock - last < TOUCH_SECONDS:
            return
        if len(_touched) > 10_000:
            _touched.clear()
        _touched[key] = clock
    try:
        with engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError as exc:
        log.warning("%s not recorded: %s", what, describe_db_error(exc, engine.url))
