# make run             install, migrate, load the demo into an empty database, serve on :5000
# make test            install the dev extra and run the whole suite (SQLite)
# make test-postgres   the same suite on a throwaway PostgreSQL database
# make screenshots     PNGs of the main pages with the demo data into docs/screenshots/ (needs Chromium)
# Extra pytest arguments: make test PYTEST_ARGS="-k login -x"

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app forum
PYTEST_ARGS ?=

.PHONY: run test test-postgres serve-production screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes (or the stamp is missing).
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

run: $(VENV)/.installed-run
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	FORUM_TEST_DATABASE=postgresql $(MAKE) test

# Production: gunicorn with the settings in gunicorn.conf.py; needs SECRET_KEY and DATABASE_URL.
serve-production: $(VENV)/.installed-run
	FORUM_ENV=production $(FLASK) db upgrade
	FORUM_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py

screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m tests.browser.screenshots docs/screenshots
