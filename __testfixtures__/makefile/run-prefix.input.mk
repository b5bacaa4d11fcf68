# Data pipeline
CONDA_ENV := ds
CONDA_RUN := conda run -n $(CONDA_ENV) --no-capture-output
PYTHON := $(CONDA_RUN) python

.PHONY: test train

test:
	$(CONDA_RUN) pytest -q tests   # unit tests

train: data/raw.csv
	@$(PYTHON) train.py --data $<
