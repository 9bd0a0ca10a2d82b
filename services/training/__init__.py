"""Training (issue 17): a trainer's snapshots of the demo database and classes of trainees.
The modules behind this face: ``snapshots`` (save / restore / list through services.backup)
and ``classes`` (trainee accounts, their login sheet, expiry, the class's reset)."""

from services.training.snapshots import (
    Snapshot,
    SnapshotRefused,
    SnapshotRestored,
    delete_snapshot,
    find_snapshot,
    list_snapshots,
    restore_snapshot,
    save_snapshot,
    snapshot_root,
)

__all__ = ["Snapshot", "SnapshotRefused", "SnapshotRestored", "delete_snapshot",
           "find_snapshot", "list_snapshots", "restore_snapshot", "save_snapshot",
           "snapshot_root"]
