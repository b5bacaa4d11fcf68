.ONESHELL:
CONDA_ENV = geist
PYTHON = python3

docs:
	eval "$$(conda shell.bash hook)"
	conda activate $(CONDA_ENV)
	cd docs
	sphinx-build -b html . _build

version:
	$(PYTHON) --version
