# 客户档案: the two commands of the README.
#   make run   set up .venv, migrate, load demo data if the database is empty, start the app
#   make test  set up .venv with the dev tools and run the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DEMO_CUSTOMERS ?= 2000

.PHONY: run test lint bench clean-venv

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py init-db
	$(PY) manage.py seed-demo --customers $(DEMO_CUSTOMERS) --seed 42 --if-empty
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

test: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.dev
	$(PY) bench/run.py --customers 100000

clean-venv:
	rm -rf $(VENV)
