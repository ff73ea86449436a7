# The two commands of the quick start. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_STAMP := $(VENV)/.installed-demo
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test docs bench bench-distributed programs clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The demo needs the optional extras only (datasets, checkpoints, progress bar, plots).
$(DEMO_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[demo]"
	touch $(DEMO_STAMP)

# The tests also need the test tools and PyTorch as an oracle.
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(DEV_STAMP) $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(PY) examples/digits_cnn.py

test: $(DEV_STAMP)
	$(PY) -m pytest -n 2 -q

# The documentation site into site/ (open site/index.html, or .venv/bin/mkdocs serve):
# every code block on it runs, and any warning (a broken link or reference) fails it.
# make test builds it too (tests/test_docs_site.py, with a headless Chromium).
docs: $(DEV_STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

# Every benchmark of issue 6 against PyTorch, one table; bench/results.json, bench/scaling.png.
bench: $(DEV_STAMP)
	$(PY) bench/run.py

# Data-parallel speed (issue 14): 2 MPI ranks against 1, against PyTorch DDP (gloo), and
# the allreduce projection; bench/distributed_results.json, table in bench/README.md.
bench-distributed: $(DEV_STAMP)
	$(PY) bench/distributed.py --readme

# Every ported example program (examples/ported/) on ndgrad and, for the PyTorch
# originals, on PyTorch: one table of final metrics and time ratios.
programs: $(DEV_STAMP)
	$(PY) examples/ported/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis runs site
