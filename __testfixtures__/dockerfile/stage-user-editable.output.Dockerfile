FROM python:3.12-slim AS base
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN useradd --create-home app
WORKDIR /home/app/tidepool
RUN chown app /home/app/tidepool
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/home/app/tidepool/.venv PATH="/home/app/tidepool/.venv/bin:$PATH"
USER app

# The editable install ran as app: its egg-info in the source directory is app's.
FROM base AS dev
COPY --chown=app . .
USER root
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked && chown -R app /home/app/tidepool
USER app
CMD ["tidepool", "serve"]

# Installed as root here: the venv is root's, so the sync stays root's too.
FROM base AS release
USER root
COPY . .
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked
USER app
