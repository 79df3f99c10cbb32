# pledgeflow: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PASSWORD ?= demo
PYTEST_ARGS ?=

.PHONY: run test test-realstack test-stack venv migrate seed demo schema states clean

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
	@echo "pledgeflow on http://$(HOST):$(PORT)/api/v1/docs/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: set up and run the whole suite on the embedded default
test: venv
	$(BIN)/pytest -m "not realstack" $(PYTEST_ARGS)

## make test-realstack: the whole suite, real-stack tests included, against the DATABASE_URL,
## REDIS_URL and CELERY_BROKER_URL in the environment (scripts/stack.sh sets them up; see .ci/run)
test-realstack: venv
	$(BIN)/pytest $(PYTEST_ARGS)

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
