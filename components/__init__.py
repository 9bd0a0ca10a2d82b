"""Reusable Streamlit widgets and figure builders. Pages compose these; services do the work."""
