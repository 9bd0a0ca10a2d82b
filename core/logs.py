"""Structured logs: one JSON object per line, never a personal value.

Why: an operator must be able to see errors, logins, lockouts, slow queries and commands, and
tie a person's "出错了（请求编号 …）" to the line that explains it, without the log becoming a
second copy of the customer records (data-protection spec, "Configuration and logs").

Every line has ``time`` (UTC, ISO 8601), ``level``, ``event``, ``user_id``, ``page``,
``duration_ms`` and ``request_id`` (null when they do not apply), plus a few fields from
``EXTRA``. What keeps personal values out is structural, not a promise of the callers:
- only the fields of ``EXTRA`` are written, any other keyword is refused (``TypeError``);
- a text value must look like a code (``SAFE_TEXT``: letters, digits, ``_.:/-``), else it is
  written as ``"[redacted]"`` — a name, a sentence, an e-mail address or a Chinese text cannot
  pass;
- an error is logged by its exception class and the code locations of its traceback, never its
  message (a database error's message quotes the statement's parameters);
- a slow query is logged as its statement with every literal replaced by ``?``, never its
  parameters.

This module imports nothing of the project: the app and ``manage.py`` call ``configure`` with
the settings, ``db.engine`` calls ``watch_queries`` on each engine.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import logging.handlers
import re
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

LOGGER_NAME: Final = "crm"
FIELDS: Final = ("time", "level", "event", "user_id", "page", "duration_ms", "request_id")
EXTRA: Final = frozenset({
    "command",     # manage.py command name
    "status",      # a command's exit status
    "outcome",     # a login's outcome code
    "reason",      # a code saying why
    "error",       # an exception's class name
    "where",       # code locations of a traceback: module:line:function, innermost last
    "statement",   # a slow statement, literals replaced by ?
    "statement_id",  # a short hash of it, to group the same statement
    "rows",        # a row count
})
SAFE_TEXT: Final = re.compile(r"[A-Za-z0-9_.:/\-]{0,120}")
REDACTED: Final = "[redacted]"
DEFAULT_SLOW_QUERY_MS: Final = 500


@dataclass(frozen=True)
class _Context:
    request_id: str | None = None
    user_id: int | None = None
    page: str | None = None


_NO_REQUEST: Final = _Context()
_context: contextvars.ContextVar[_Context] = contextvars.ContextVar(
    "crm_log_context", default=_NO_REQUEST)
_slow_query_ms: float = DEFAULT_SLOW_QUERY_MS
_configured: tuple[object, ...] | None = None
# Until ``configure`` runs (tests, scripts) lines go nowhere: not to Python's last-resort
# handler on stderr, which would print them as plain text.
logging.getLogger(LOGGER_NAME).addHandler(logging.NullHandler())
logging.getLogger(LOGGER_NAME).propagate = False


def new_request_id() -> str:
    """A short random id: unique enough to find one run's lines, nothing derived from a user."""
    return uuid.uuid4().hex[:12]


def begin_request(*, page: str | None = None, user_id: int | None = None) -> str:
    """Start a request (one run of a page, one command): later lines of this thread carry its
    id, user and page. Returns the id, which the person is shown on an unexpected error."""
    request_id = new_request_id()
    _context.set(_Context(request_id, user_id, page))
    return request_id


def set_context(*, user_id: int | None = None, page: str | None = None) -> None:
    """Name the user or the page of the current request once they are known."""
    current = _context.get()
    _context.set(replace(current, user_id=user_id if user_id is not None else current.user_id,
                         page=page if page is not None else current.page))


def request_id() -> str | None:
    return _context.get().request_id


def _safe(name: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if name == "where" and isinstance(value, list | tuple):
        return [v if isinstance(v, str) and SAFE_TEXT.fullmatch(v) else REDACTED for v in value]
    if name == "statement" and isinstance(value, str):
        return normalise_statement(value)
    if isinstance(value, str) and SAFE_TEXT.fullmatch(value):
        return value
    return REDACTED


_CURRENT: Final = object()


def event(name: str, *, level: int = logging.INFO, duration_ms: float | None = None,
          user_id: int | None | object = _CURRENT, page: str | None | object = _CURRENT,
          **extra: Any) -> None:
    """Write one line. ``user_id`` and ``page`` default to the current request's."""
    unknown = set(extra) - EXTRA
    if unknown:
        raise TypeError(f"log fields not allowed: {sorted(unknown)}")
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.isEnabledFor(level):
        return
    ctx = _context.get()
    record: dict[str, Any] = {
        "event": _safe("event", name),
        "user_id": ctx.user_id if user_id is _CURRENT else user_id,
        "page": _safe("page", ctx.page if page is _CURRENT else page),
        "duration_ms": None if duration_ms is None else round(duration_ms, 1),
        "request_id": ctx.request_id,
    }
    record.update({k: _safe(k, v) for k, v in extra.items()})
    logger.log(level, name, extra={"crm": record})


def error(name: str, exc: BaseException, **extra: Any) -> None:
    """Log an exception by class and code locations only (its message may hold values)."""
    frames = traceback.extract_tb(exc.__traceback__)[-8:]
    where = [f"{_module(f.filename)}:{f.lineno}:{f.name.strip('<>')}" for f in frames]
    event(name, level=logging.ERROR, error=type(exc).__name__, where=where, **extra)


def _module(filename: str) -> str:
    """A traceback file as a short path: the project's relative to it, a library's from its
    package (site-packages/...) on."""
    path = Path(filename)
    if path.is_relative_to(_ROOT) and "site-packages" not in path.parts:
        return path.relative_to(_ROOT).as_posix()
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1:])
    return "/".join(parts[-2:])


_ROOT: Final = Path(__file__).resolve().parent.parent


_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_SPACE = re.compile(r"\s+")


def normalise_statement(sql: str) -> str:
    """The statement's shape: string and number literals become ``?``, whitespace one space,
    at most 400 characters. Parameters are never passed here."""
    return _SPACE.sub(" ", _LITERAL.sub("?", sql)).strip()[:400]


class JsonLines(logging.Formatter):
    """One JSON object per line, the fixed fields first."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "crm", None)
        if fields is None:  # a line of another library through our handler: its name only
            fields = {"event": _safe("event", record.name), "user_id": None, "page": None,
                      "duration_ms": None, "request_id": _context.get().request_id}
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        line = {"time": stamp.replace("+00:00", "Z"), "level": record.levelname, **fields}
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def configure(*, file: Path | None, stderr: bool, level: str = "INFO",
              slow_query_ms: float = DEFAULT_SLOW_QUERY_MS) -> None:
    """Send the ``crm`` logger's lines to ``file`` (appended; a ``WatchedFileHandler``, so an
    external logrotate may move it) and/or standard error. Idempotent: the app calls it on
    every run, only a change of settings replaces the handlers."""
    global _configured, _slow_query_ms
    wanted = (file, stderr, level, slow_query_ms)
    _slow_query_ms = slow_query_ms
    if _configured == wanted:
        return
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = []
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.WatchedFileHandler(file, encoding="utf-8"))
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
    if not handlers:
        logger.addHandler(logging.NullHandler())  # else Python's last resort prints to stderr
    logger.setLevel(level)
    logger.propagate = False  # never into Streamlit's or the root logger's plain text
    _configured = wanted


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """``with timed() as t: ...`` then ``t["ms"]``: the block's duration in milliseconds."""
    box = {"ms": 0.0}
    started = time.perf_counter()
    try:
        yield box
    finally:
        box["ms"] = (time.perf_counter() - started) * 1000


# -- slow queries --------------------------------------------------------------------------

_STARTED: Final = "crm_log_started"


def _before(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any,
            _executemany: bool) -> None:
    if context is not None:
        setattr(context, _STARTED, time.perf_counter())


def _after(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any,
           executemany: bool) -> None:
    started = getattr(context, _STARTED, None) if context is not None else None
    if started is None:
        return
    elapsed = (time.perf_counter() - started) * 1000
    if elapsed < _slow_query_ms:
        return
    shape = normalise_statement(statement)
    event("db.slow_query", level=logging.WARNING, duration_ms=elapsed, statement=shape,
          statement_id=hashlib.sha1(shape.encode()).hexdigest()[:10],
          reason="executemany" if executemany else None)


def watch_queries(engine: Any) -> None:
    """Log every statement of ``engine`` slower than the configured threshold (its shape and
    duration; the parameters are never looked at)."""
    from sqlalchemy import event as sa_event

    sa_event.listen(engine, "before_cursor_execute", _before)
    sa_event.listen(engine, "after_cursor_execute", _after)
