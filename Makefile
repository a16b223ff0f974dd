# Two commands matter: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYWB   := .venv-pywb
BENCH  := .venv-bench
# pywb pins old redis/werkzeug and pulls gevent: it gets its own environment so it
# can never pin the crawler's dependencies.
PYWB_SPEC := pywb==2.10.0
# scrapy-webarchive pins Scrapy<2.12 and warcio==1.7.4; the benchmark compares it
# on the same Scrapy as everything else, so it is installed without its pins.
WEBARCHIVE_SPEC := scrapy-webarchive==0.5.3 warc-knot==0.2.5 wacz==0.5.0

.PHONY: install demo test bench clean

install: $(VENV)/.installed $(PYWB)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(PYWB)/.installed:
	$(PYTHON) -m venv $(PYWB)
	$(PYWB)/bin/python -m pip install --quiet '$(PYWB_SPEC)'
	touch $@

demo: install
	$(PY) -m tests.demoweb demo --out var/demo

test: install
	$(PY) -m pytest

$(BENCH)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet -e .
	$(BENCH)/bin/python -m pip install --quiet --no-deps $(WEBARCHIVE_SPEC)
	touch $@

bench: $(BENCH)/.installed
	$(BENCH)/bin/python bench/warc_capture.py

clean:
	rm -rf var
