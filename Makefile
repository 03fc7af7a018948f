# The front door. `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= build/demo
SEED ?= 2018
# The lowest declared versions (.ci/lowest.txt, written by .ci/lowest.py), for test-lowest.
LOWEST ?= .venv-lowest
LOWEST_STAMP := $(LOWEST)/.installed-stamp

.PHONY: help venv demo test test-lowest lab app sample lint bench clean

help:
	@echo "make demo    create the environment, run the pipeline on the sample district, write the report"
	@echo "make test    the whole test suite, notebooks included"
	@echo "make test-lowest  the core tests on the lowest versions pyproject.toml declares"
	@echo "make lab     open JupyterLab on the notebooks"
	@echo "make app     open the planner's workbench (mentormatch app) in the browser"
	@echo "make sample  regenerate data/sample/ from the synthesizer (seed $(SEED))"
	@echo "make bench   run the benchmarks (slow; not part of the tests)"

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,notebooks]'
	$(PY) -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mentormatch validate data/sample
	$(BIN)/mentormatch report data/sample --out $(DEMO_DIR) --seed $(SEED)

test: $(STAMP)
	$(PY) -m pytest

# The core tests on the lowest versions: only the runtime dependencies and pytest and
# hypothesis, pinned to their lower bounds. No notebook extras, so nbval's --nbval-lax
# leaves addopts, the package's widget modules (which import ipywidgets) give no
# doctests, and the tests marked `notebooks` skip: hence not MENTORMATCH_REQUIRE_BROWSER,
# which would make them fail. tests/data is not collected: importing the corpus script
# there would rewrite the committed corpus with this openpyxl.
$(LOWEST_STAMP): pyproject.toml setup.py .ci/lowest.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(LOWEST)/bin/python -m pip install --quiet -c .ci/lowest.txt -e . pytest hypothesis
	touch $(LOWEST_STAMP)

test-lowest: $(LOWEST_STAMP)
	$(LOWEST)/bin/python -m pip list --format=freeze --exclude-editable | paste -sd' '
	env -u MENTORMATCH_REQUIRE_BROWSER $(LOWEST)/bin/python -m pytest -x -q -p no:cacheprovider --durations=10 \
		-o addopts="-ra --doctest-modules" -m "not slow" \
		--ignore=tests/data --ignore=mentormatch/app/view tests mentormatch

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

app: $(STAMP)
	$(BIN)/mentormatch app

sample: $(STAMP)
	$(BIN)/mentormatch synth --out data/sample --seed $(SEED)

lint: $(STAMP)
	$(BIN)/ruff check mentormatch tests benchmarks

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf build .pytest_cache .hypothesis
