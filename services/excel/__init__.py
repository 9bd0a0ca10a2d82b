"""Excel import and export (spec: customer-record.md, "Excel import and export").

The public API, for the pages and the command line:

Import (customers, and orders / complaints / surveys / follow-ups / renewals of existing
customers, ``KINDS``):
    ``preview_import(session, actor, data, file_name, kind=, on_duplicate=, column_map=,
    progress=)`` -> ``ImportPreview`` (nothing written);
    ``commit_import(session, actor, preview, progress=)`` -> ``ImportResult`` (one transaction:
    the caller commits); ``run_import(...)`` both at once (``dry_run=True``: nothing written);
    ``ImportPreview.rejected_xlsx()`` / ``rejected_rows_xlsx(...)`` the rejected rows with reasons.
    ``ExcelRefused`` is raised when a file cannot be imported at all.
History and undo: ``list_imports``, ``undo_import`` (administrators and managers).
Held rows (kept by ``services.access.holds`` when a row matched through a key its uploader may
not see): ``held_rows`` (shown with the customers they match) and ``import_hold``.
Templates: ``template_xlsx(kind)``, ``write_template(out, kind)``.
Export: ``export_customers_xlsx(session, actor, query)`` / ``write_customers(...)`` (masked
by role, audited); ``table_xlsx(headers, rows)`` for any other list, ``export_table_xlsx`` to
have it audited too.

Every message is rendered late: ``issue.message(lang)``, ``refused.message(lang)``.
"""

from __future__ import annotations

from services.excel.export import (
    can_export,
    export_customers_xlsx,
    export_table_xlsx,
    marketing_split,
    write_customers,
)
from services.excel.held import (
    MATCH_HEADER,
    held_rows,
    import_hold,
)
from services.excel.history import (
    BlockedRow,
    ImportRecord,
    UndoResult,
    can_undo,
    list_imports,
    undo_import,
)
from services.excel.importer import (
    ImportPreview,
    ImportResult,
    SampleRow,
    commit_import,
    preview_import,
    rejected_rows_xlsx,
    run_import,
)
from services.excel.issues import (
    ExcelActionError,
    ExcelRefused,
    Issue,
    Label,
)
from services.excel.kinds import (
    KINDS,
    RECORD_KINDS,
    Column,
    ImportKind,
    get_kind,
)
from services.excel.outcomes import (
    ON_DUPLICATE,
    ImportSummary,
    OnDuplicate,
    RowOutcome,
    Status,
)
from services.excel.reader import (
    ColumnInfo,
)
from services.excel.template import (
    template_xlsx,
    write_template,
)
from services.excel.writer import (
    table_xlsx,
    write_table,
)

__all__ = [
    "MATCH_HEADER",
    "BlockedRow",
    "Column",
    "ColumnInfo",
    "ExcelActionError",
    "ExcelRefused",
    "ImportKind",
    "ImportPreview",
    "ImportRecord",
    "ImportResult",
    "ImportSummary",
    "Issue",
    "KINDS",
    "Label",
    "ON_DUPLICATE",
    "OnDuplicate",
    "RECORD_KINDS",
    "RowOutcome",
    "SampleRow",
    "Status",
    "UndoResult",
    "can_export",
    "can_undo",
    "commit_import",
    "export_customers_xlsx",
    "export_table_xlsx",
    "get_kind",
    "held_rows",
    "import_hold",
    "list_imports",
    "marketing_split",
    "preview_import",
    "rejected_rows_xlsx",
    "run_import",
    "table_xlsx",
    "template_xlsx",
    "undo_import",
    "write_customers",
    "write_table",
    "write_template",
]
