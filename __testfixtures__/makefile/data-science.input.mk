# Churn model: environment, data and training
PROJECT_NAME = churn
ENV_NAME = churn
ENV_FILE = environment.yml
CONDA_RUN = conda run --no-capture-output -n $(ENV_NAME)

.PHONY: help env update-env export-env remove-env test lint train clean

help:
	@echo "make env         - create the conda environment from $(ENV_FILE)"
	@echo "make update-env  - conda env update -n $(ENV_NAME) -f $(ENV_FILE) --prune"
	@echo "make test        - run the tests"

env:
	conda env create -f $(ENV_FILE)
	$(CONDA_RUN) pip install -e .

update-env:
	conda env update -n $(ENV_NAME) -f $(ENV_FILE) --prune

export-env:
	conda env export -n $(ENV_NAME) --no-builds > $(ENV_FILE)

remove-env:
	conda env remove -n $(ENV_NAME) -y

test:
	$(CONDA_RUN) pytest -q tests

lint:
	$(CONDA_RUN) ruff check src tests
	$(CONDA_RUN) mypy src/$(PROJECT_NAME)

train: data/processed/train.csv
	$(CONDA_RUN) python -m $(PROJECT_NAME).train --data $< --out models/

clean:
	rm -rf models/ .pytest_cache
