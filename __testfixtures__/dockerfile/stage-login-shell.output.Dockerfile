FROM python:3.11-slim AS base
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
SHELL ["/bin/bash", "-c"]

FROM base AS test
COPY . /srv
RUN [[ -f /srv/pytest.ini ]] && /opt/venv/bin/python -m pytest -q /srv
