# make run   set up .venv, migrate SQLite, load the demo district, serve http://127.0.0.1:8000
#            with a task worker and the scheduler beside it (Ctrl-C stops all three)
# make test  set up .venv with test tools, then every suite (SQLite, PostgreSQL, browser)
# make bench benchmarks (bench/), results as ratios against baselines measured in the same run
# make lint  ruff and mypy
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test bench lint system-packages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (python3 is %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# Debian packages the browser tests and PDF exports need: installed when running as root,
# named otherwise (the test run then skips the browser suite and says so).
system-packages:
	@bash scripts/system-packages.sh

run: $(VENV)/.installed
	$(BIN)/banchengshi migrate --noinput -v0
	$(BIN)/banchengshi demo --if-empty
	@BIN=$(BIN) bash scripts/run-dev.sh

test: $(VENV)/.installed-test system-packages
	@bash scripts/run-tests.sh

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var test-output
