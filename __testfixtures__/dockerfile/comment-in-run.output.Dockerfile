FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN apt-get update \
    # compilers for the C extensions
    && apt-get install -y --no-install-recommends build-essential libpq5 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/svc
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock .python-version ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/svc/.venv PATH=/opt/svc/.venv/bin:$PATH
COPY src/ ./src/
CMD ["gunicorn", "--chdir", "src", "svc.wsgi"]
