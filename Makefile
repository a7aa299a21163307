# Every target sets up .venv by itself, so each works as the first command on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench serve site validate clean pyodide

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,tui,site]'
	touch $@

run: $(STAMP)          ## the terminal browser
	$(BIN)/smtpkb

test: $(STAMP) pyodide ## the whole suite: lint and types, records, library, CLI, wheel, terminal browser, site
	$(BIN)/ruff check kb tui site tests bench build_support
	$(BIN)/mypy
	$(BIN)/smtpkb validate
	$(BIN)/python -m pytest -q

bench: $(STAMP)        ## ratios against baselines measured in the same run
	$(BIN)/python bench/run.py

serve: $(STAMP) pyodide ## the documentation site on 127.0.0.1:8000, reloading on record changes
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a 127.0.0.1:8000

site: $(STAMP) pyodide ## build the site into build/site
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Pyodide from the npm registry (checked against its SHA-256) and the kb wheel, served by the site itself
# (build/vendor, linked into the output by site/hooks.py); nothing of it is committed
PYODIDE_VERSION := 0.27.7
PYODIDE_SHA256  := 89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343
VENDOR          := build/vendor
PYODIDE_FILES   := pyodide.js pyodide.asm.js pyodide.asm.wasm python_stdlib.zip pyodide-lock.json

$(VENDOR)/pyodide-$(PYODIDE_VERSION).tgz:
	mkdir -p $(VENDOR)
	cd $(VENDOR) && npm pack --silent pyodide@$(PYODIDE_VERSION) >/dev/null
	echo "$(PYODIDE_SHA256)  $@" | sha256sum -c --quiet -

pyodide: $(STAMP) $(VENDOR)/pyodide-$(PYODIDE_VERSION).tgz  ## Pyodide and the kb wheel for the site's explainer
	rm -rf $(VENDOR)/pyodide $(VENDOR)/kb && mkdir -p $(VENDOR)/pyodide $(VENDOR)/kb
	tar -xzf $(VENDOR)/pyodide-$(PYODIDE_VERSION).tgz -C $(VENDOR)/pyodide --strip-components=1 $(addprefix package/,$(PYODIDE_FILES))
	$(BIN)/python -m build --wheel -o $(VENDOR)/kb . >/dev/null

validate: $(STAMP)
	$(BIN)/smtpkb validate

clean:
	rm -rf build dist $(VENV)
