"""A class's state (open, expired, closed), in a module of its own: the classes use it, and so
do the snapshots (a snapshot an open class starts from is not removed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.clock import now
from db.models import TrainingClass


def class_state(cls: TrainingClass | Any, stamp: datetime | None = None) -> str:
    """``closed`` (a trainer closed it), ``expired`` (past ``expires_at``) or ``open``."""
    if cls.closed_at is not None:
        return "closed"
    return "expired" if cls.expires_at <= (stamp or now()) else "open"


__all__ = ["class_state"]
