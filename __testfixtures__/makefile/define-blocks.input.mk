# Helpers for the research cluster
SHELL := /bin/bash
CONDA_BASE := $(shell conda info --base)
ENV := research
PYTHON := $(CONDA_BASE)/envs/$(ENV)/bin/python

# Activate the conda env in the current recipe line
define ACTIVATE
source $(CONDA_BASE)/etc/profile.d/conda.sh; conda activate $(ENV)
endef

define SETUP_ENV
conda env create -f environment.yml
conda run -n $(ENV) python -m ipykernel install --user --name $(ENV)
endef

.PHONY: env notebook report test

env:
	$(SETUP_ENV)

notebook:
	$(ACTIVATE); jupyter lab --no-browser

report: results/metrics.json
	mkdir -p reports
	$(PYTHON) scripts/report.py $< > reports/summary.md

test:
	$(ACTIVATE) && \
	  pytest -q tests
