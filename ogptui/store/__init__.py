"""SQLite storage: cache.db (rebuildable) and user.db (the user's watchlist; never rebuilt)."""

from ogptui.store.db import CorruptDatabase, StoreError
from ogptui.store.store import (
    ChangeRow,
    Freshness,
    MemberSummary,
    Store,
    SyncRun,
    WriteResult,
    utcnow,
    utcnow_ms,
)

__all__ = [
    "ChangeRow",
    "CorruptDatabase",
    "Freshness",
    "MemberSummary",
    "Store",
    "StoreError",
    "SyncRun",
    "WriteResult",
    "utcnow",
    "utcnow_ms",
]
