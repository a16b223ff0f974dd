# Two commands matter: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYWB   := .venv-pywb
BENCH  := .venv-bench
RWP    := .venv-replayweb
# ReplayWeb.page (its ui.js and service worker), for the test that opens a WACZ in it as a
# reader does: the npm registry's tarball, checked against its digest; no npm needed.
RWP_VERSION := 2.4.6
RWP_SHA256  := 6faef5c261e94b6e83cd6ee975bd0378fd4bc948bb14d36d45c709ffecb261b8
# pywb pins old redis/werkzeug and pulls gevent: it gets its own environment so it
# can never pin the crawler's dependencies.
PYWB_SPEC := pywb==2.10.0
# scrapy-webarchive pins Scrapy<2.12 and warcio==1.7.4; the benchmark compares it
# on the same Scrapy as everything else, so it is installed without its pins.
WEBARCHIVE_SPEC := scrapy-webarchive==0.5.3 warc-knot==0.2.5 wacz==0.5.0

.PHONY: install demo-install converters browser redis redis-serve worker demo demo-browser \
	replay explore status search test lint crawl bench clean

# Everything: what `make test` needs (OCR, Parquet, lint, scrapyd, Redis, LibreOffice, pywb,
# ReplayWeb.page, Chromium).
install: $(VENV)/.installed $(PYWB)/.installed $(RWP)/.installed converters browser redis

# What `make demo` needs: the crawler and the dataset, pywb for the replay, Chromium for the
# one demo page a reader's browser lists; no OCR, Parquet, lint, scrapyd, Redis or LibreOffice.
demo-install: $(VENV)/.installed-demo $(PYWB)/.installed browser

# DOC/WPS reports are read through LibreOffice's DOCX conversion. Installed from
# Debian's packages where this runs as root with apt; elsewhere those reports carry
# a warning instead of their tables (and the DOC test says why it is skipped).
converters:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing LibreOffice Writer (Debian libreoffice-writer-nogui) for DOC/WPS"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends libreoffice-writer-nogui >/dev/null) \
	      || echo "warning: LibreOffice could not be installed; DOC/WPS will not be read"; \
	  else echo "note: no LibreOffice (soffice); DOC/WPS reports will not be read"; fi; }

# Headless Chromium for the tests that open the listing and audit pages as a reader does
# (tests/browser.py): Debian's chromium and its driver, so nothing is downloaded at run time,
# and a CJK font so that screenshots (and matplotlib's charts) show Chinese, not boxes.
browser:
	@{ command -v chromium && command -v chromedriver && fc-list :lang=zh | grep -q .; } \
	  >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium (Debian chromium, chromium-driver, a CJK font) for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends chromium chromium-driver fonts-wqy-zenhei >/dev/null) \
	      || echo "warning: Chromium could not be installed; the browser tests will fail"; \
	  else echo "note: no chromium/chromedriver; the browser tests will fail"; fi; }

# Redis for distributed crawls (crawler/distributed/) and their tests: Debian's redis-server.
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Redis (Debian redis-server) for distributed crawls"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends redis-server >/dev/null) \
	      || echo "warning: redis-server could not be installed; the distributed tests will fail"; \
	  else echo "note: no redis-server; the distributed tests will fail"; fi; }

$(VENV)/.installed-demo: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=77,<81'  # scrapyd-deploy builds with it; scrapyd needs <81
	$(PY) -m pip install --quiet -e '.[dataset]'
	touch $@

$(VENV)/.installed: $(VENV)/.installed-demo pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,lint,schedule,dataset,distributed,ocr,parquet]'
	touch $@

$(RWP)/.installed:
	mkdir -p $(RWP)
	$(PYTHON) -c "import hashlib, io, sys, tarfile, urllib.request; \
	data = urllib.request.urlopen('https://registry.npmjs.org/replaywebpage/-/replaywebpage-$(RWP_VERSION).tgz', timeout=120).read(); \
	sys.exit('replaywebpage: digest mismatch') if hashlib.sha256(data).hexdigest() != '$(RWP_SHA256)' else None; \
	tarfile.open(fileobj=io.BytesIO(data)).extractall('$(RWP)', filter='data')"
	touch $@

$(PYWB)/.installed:
	$(PYTHON) -m venv $(PYWB)
	$(PYWB)/bin/python -m pip install --quiet '$(PYWB_SPEC)'
	touch $@

# The demo web crawled twice (a week apart, one report corrected), its dataset and audit.
demo: demo-install
	$(PY) -m tests.demoweb demo --out var/demo

# The same, then the webs only a browser reads or only a reader who acts (minutes more).
demo-browser: install
	$(PY) -m tests.demoweb demo --out var/demo --browser

test: install
	$(PY) -m pytest

# A scheduled crawl (cron): the registry's agencies (narrow it with CRAWL_ARGS), a log of
# its own under var/logs, one job directory so that a crawl killed on its way resumes
# at the next run; the exit code is the crawl's (crawler/outcome.py).
CRAWL_ARGS ?=
crawl: install
	mkdir -p var/logs
	$(VENV)/bin/scrapy crawl disclosure $(CRAWL_ARGS) -s JOBDIR=var/job \
		-s LOG_FILE=var/logs/crawl-$$(date -u +%Y%m%dT%H%M%SZ).log

# The collection in pywb on 127.0.0.1 with its listing page (gov-archive replay --help):
# var/warc, or the demo's until a crawl of your own made one.
WARC_DIR ?= $(if $(wildcard var/warc),var/warc,var/demo/warc)
REPLAY_PORT ?= 8090
replay: demo-install
	$(VENV)/bin/gov-archive replay $(WARC_DIR) --port $(REPLAY_PORT)

# The dataset in Datasette on 127.0.0.1: canned queries, full-text search, the audit at
# /audit/. Without DATASET: var/dataset/reports.sqlite (built first when missing), else the
# demo's.
DATASET ?=
EXPLORE_PORT ?= 8001
explore: demo-install
	$(VENV)/bin/gov-archive explore $(if $(DATASET),--db $(DATASET)) --port $(EXPLORE_PORT)

# How far the running (or last) crawl is: its status.json (gov-archive status --help)
STATUS ?=
status: $(VENV)/.installed-demo
	$(VENV)/bin/gov-archive status $(STATUS)

# Reports whose text has every word: make search WORDS="行政复议 不予公开"
WORDS ?=
search: $(VENV)/.installed-demo
	$(VENV)/bin/gov-archive search $(WORDS) $(if $(DATASET),--db $(DATASET))

# One worker of a distributed crawl: start it on every machine with the same REDIS_URL (and,
# if they start on different days, the same FRONTIER); `make redis-serve` gives a local Redis.
REDIS_URL ?= redis://127.0.0.1:6379/0
worker: install
	mkdir -p var/logs
	$(VENV)/bin/scrapy crawl disclosure $(CRAWL_ARGS) -s REDIS_URL=$(REDIS_URL) \
		-O var/items/worker-$$(hostname)-$$$$.jsonl \
		-s LOG_FILE=var/logs/worker-$$(hostname)-$$(date -u +%Y%m%dT%H%M%SZ).log

redis-serve: redis
	redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no

# ruff with the rules chosen in pyproject.toml, and mypy on archive/ and crawler/.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

$(BENCH)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet -e .
	$(BENCH)/bin/python -m pip install --quiet --no-deps $(WEBARCHIVE_SPEC)
	touch $@

bench: $(BENCH)/.installed
	$(BENCH)/bin/python bench/warc_capture.py

clean:
	rm -rf var
