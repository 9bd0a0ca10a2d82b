"""Training (issue 17): a trainer's snapshots of the demo database and classes of trainees.
The modules behind this face: ``snapshots`` (save / restore / list through services.backup),
``classes`` (trainee accounts, expiry, the class's reset) and ``login_sheet`` (the printable
sheet of a class's logins)."""

from services.training.classes import (
    DATASETS,
    MAX_TRAINEES,
    ClassError,
    ClassReset,
    ClassRow,
    LoginSheet,
    TraineeLogin,
    class_names,
    class_state,
    close_class,
    create_class,
    current_dataset,
    expire_classes,
    last_day,
    list_classes,
    reset_class,
    reset_passwords,
    trainee_logins,
    trainee_refusal,
)
from services.training.login_sheet import login_sheet_xlsx
from services.training.snapshots import (
    Snapshot,
    SnapshotRefused,
    SnapshotRestored,
    delete_snapshot,
    drop_class_snapshot,
    find_snapshot,
    list_snapshots,
    restore_snapshot,
    save_snapshot,
    snapshot_classes,
    snapshot_root,
)

__all__ = ["DATASETS", "MAX_TRAINEES", "ClassError", "ClassReset", "ClassRow", "LoginSheet",
           "Snapshot", "SnapshotRefused", "SnapshotRestored", "TraineeLogin", "class_names",
           "class_state", "close_class", "create_class", "current_dataset", "delete_snapshot",
           "drop_class_snapshot", "expire_classes", "find_snapshot", "last_day", "list_classes",
           "list_snapshots", "login_sheet_xlsx", "reset_class", "reset_passwords",
           "restore_snapshot", "save_snapshot", "snapshot_classes", "snapshot_root",
           "trainee_logins", "trainee_refusal"]
