"""Domain logic. Never imports streamlit: everything here is testable without a browser."""
