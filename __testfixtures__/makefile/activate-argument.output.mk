PYTHON = uv run python

serve:
	@$(PYTHON) -m http.server $${PORT:-8000}

check:
	-$(PYTHON) -c 'import geist'

build:
	conda build recipe/
