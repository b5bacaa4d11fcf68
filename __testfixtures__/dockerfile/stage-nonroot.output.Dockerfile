FROM python:3.11-slim AS base
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ENV VIRTUAL_ENV=/opt/app/.venv PATH=/opt/app/.venv/bin:${PATH}
ARG user_no=1000
RUN mkdir -p /var/lib/app && chown ${user_no}:${user_no} /var/lib/app
USER ${user_no}:${user_no}
WORKDIR /opt/app
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
USER root
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project && chown -R ${user_no}:${user_no} /opt/app/.venv
USER ${user_no}:${user_no}

FROM base AS dev
COPY . /opt/app
RUN --mount=type=cache,target=/tmp/uv-cache,uid=1000,gid=1000 uv sync --locked --cache-dir /tmp/uv-cache
WORKDIR /var/lib/app
