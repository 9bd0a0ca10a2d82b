"""续约管理: contracts coming up for renewal in the next 30/60/90 days with each customer's risk
(tier, latest satisfaction, open complaints), the outcome recorded in a dialog; the renewal
records; and the renewal targets per period (set by managers, read by everyone)."""

import zlib

import streamlit as st

from components import contract_ui, exports, managers, picked_row, renewal_list
from components.actions import write
from components.i18n import lang, tr
from components.session import require
from core import clock
from core.settings import get_settings
from services.access.roles import Perm
from services.excel import can_export
from services.records import renewal_targets as targets
from services.records import renewals

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()
page_size = get_settings().page_size

st.title(tr("renewals.title"))
st.caption(tr("renewals.intro"))
if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")
    contract_ui.close_page_dialog()  # the dialog that saved has done its job

people = managers.assigned()


def manager_id(choice: str | None) -> int | None:
    if choice == "me":
        return actor.user_id
    return people.id_of(choice)


def export_popover(key: str, build) -> None:
    """Prepare, then download, the list as Excel (masked per role, audited)."""
    if not can_export(actor):
        return
    exports.control(actor, tr("renewals.export"), key=key, build=build,
                    file_name=tr(f"renewals.file.{key}"), what=f"renewals.{key}",
                    help_text=tr("renewals.export.help.full" if actor.can(Perm.EXPORT_FULL)
                                 else "renewals.export.help.masked"),
                    download_key=f"{key}_download")


due_tab, records_tab, targets_tab = st.tabs(
    [tr("renewals.tab.due"), tr("renewals.tab.records"), tr("renewals.tab.targets")],
    key="rtab", bind="query-params")

# ---- contracts coming up for renewal ---------------------------------------------------------
if due_tab.open:
    with due_tab:
        query, chosen = renewal_list.due_filters(people.names(), mine=actor.user_id is not None)
        query = renewals.DueQuery(query.window_days, query.include_overdue, query.tier,
                                  manager_id(chosen), query.outcome)
        page = renewal_list.requested_page(renewal_list.DUE_PAGE)
        result = write(lambda session: renewals.due_renewals(
            session, actor, query, offset=(page - 1) * page_size, limit=page_size))
        if result.total == 0:
            st.info(tr("renewals.none"))
        else:
            st.caption(tr("renewals.pick_hint" if actor.can(Perm.EDIT_CUSTOMERS)
                          else "renewals.pick_hint.read"))
            shown = ",".join(str(r.contract_id) for r in result.rows)
            picked = renewal_list.due_table(result.rows,
                                            key=f"rdue_{zlib.crc32(shown.encode()):08x}")
            left, right = st.columns([3, 2], vertical_alignment="center")
            with right:
                page = renewal_list.pager(renewal_list.DUE_PAGE, result.total, page_size)
            with left:
                st.caption(tr("renewals.total", total=f"{result.total:,}",
                              start=result.window_start.isoformat(),
                              end=result.window_end.isoformat(), page=page,
                              pages=max(1, -(-result.total // page_size))))
            picked_row.open_once("rdue_picked", picked,
                                 lambda: contract_ui.open_from_page(picked))
            export_popover("due_export", lambda s: renewals.export_due_renewals(
                s, actor, query, lang()))

# ---- renewal records ---------------------------------------------------------------------------
if records_tab.open:
    with records_tab:
        rquery, rchosen = renewal_list.record_filters(people.names(),
                                                      mine=actor.user_id is not None)
        rquery = renewals.RecordQuery(rquery.outcome, rquery.due_from, rquery.due_to,
                                      rquery.tier, manager_id(rchosen))
        rpage = renewal_list.requested_page(renewal_list.RECORDS_PAGE)
        records = write(lambda session: renewals.renewal_records(session, actor, rquery,
                                                                 offset=(rpage - 1) * page_size,
                                                                 limit=page_size))
        if records.total == 0:
            st.info(tr("renewals.records.none"))
        else:
            shown = ",".join(str(r.renewal_id) for r in records.rows)
            rpicked = renewal_list.records_table(
                records.rows, key=f"rrec_{zlib.crc32(shown.encode()):08x}")
            left, right = st.columns([3, 2], vertical_alignment="center")
            with right:
                rpage = renewal_list.pager(renewal_list.RECORDS_PAGE, records.total,
                                           page_size)
            with left:
                st.caption(tr("renewals.records.total", total=f"{records.total:,}",
                              page=rpage, pages=max(1, -(-records.total // page_size))))
            picked_row.open_once("rrec_picked", rpicked,
                                 lambda: contract_ui.open_from_page(rpicked))
            export_popover("records_export", lambda s: renewals.export_renewal_records(
                s, actor, rquery, lang()))

# ---- renewal targets ---------------------------------------------------------------------------
if targets_tab.open:
    with targets_tab:
        can_set = actor.can(Perm.SET_TARGETS)
        st.caption(tr("targets.intro" if can_set else "targets.read_only"))
        this_year = clock.today().year
        years = list(range(this_year - 2, this_year + 2))
        cols = st.columns([2, 2, 6])
        kind_filter = cols[0].selectbox(tr("targets.kind"), renewal_list.KINDS, index=None,
                                        key="tkind", placeholder=tr("common.any"),
                                        format_func=lambda k: tr(f"targets.kind.{k}"),
                                        bind="query-params")
        year_filter = cols[1].selectbox(tr("targets.year"), years[::-1], index=None,
                                        key="tyear", placeholder=tr("common.any"),
                                        bind="query-params")
        listed = write(lambda session: targets.list_targets(session, actor, period_kind=kind_filter,
                                                            year=year_filter))
        if listed:
            renewal_list.targets_table(listed)
        else:
            st.info(tr("targets.none"))
        if can_set:
            renewal_list.target_form(actor, years)

contract_ui.show_page_dialog(actor)
