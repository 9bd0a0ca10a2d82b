"""The case datasets on the home page's demo section (issue 17): which one the demo database
holds, and the trainer's pick when resetting it."""

from __future__ import annotations

import streamlit as st

from components.actions import read
from components.i18n import tr
from services.demo.datasets import DATASETS
from services.system.database_facts import demo_dataset


def current_dataset() -> str:
    """The dataset the demo database holds (a database seeded before datasets: general)."""
    name = read(demo_dataset)
    return name if name in DATASETS else DATASETS[0]


def dataset_label(name: str) -> str:
    return tr(f"cases.dataset.{name}")


def current_dataset_line() -> str:
    """Show the dataset the demo data is about, with what it holds; returns its name."""
    name = current_dataset()
    st.markdown(f"**{tr('cases.home.current', dataset=dataset_label(name))}**")
    st.caption(tr(f"cases.dataset.help.{name}"))
    return name


def dataset_picker(key: str, current: str | None = None) -> str:
    """The dataset to reset to (the current one first selected), each described below."""
    start = current if current in DATASETS else DATASETS[0]
    picked = st.radio(tr("cases.home.pick"), DATASETS, index=DATASETS.index(start),
                      format_func=dataset_label, key=key, horizontal=True)
    st.caption(tr(f"cases.dataset.help.{picked}"))
    return picked
