# Data pipeline
PYTHON := uv run python

.PHONY: test train

test:
	uv run pytest -q tests   # unit tests

train: data/raw.csv
	@$(PYTHON) train.py --data $<
