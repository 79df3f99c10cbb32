# pledgeflow: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PASSWORD ?= demo
PYTEST_ARGS ?=
SHIFT_DAYS ?= 400

.PHONY: run test fuzz test-shifted clock-shifted test-realstack test-stack venv migrate seed demo schema states clean

# The virtualenv is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo --password $(PASSWORD)

## make run: set up and serve on the embedded default (SQLite, in-process tasks, local files)
run: seed
	@echo "pledgeflow on http://$(HOST):$(PORT)/login/  (API docs: http://$(HOST):$(PORT)/api/v1/docs/, admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: set up and run the whole suite on the embedded default
test: venv
	$(BIN)/pytest -m "not realstack" $(PYTEST_ARGS)

## make fuzz: schemathesis against the running service (its own SQLite database, loopback only)
fuzz: venv
	PLEDGEFLOW_PYTHON="$(abspath $(BIN))/python" scripts/fuzz_api.sh

## make test-shifted: the same suite with the clock moved SHIFT_DAYS days ahead (default 400; a
## negative number moves it back), so a test tied to the day it was written fails. libfaketime
## (Debian package faketime; -m: its thread-safe build) moves the wall clock only: a faked
## monotonic clock makes Python's timed waits (Thread.join(timeout), Lock.acquire(timeout)) hang.
## The price: time.sleep() fails with EINVAL under libfaketime 0.9.10, so tests/conftest.py sleeps
## with select() when FAKETIME is set (subprocess waits with a timeout sleep).
FAKETIME_RUN = FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -m -f "$(if $(filter -% +%,$(SHIFT_DAYS)),,+)$(SHIFT_DAYS)d"
test-shifted: venv clock-shifted
	$(FAKETIME_RUN) $(BIN)/pytest -m "not realstack" $(PYTEST_ARGS)

# Shows the shifted date as Python, SQLite and a thread's timed wait see it; fails if the clock
# did not move or a timed wait hangs.
clock-shifted: venv
	@command -v faketime >/dev/null 2>&1 || { echo "need faketime (Debian: apt-get install faketime)"; exit 1; }
	$(FAKETIME_RUN) $(BIN)/python scripts/clock_check.py $(SHIFT_DAYS) $$(date +%s)

## make test-realstack: the whole suite, real-stack tests included, against the DATABASE_URL,
## REDIS_URL and CELERY_BROKER_URL in the environment (scripts/stack.sh sets them up; see .ci/run).
## The browser tests are left to `make test`: they drive the same pages on the embedded default,
## and here they would only double CI's time.
test-realstack: venv
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

## make test-stack: start PostgreSQL, Redis and a worker on loopback, run test-realstack, stop them
test-stack: venv
	scripts/stack.sh run --worker-db test -- $(MAKE) test-realstack

## make demo: walk one application through every stage, documents into ./demo-out
demo: seed
	$(BIN)/python manage.py run_demo_lifecycle --out demo-out

schema: venv
	$(BIN)/python manage.py spectacular --file var/openapi.yaml --validate

states: venv
	$(BIN)/python manage.py graph_transitions financing.PledgeApplication -o docs/states.png && mv docs/states docs/states.dot

clean:
	rm -rf $(VENV) *.egg-info var db.sqlite3 demo-out
