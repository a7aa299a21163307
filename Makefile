# Every target sets up .venv by itself, so each works as the first command on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench serve site validate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,tui,site]'
	touch $@

run: $(STAMP)          ## the terminal browser
	$(BIN)/smtpkb

test: $(STAMP)         ## the whole suite: records, library, CLI, wheel, terminal browser, site
	$(BIN)/smtpkb validate
	$(BIN)/python -m pytest -q

bench: $(STAMP)        ## ratios against baselines measured in the same run
	$(BIN)/python bench/run.py

serve: $(STAMP)        ## the documentation site on 127.0.0.1:8000, reloading on record changes
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a 127.0.0.1:8000

site: $(STAMP)         ## build the site into build/site
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/smtpkb validate

clean:
	rm -rf build dist $(VENV)
