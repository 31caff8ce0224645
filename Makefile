# Two commands: `make run` (set up, index documents/, run the bot) and `make test` (lint, types, tests).
# Both reuse what is already installed and built: the venv is rebuilt only when pyproject.toml changes,
# the index only when a file under documents/ is newer than it (the bot checks at start).
# `make run` runs the Telegram bot when BOT_TOKEN is set (environment or .env); without a token it asks the
# console chat QUESTION. `make chat` is the interactive console chat.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INDEX := var/index
DOCS := documents
QUESTION ?= what did Ofsted find about 16-17 homeless?
DOC_FILES := $(shell find $(DOCS) -type f 2>/dev/null)

# `make england` fetches every English council's Ofsted reports (the ILACS dataset's links) into
# $(ENGLAND_DOCS), beside a copy of documents/, and builds or updates $(ENGLAND_INDEX); run again, it fetches
# only what is new. DATASET= a newer dataset (a path or the upstream raw CSV's URL); empty: the shipped copy.
ENGLAND := var/england
ENGLAND_DOCS := $(ENGLAND)/documents
ENGLAND_INDEX := $(ENGLAND)/index
DATASET ?=

.PHONY: run chat test setup index bench clean england

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

run: $(STAMP)
	echo "$(QUESTION)" | BOT_DOCS_DIR=$(DOCS) BOT_INDEX_DIR=$(INDEX) $(PY) -m bot

chat: $(STAMP)
	BOT_DOCS_DIR=$(DOCS) BOT_INDEX_DIR=$(INDEX) $(PY) -m bot

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

england: $(STAMP)
	mkdir -p $(ENGLAND_DOCS)
	cp -Rn $(DOCS)/. $(ENGLAND_DOCS)/
	-$(PY) -m index fetch $(ENGLAND_DOCS) $(if $(DATASET),--dataset "$(DATASET)")
	if [ -e $(ENGLAND_INDEX)/current ]; then $(PY) -m index update $(ENGLAND_DOCS) --index $(ENGLAND_INDEX); \
	else $(PY) -m index build $(ENGLAND_DOCS) --index $(ENGLAND_INDEX); fi
	@echo "England's index is ready: make chat DOCS=$(ENGLAND_DOCS) INDEX=$(ENGLAND_INDEX)"

bench: $(STAMP)
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_quality.py
	$(PY) benchmarks/bench_bot.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
