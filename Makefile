# Two commands a newcomer needs: `make serve` (build and serve the site) and `make test`.
# Both bootstrap .venv with pinned dependencies on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | cksum | cut -d' ' -f1)
SOURCES ?=
DATA := data/errors.json

.DEFAULT_GOAL := help
.PHONY: help install data docs site serve test check eval coverage bench rebuild clean

help:
	@echo "make serve    build the site and serve it on http://127.0.0.1:8000"
	@echo "make site     build the static site into site/"
	@echo "make docs     render data/errors.json into the Markdown pages under docs/"
	@echo "make test     run every test"
	@echo "make data     re-scrape the vendored snapshot into $(DATA)"
	@echo "make rebuild  fetch upstream; replace data, changelog, snapshot and site all or nothing"
	@echo "              (UPSTREAM_EN=URL UPSTREAM_ZH=URL UPSTREAM_FILTERS=URL UPSTREAM_REST_API=URL ..., REBUILD_FLAGS=--allow-removal / --allow-english-only)"
	@echo "make coverage guidance still missing for codes, filters or messages"
	@echo "make eval     top-1 accuracy on pasted errors: command line and the site's search box"
	@echo "make check    longer checks: 3000 fuzzed inputs, the 100x synthetic site, every kill checkpoint, every page on a phone"
	@echo "make bench    benchmarks (medians, not tests)"
	@echo "make install  create .venv with pinned dependencies"

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-* && touch $@

AXE := tests/a11y/node_modules/axe-core/axe.min.js

# axe-core, from the npm registry, for the accessibility test
$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility test: apt-get install -y npm"; exit 1; }
	npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(AXE)

data: $(STAMP)
	$(PY) -m scraper scrape $(SOURCES) -o $(DATA)

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

docs: $(STAMP)
	$(PY) -m scraper render

# The builder of site/: mkdocs (Material for MkDocs, the default) or zensical.
BUILDER ?= mkdocs

site: $(STAMP)
	$(PY) -m scraper build --builder $(BUILDER)

# The built site/ as a host serves it: both trees (`mkdocs serve` would show only the English one,
# the Chinese tree being its own build) and the 404 page.  site/ is generated: rerun to see changes.
serve: site
	$(PY) -m scraper serve --port 8000

# One worker per core (TEST_WORKERS=0 runs in this process, for pdb).
TEST_WORKERS ?= auto
test: $(STAMP) $(AXE)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

# Where the site is hosted (https://owner.github.io/repo/): the one place for the sitemap, canonical
# links, the feed's and the 404 page's absolute URLs.  Unset, every link stays relative.
SITE_URL ?=
export SITE_URL

# Upstream's URLs live in scraper/catalog/model.py; these override them only when set.
UPSTREAM_EN ?=
UPSTREAM_ZH ?=
UPSTREAM_FILTERS ?=
UPSTREAM_REST_API ?=
UPSTREAM_WS_API ?=
UPSTREAM_WS_STREAMS ?=
UPSTREAM_USER_DATA_STREAM ?=
UPSTREAM_FIX_API ?=
UPSTREAM_TRANSLATION ?=
REBUILD_FLAGS ?=
REBUILD_URLS = $(if $(UPSTREAM_EN),--en "$(UPSTREAM_EN)") $(if $(UPSTREAM_ZH),--zh "$(UPSTREAM_ZH)") $(if $(UPSTREAM_FILTERS),--filters "$(UPSTREAM_FILTERS)") \
	$(if $(UPSTREAM_REST_API),--rest-api "$(UPSTREAM_REST_API)") $(if $(UPSTREAM_WS_API),--ws-api "$(UPSTREAM_WS_API)") \
	$(if $(UPSTREAM_WS_STREAMS),--ws-streams "$(UPSTREAM_WS_STREAMS)") $(if $(UPSTREAM_USER_DATA_STREAM),--user-data-stream "$(UPSTREAM_USER_DATA_STREAM)") \
	$(if $(UPSTREAM_FIX_API),--fix-api "$(UPSTREAM_FIX_API)") $(if $(UPSTREAM_TRANSLATION),--translation "$(UPSTREAM_TRANSLATION)")

# The only target that touches the network.
rebuild: $(STAMP)
	$(PY) -m scraper rebuild $(REBUILD_URLS) $(REBUILD_FLAGS)

# Which codes, filter failures and rejection messages still lack curated guidance.
coverage: $(STAMP)
	$(PY) -m scraper coverage

# Top-1 accuracy on the pasted-errors eval sets (dev, and the held-out half apart), per class:
# command line, and the site's search box in Chromium.
eval: $(STAMP)
	PYTHONPATH=tests $(PY) -m support.evaluate --site

# Longer than `make test`: thousands of fuzzed inputs, and the 10x and 100x synthetic pages built.
check: $(STAMP)
	FUZZ_EXAMPLES=3000 EXHAUSTIVE=1 $(PY) -m pytest -s tests/test_fuzz.py tests/test_scale.py
	EXHAUSTIVE=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal tests/test_transaction.py tests/test_site_browser.py

bench: $(STAMP)
	PYTHONPATH=tests $(PY) -m support.bench

clean:
	rm -rf site .pytest_cache
