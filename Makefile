# Every target sets up .venv by itself, so each works as the first command on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench serve validate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,tui,site]'
	touch $@

run: $(STAMP)
	$(BIN)/smtpkb

test: $(STAMP)
	$(BIN)/smtpkb validate
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

validate: $(STAMP)
	$(BIN)/smtpkb validate

clean:
	rm -rf build dist $(VENV)
