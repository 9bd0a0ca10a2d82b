"""续约 rows of the profile's 时间线: picking one opens its contract (components.contract_ui),
where the outcome is recorded. Renewals are not added on their own: a contract is."""

from __future__ import annotations

from components import contract_ui
from components.record_dialog_state import RecordDialogs

DIALOGS = RecordDialogs(kind="renewal", label_key="contracts.detail.title",
                        icon=":material/autorenew:", add=None, edit=contract_ui.edit_renewal)
