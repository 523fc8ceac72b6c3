# Roundtable: `make run` to try it, `make test` to check it. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Host and port in links (emails, feeds): those served, unless SERVER_NAME is set already.
SERVER_NAME ?= $(HOST):$(PORT)
SERVE := SERVER_NAME=$(SERVER_NAME) $(FLASK)
# pytest-xdist workers; "auto" is one per core.
WORKERS ?= auto

.PHONY: run test install install-test lint bench bench-load clean help

help:
	@echo "make run    set up and serve the demo at http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff"
	@echo "make bench  run the benchmark scripts in bench/"
	@echo "make bench-load  req/s, p50, p99 per page under gunicorn vs a bare Flask app (PostgreSQL"
	@echo "                 with TEST_DATABASE_URL set; BENCH_LOAD_ARGS=\"--members 5000\" to run smaller)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Roundtable needs Python 3.11 or newer; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	@mkdir -p instance
	$(FLASK) db upgrade
	$(SERVE) demo
	@printf "\nRoundtable is at http://$(HOST):$(PORT)  (Ctrl+C to stop)\n\n"
	$(SERVE) run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check community tests bench config.py wsgi.py

bench: install-test
	@for script in bench/[!_]*.py; do \
	  case $$script in bench/bare_app.py) continue;; esac; \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; done

# The load benchmark alone (`make bench` runs it too, with the others): servers, a few minutes.
bench-load: install-test
	$(BIN)/python bench/load.py $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
