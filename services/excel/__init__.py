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
Templates: ``template_xlsx(kind)``, ``write_template(out, kind)``.
Export: ``export_customers_xlsx(session, actor, query)`` / ``write_customers(...)`` (masked
by role, audited); ``table_xlsx(headers, rows)`` for any other list, ``export_table_xlsx`` to
have it audited too.

Every message is rendered late: ``issue.message(lang)``, ``refused.message(lang)``.
"""

from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use (PEP 562): the parsing child process imports only the reader, and
# must not pay for the database and service modules that the rest of the API needs.
_WHERE: dict[str, str] = {
    **dict.fromkeys(("can_export", "export_customers_xlsx", "export_table_xlsx",
                     "marketing_split", "write_customers"), "export"),
    **dict.fromkeys(("BlockedRow", "ImportRecord", "UndoResult", "can_undo", "list_imports",
                     "undo_import"), "history"),
    **dict.fromkeys(("ImportPreview", "ImportResult", "SampleRow", "commit_import",
                     "preview_import", "rejected_rows_xlsx", "run_import"), "importer"),
    **dict.fromkeys(("ExcelActionError", "ExcelRefused", "Issue", "Label"), "issues"),
    **dict.fromkeys(("KINDS", "RECORD_KINDS", "Column", "ImportKind", "get_kind"), "kinds"),
    **dict.fromkeys(("ON_DUPLICATE", "ImportSummary", "OnDuplicate", "RowOutcome", "Status"),
                    "outcomes"),
    "ColumnInfo": "reader",
    **dict.fromkeys(("template_xlsx", "write_template"), "template"),
    **dict.fromkeys(("table_xlsx", "write_table"), "writer"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'services.excel' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"services.excel.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
