# The front door. `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= build/demo
SEED ?= 2018

.PHONY: help venv demo test lab app sample lint bench clean

help:
	@echo "make demo    create the environment, run the pipeline on the sample district, write the report"
	@echo "make test    the whole test suite, notebooks included"
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
