# Two commands: `make run` (set up, index documents/, answer) and `make test` (lint, types, tests).
# Both reuse what is already installed and built: the venv is rebuilt only when pyproject.toml changes,
# the index only when a file under documents/ changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INDEX := var/index
DOCS := documents
QUESTION ?= what did Ofsted find about 16-17 homeless?
DOC_FILES := $(shell find $(DOCS) -type f 2>/dev/null)

.PHONY: run test setup index bench clean

setup: $(STAMP)

# torch first and pinned: the CPU wheel lies on these machines; unpinned would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

index: $(INDEX)/current

$(INDEX)/current: $(STAMP) $(DOC_FILES)
	-$(PY) -m index build $(DOCS) --index $(INDEX)

run: $(STAMP) $(INDEX)/current
	echo "$(QUESTION)" | $(PY) -m index search --index $(INDEX) -k 3

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench_core.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
