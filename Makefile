# One entry point for people and CI. `make demo` and `make test` both set up
# the virtual environment first, so each works on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= $(or $(SANCTIONS_SHARED),$(abspath ../shared))
STORE  ?= indexes/demo

.PHONY: setup demo test test-fast test-slow lint clean bench eval

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -e ".[test,scale]"
	touch $(STAMP)

# The main job: build a store from the project's own sample corpus and run the
# pipeline over it. Needs nothing from ../shared.
demo: setup
	$(PY) -m nlp demo --store $(STORE)

# Fast suite (CI runs this and the slow one).
test: setup
	SANCTIONS_SHARED=$(SHARED) $(PY) -m pytest -m "not slow" -q

# Style and types: ruff over the code, tests and scripts; mypy over nlp/
# (strict on the records, the store and the ground-floor modules; see pyproject.toml).
lint: setup
	$(PY) -m ruff check nlp tests scripts
	$(PY) -m mypy

test-slow: setup
	SANCTIONS_SHARED=$(SHARED) $(PY) -m pytest -m slow -q; rc=$$?; [ $$rc -eq 5 ] && echo "no slow tests selected" || exit $$rc

clean:
	rm -rf $(VENV) indexes/demo .pytest_cache
