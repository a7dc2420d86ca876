# make run             install, migrate, load the demo into an empty database, serve on :5000
# make test            install the dev extra and run the whole suite (SQLite)
# make test-postgres   the same suite on a throwaway PostgreSQL database
# make screenshots     PNGs of the main pages with the demo data into docs/screenshots/ (needs Chromium)
# make bench           seed, serve and load-test SQLite and PostgreSQL at 20,000 and 200,000 posts
#                      (BENCH_DATABASES=sqlite BENCH_SIZES=20000 BENCH_ROUNDS=1 for a quick subset)
# Extra pytest arguments: make test PYTEST_ARGS="-k login -x"

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app forum
PYTEST_ARGS ?=

.PHONY: run test test-postgres serve-production screenshots bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes (or the stamp is missing).
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

# The demo's crisis lines (the Help now page): international directories, so nobody takes
# them for a local service. Set CRISIS_LINES yourself to list others, or empty for none.
run: export CRISIS_LINES ?= Find A Helpline|https://findahelpline.com|Anyone, in any country: a directory of free, confidential crisis lines;Befrienders Worldwide|https://befrienders.org|Emotional support centres in many countries, for anyone who is struggling
run: $(VENV)/.installed-run
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	FORUM_TEST_DATABASE=postgresql $(MAKE) test

# Production: gunicorn with the settings in gunicorn.conf.py; needs SECRET_KEY, SITE_URL and DATABASE_URL.
serve-production: $(VENV)/.installed-run
	FORUM_ENV=production $(FLASK) db upgrade
	FORUM_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py

screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m tests.browser.screenshots docs/screenshots
# The benchmark (not part of `make test`): results go to bench/results/. wrk comes from
# Debian's packages; pyinstrument (bench/profile.py) from the dev extra.
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q wrk) \
		|| { echo "make bench needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.run
