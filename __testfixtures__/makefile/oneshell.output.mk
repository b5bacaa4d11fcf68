.ONESHELL:
PYTHON = python3

docs:
	cd docs
	uv run sphinx-build -b html . _build

version:
	$(PYTHON) --version
