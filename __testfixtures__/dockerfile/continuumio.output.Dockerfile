FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/

WORKDIR /app

# Create the environment:
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project --no-dev
ENV VIRTUAL_ENV=/app/.venv PATH="/app/.venv/bin:$PATH"

# Make RUN commands use the new environment:
SHELL ["/bin/bash", "-c"]

# Demonstrate the environment is activated:
RUN echo "Make sure flask is installed:" && python -c "import flask"

# The code to run when container is started:
COPY run.py entrypoint.sh ./
ENTRYPOINT ["python", "run.py"]
