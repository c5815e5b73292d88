# qualgraph developer loop. `make help` lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
QG := $(VENV)/bin/qualgraph
STAMP := $(VENV)/.installed-stamp

.PHONY: help install run test lint bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install qualgraph with its test dependencies

run: $(STAMP)  ## load the seed study, validate it and export it to out/seed.ttl
	$(QG) load seeds/
	$(QG) validate seeds/
	mkdir -p out
	$(QG) export seeds/ -o out/seed.ttl
	@echo "wrote out/seed.ttl"

test: $(STAMP)  ## run the test suite
	$(PY) -m pytest -q

lint: $(STAMP)  ## ruff (bugbear, pyupgrade, simplify, imports) and mypy, as CI runs them
	$(VENV)/bin/ruff check loader tests benchmarks docs
	bash .ci/typecheck

bench: $(STAMP)  ## print load, query, validation and push figures (seed, real study, synthetic studies)
	$(PY) -m benchmarks.bench_load
	$(PY) -m benchmarks.bench_query
	$(PY) -m benchmarks.bench_validate
	$(PY) -m benchmarks.bench_publish
	$(PY) -m benchmarks.bench_push

clean:  ## remove the virtualenv and outputs
	rm -rf $(VENV) out
