# ecomgen: make demo | make test | make bench PRESET=L | make lint | make clean
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PRESET ?= S

.PHONY: demo test bench lint clean dictionary

# Re-install only when pyproject.toml changed since the last install.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(PY) main.py --num-customers 1000 --num-products 500 --no-gpu --outdir ./ecommerce_data --overwrite

test: $(VENV)/.installed-test
	$(PY) -m pytest -q
	$(PY) -m ruff check .

$(VENV)/.installed-bench: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@

bench: $(VENV)/.installed-bench
	$(PY) benchmarks/run.py --preset $(PRESET)

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .

dictionary: $(VENV)/.installed
	$(PY) -m ecomgen.dictionary docs/data_dictionary.md

clean:
	rm -rf ecommerce_data .pytest_cache .ruff_cache .hypothesis build dist src/*.egg-info
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
