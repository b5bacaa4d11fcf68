FROM python:3.11-slim AS base
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
ENV DEBIAN_FRONTEND=noninteractive
ARG USERNAME=dev
# Copy the env file when present; noop.txt keeps COPY from failing without it.
RUN apt-get update \
    && apt-get -y install --no-install-recommends less procps \
    && useradd -m $USERNAME \
    && rm -rf /var/lib/apt/lists/*
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"

FROM base AS dev
USER dev
RUN git config --global init.defaultBranch main
