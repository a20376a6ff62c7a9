# ntprofile: every target bootstraps .venv (Python >= 3.12, NautilusTrader 1.231) from pyproject.toml
# on first use; `make test` also builds .venv-2 (Python >= 3.13, NautilusTrader 2.0) for the 2.0 backend.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV      := .venv
BIN       := $(VENV)/bin
VENV2     := .venv-2
BIN2      := $(VENV2)/bin
NTPROFILE := $(BIN)/ntprofile
PROFILE   ?=
ARGS      ?=

.PHONY: help setup require-profile validate compile check run test bench schema docs clean

help:
	@echo "make setup                     build .venv (finds a Python >= 3.12 by itself)"
	@echo "make validate                  validate every profile (the pre-commit check)"
	@echo "make compile PROFILE=NAME      write build/NAME/node.json and env.example"
	@echo "make check PROFILE=NAME        resolve secrets, preflight, build the node, dispose"
	@echo "make run PROFILE=NAME          check, then run the node until SIGINT/SIGTERM"
	@echo "make test                      the whole test suite (NautilusTrader 1.231 in .venv, 2.0 in .venv-2)"
	@echo "make bench                     benchmarks, written to bench/results.json"
	@echo "make schema                    regenerate schemas/profile.schema.json"
	@echo "make docs                      regenerate the docs' reference pages and example outputs, build build/site"

# The full runtime install (the core plus the node extra: NautilusTrader, redis-py,
# python-dotenv); re-done when pyproject.toml changes. A Python is looked for only
# when .venv has none; a half-made .venv (no venv module) is removed again.
$(VENV)/.ready: pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  py=$$(tools/find-python) || exit 1; \
	  echo "Using $$py ($$($$py --version))"; \
	  $$py -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "$$py cannot create a virtual environment (Debian/Ubuntu: apt-get install python3.X-venv)" >&2; exit 1; }; \
	elif ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "$(VENV) runs $$($(BIN)/python --version 2>&1); ntprofile needs Python >= 3.12: rm -rf $(VENV) and run make again" >&2; \
	  exit 1; \
	fi; \
	$(BIN)/python -m pip install --quiet --upgrade pip && \
	$(BIN)/python -m pip install --quiet -e '.[node]' && touch $@

# Test tools on top of the runtime install.
$(VENV)/.ready-test: $(VENV)/.ready
	$(BIN)/python -m pip install --quiet -e '.[node,test]' && touch $@

# The NautilusTrader 2.0 backend's environment: Python >= 3.13 (PYTHON2 names one), the node2
# extra and the test tools; re-done when pyproject.toml changes.
$(VENV2)/.ready-test: pyproject.toml
	@if [ ! -x $(BIN2)/python ]; then \
	  py=$$(PYTHON=$${PYTHON2:-} tools/find-python 13) || exit 1; \
	  echo "Using $$py ($$($$py --version)) for NautilusTrader 2.0"; \
	  $$py -m venv $(VENV2) || { rm -rf $(VENV2); \
	    echo "$$py cannot create a virtual environment (Debian/Ubuntu: apt-get install python3.X-venv)" >&2; exit 1; }; \
	fi; \
	$(BIN2)/python -m pip install --quiet --upgrade pip && \
	$(BIN2)/python -m pip install --quiet -e '.[node2,test]' && touch $@

setup: $(VENV)/.ready-test $(VENV2)/.ready-test

require-profile:
	@[ -n "$(PROFILE)" ] || { echo "usage: make $(MAKECMDGOALS) PROFILE=<target>  (see 'ntprofile list')" >&2; exit 2; }

validate: $(VENV)/.ready
	$(NTPROFILE) validate $(ARGS)

compile: require-profile $(VENV)/.ready
	$(NTPROFILE) compile $(PROFILE) $(ARGS)

check: require-profile $(VENV)/.ready
	$(NTPROFILE) check $(PROFILE) $(ARGS)

run: require-profile $(VENV)/.ready
	$(NTPROFILE) run $(PROFILE) $(ARGS)

schema: $(VENV)/.ready
	$(NTPROFILE) schema

# Both release lines: the 1.x suite in .venv, then the 2.0 backend's tests (tests/v2) in .venv-2,
# each on two processes (the container tests share one: they share the images they build).
PYTEST_PARALLEL ?= -n 2 --dist loadgroup

test: $(VENV)/.ready-test $(VENV2)/.ready-test
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(ARGS)
	$(BIN2)/python -m pytest $(PYTEST_PARALLEL) tests/v2 $(ARGS)

bench: $(VENV)/.ready-test
	$(BIN)/python bench/run.py $(ARGS)

# The generated reference pages (codes, commands, venues, exit codes), the console examples'
# outputs from real runs, then the site, strict, into build/site.
docs: $(VENV)/.ready-test
	$(BIN)/python tools/gen_docs.py
	NTPROFILE_DOCS_UPDATE=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_docs_examples.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --site-dir build/site

clean:
	rm -rf build .pytest_cache
