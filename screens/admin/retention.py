"""保存期限: customers past retention (no order, contact, visit, complaint or live contract for
``retention.inactive_years``), each with the reason; administrators erase them one by one or
in bulk (each erasure its own audited transaction). Nothing is erased by itself."""

import pandas as pd
import streamlit as st

from components.actions import engine, read
from components.i18n import tr
from components.profile import run_action
from components.session import require
from components.tables import data_table
from core.clock import shown_day
from core.settings import get_settings
from services.access.roles import Perm
from services.privacy.erasure import ErasureError
from services.privacy.retention import (
    cutoff,
    erase_past_retention,
    past_retention,
    past_retention_ids,
)

PAGE = 50

user = require(Perm.DELETE_CUSTOMERS)
actor = user.actor()

st.title(tr("retention.title"))
years = get_settings().retention_inactive_years
st.caption(tr("retention.rule", years=years, day=shown_day(cutoff())))
if flash := st.session_state.pop("retention_flash", None):
    st.success(flash)

_, total = read(lambda session: past_retention(session, actor, limit=0))
if not total:
    st.info(tr("retention.none", years=years))
    st.stop()
pages = (total + PAGE - 1) // PAGE
number = st.number_input(tr("retention.page", pages=pages), min_value=1, max_value=pages,
                         value=1, step=1) if pages > 1 else 1
rows, total = read(lambda session: past_retention(session, actor,
                                                  offset=(int(number) - 1) * PAGE, limit=PAGE))


def reason(r) -> str:
    if r.last_kind is None:
        return tr("retention.reason.never", day=shown_day(r.created_at))
    return tr("retention.reason.last", kind=tr(f"retention.kind.{r.last_kind}"),
              day=shown_day(r.last_day))


cols = {k: tr(f"retention.col.{k}") for k in ("no", "name", "created", "deleted", "reason",
                                                  "open")}
frame = pd.DataFrame([{cols["no"]: r.customer_no, cols["name"]: r.name,
                       cols["created"]: shown_day(r.created_at),
                       cols["deleted"]: tr("common.yes") if r.deleted else "",
                       cols["reason"]: reason(r), cols["open"]: f"customer?id={r.customer_id}"}
                      for r in rows])
st.write(tr("retention.count", total=total))
picked = data_table(frame, hide_index=True, width="stretch", on_select="rerun",
                    selection_mode="multi-row", key="retention_rows",
                    column_config={cols["open"]: st.column_config.LinkColumn(
                        display_text=tr("lookup.open"))})
chosen = [rows[i].customer_id for i in (picked.selection.rows if picked else [])]

with st.form("retention_erase"):
    st.subheader(tr("retention.erase"))
    st.warning(tr("erasure.page.explain"))
    scope = st.radio(tr("retention.scope"), ["chosen", "all"], horizontal=True,
                     format_func=lambda s: tr(f"retention.scope.{s}", chosen=len(chosen),
                                              total=total))
    why = st.text_input(tr("erasure.page.reason"), max_chars=200)
    typed = st.text_input(tr("retention.confirm"))
    if st.form_submit_button(tr("erasure.page.button"), type="primary"):
        def _erase() -> None:
            if scope == "all":
                ids = read(lambda session: past_retention_ids(session, actor))
            else:
                ids = chosen
            if not ids:
                raise ErasureError("retention.error.none_chosen")
            if typed.strip() != str(len(ids)):
                raise ErasureError("retention.error.confirm", n=len(ids))
            done, skipped = erase_past_retention(engine(), actor, ids, why)
            st.session_state["retention_flash"] = tr("retention.done", n=len(done),
                                                     skipped=skipped)
        if run_action(_erase):
            st.session_state.pop("retention_rows", None)
            st.rerun()
st.caption(tr("retention.note"))
