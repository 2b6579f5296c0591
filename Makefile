# Two commands do all set-up: `make demo` (the main job) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint fmt clean fuzz

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/clustergraph validate graph
	$(BIN)/clustergraph build graph -o out/graph.ttl
	$(BIN)/clustergraph map graph -o out/map.html --highlight gaps
	$(BIN)/clustergraph report graph -o out/report.html
	$(BIN)/clustergraph site graph -o out/site

test: $(STAMP)
	$(BIN)/python -m pytest

# Benchmarks never run in `make test`; pick sizes with e.g. `make bench SIZES=S,M`.
# Then every named query, timed alone on Oxigraph and rdflib (QUERY_SIZES entities), and push,
# read-back and every named query on real Oxigraph and Virtuoso servers (SERVER_SIZES).
SIZES ?= S,M,50K,L
SERVER_SIZES ?= S,M
QUERY_SIZES ?= 5700,20000
RDFLIB_TIMEOUT ?= 30
# Then `import` of a generated Kumu workbook of IMPORT_ROWS rows, as a ratio to reading its cells.
IMPORT_ROWS ?= 50000
# Then the map opened in headless Chromium (MAP_SIZES: the full map below 10,000 nodes, the
# overview above) and the site's pages on both cores against the build (SITE_SIZES).
MAP_SIZES ?= 5000,50000,200000
SITE_SIZES ?= 20000,200000
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --sizes $(SIZES)
	$(BIN)/python benchmarks/bench_map.py --entities $(MAP_SIZES)
	$(BIN)/python benchmarks/bench_site.py --entities $(SITE_SIZES)
	$(BIN)/python benchmarks/bench_queries.py --entities $(QUERY_SIZES) --rdflib-timeout $(RDFLIB_TIMEOUT)
	$(BIN)/python benchmarks/bench_import.py --rows $(IMPORT_ROWS)
	$(BIN)/python benchmarks/bench_servers.py --sizes $(SERVER_SIZES)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

fmt: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# Fuzz for FUZZ_SECONDS each (atheris): the loader (seeds: the bad-input corpus and graph/),
# the SPARQL read-only check against both engines' parsers (seeds: queries/ and the known
# bypasses), and the endpoint-answer parser.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,fuzz]'
	mkdir -p fuzz/corpus fuzz/corpus-sparql fuzz/corpus-endpoint
	$(BIN)/python fuzz/fuzz_load.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 fuzz/corpus tests/bad_inputs graph
	$(BIN)/python fuzz/fuzz_sparql.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -dict=fuzz/sparql.dict \
		fuzz/corpus-sparql fuzz/seeds-sparql queries
	$(BIN)/python fuzz/fuzz_endpoint.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
		fuzz/corpus-endpoint fuzz/seeds-endpoint

clean:
	rm -rf out .clustergraph-cache
