# Helpers for the research cluster
SHELL := /bin/bash
ENV := research
PYTHON := uv run python

define SETUP_ENV
uv sync
uv run python -m ipykernel install --user --name $(ENV)
endef

.PHONY: env notebook report test

env:
	$(SETUP_ENV)

notebook:
	uv run jupyter lab --no-browser

report: results/metrics.json
	mkdir -p reports
	$(PYTHON) scripts/report.py $< > reports/summary.md

test:
	uv run pytest -q tests
