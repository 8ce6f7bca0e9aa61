# finsam — the two commands: `make run` and `make test`.
# Django 6 needs Python >= 3.12: use the newest Python found (python3.13, python3.12, pyenv's),
# falling back to python3 (3.11 gets the Django 5.2 LTS line, see pyproject.toml).
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then command -v $$p || echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format quality migrate demo bench fuzz a11y messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable

demo: migrate
	DEBUG=1 $(BIN)/python manage.py load_demo

run: demo  # the web server and the background jobs worker (finsam/jobs) together
	DEBUG=1 $(BIN)/python manage.py serve $(HOST):$(PORT)

test: $(STAMP)
	FINSAM_TESTING=1 $(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

# Everything a reviewer would check, short of the tests: lint (with the complexity gate, ruff's
# C901 in pyproject.toml), formatting, missing migrations, Django's system checks, that every
# template compiles, and the apps' import layers (docs/architecture.md). CI runs it.
quality: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	FINSAM_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	FINSAM_TESTING=1 $(BIN)/python manage.py check --fail-level WARNING
	FINSAM_TESTING=1 $(BIN)/python manage.py check_templates
	$(BIN)/lint-imports --no-cache --no-logo

lint: quality

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Schemathesis against a live server (throwaway database), once per role; a few minutes.
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py $(FUZZ_ARGS)

# axe-core (finsam/core/tests/axe) in headless Chromium on the demo roles' pages at desktop and 390 px;
# `make test` runs the same check on every page of the permission walk (test_axe_browser.py).
a11y: $(STAMP)
	$(BIN)/python bench/a11y.py $(A11Y_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
