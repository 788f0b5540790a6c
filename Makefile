# The only entry point: CI (.ci/run) calls these targets and nothing else.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The public prefactor-http 0.4.3 lives apart: its import name clashes with ours.
COMPAT_VENV ?= .venv-compat
COMPAT_STAMP := $(COMPAT_VENV)/.installed
COMPAT_MODES ?= default sparse
export PATH := $(abspath $(BIN)):$(PATH)
# The benchmark's contenders (the existing client 0.4.3, bare aiohttp and urllib3) live apart:
# the existing client's import name is ours too.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: demo install generate check-generated test test-fast lint typecheck check bench bench-server compat compat-names clean

# A venv with the package (editable) and the pinned dev tools, rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The README's first command: set up, start a local API, run both example agents against it.
demo: $(STAMP)
	$(BIN)/python examples/run_demo.py

# Regenerate prefactor_http/_generated (from openapi.yaml) and prefactor_http/_sync (from the async facade).
generate: $(STAMP)
	$(BIN)/python scripts/generate.py

check-generated: $(STAMP)
	$(BIN)/python scripts/generate.py --check

# pytest-xdist workers. The suite mostly waits (loopback servers, child processes, timeouts it
# provokes), so more workers than the 2 cores help: on 2 cores, 2 workers took about 1.6 times
# as long as 4; 3 and 6 were no faster than 4.
TEST_WORKERS ?= 4
# Bytecode is cached whatever the environment says (PYTHONDONTWRITEBYTECODE): without it each
# worker rewrites every test module again and each child Python recompiles the package.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# The whole suite, in parallel. tests/compat run the public client 0.4.3 as a black box.
test: $(STAMP) $(COMPAT_STAMP)
	$(PYTEST)

# The edit loop's subset, under 30 s: every test but those marked slow (child processes,
# forks, signals, the fault matrix, stress loops), which `make test` still runs.
test-fast: $(STAMP) $(COMPAT_STAMP)
	$(PYTEST) -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: check-generated lint typecheck test

# The compat venv: the public client pinned in compat/requirements.txt, rebuilt when that changes.
$(COMPAT_STAMP): compat/requirements.txt
	test -x $(COMPAT_VENV)/bin/python || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet -r compat/requirements.txt
	touch $(COMPAT_STAMP)

# The public client (0.4.3), run as a black box, against our local server in each mode
# (default, sparse); `make compat COMPAT_MODES=default` runs one.
compat: $(STAMP) $(COMPAT_STAMP)
	$(BIN)/python compat/run_compat.py --compat-python $(COMPAT_VENV)/bin/python --modes $(COMPAT_MODES)

# Refresh compat/public_names_0_4_3.json: every public name of 0.4.3, read off the package
# itself (run from /tmp, so that ours is not imported instead). tests/compat import them all.
compat-names: $(COMPAT_STAMP)
	cd /tmp && $(abspath $(COMPAT_VENV))/bin/python $(abspath compat/list_public_names.py) $(abspath compat/public_names_0_4_3.json)

# Requests per second the local server holds with each client in a loop (not part of check).
bench-server: $(STAMP)
	$(BIN)/python benchmarks/server_throughput.py

$(BENCH_STAMP): benchmarks/contenders.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r benchmarks/contenders.txt
	touch $(BENCH_STAMP)

# Ours beside the existing client 0.4.3 and the bare floors, against a local canned-answer
# server: client CPU, wall time, memory, import time, and the targets of issue 13.
# BENCH_ARGS=--quick for a short run.
bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench.py --contenders-python $(BENCH_VENV)/bin/python $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(COMPAT_VENV) $(BENCH_VENV) .pytest_cache .mypy_cache .ruff_cache
