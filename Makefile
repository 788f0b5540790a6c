# The only entry point: CI (.ci/run) calls these targets and nothing else.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install generate check-generated test lint typecheck check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

# Regenerate from scratch: --overwrite would keep files the spec no longer makes.
generate:
	$(BIN)/python scripts/generate.py

check-generated:
	$(BIN)/python scripts/generate.py --check

test:
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

check: check-generated lint typecheck test
