# syntax=docker/dockerfile:1
FROM python:3.11-slim AS base
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ARG APP_HOME=/opt/app/
WORKDIR ${APP_HOME}
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/app/.venv PATH="/opt/app/.venv/bin:$PATH"
SHELL ["/bin/bash", "-c"]
RUN [[ -d data ]] || mkdir -p data
RUN ["python", "-c", "import app"]

FROM base AS prod
COPY . .
CMD ["bash", "-c", "exec gunicorn app:server"]

FROM base AS dev
COPY . .
ENTRYPOINT ["/bin/bash", "-lc", "exec python -m app --reload"]
