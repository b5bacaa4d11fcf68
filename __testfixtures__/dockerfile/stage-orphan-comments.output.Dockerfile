# Build stage
FROM python:3.12-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
WORKDIR /srv

ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/srv/.venv PATH=/srv/.venv/bin:$PATH

# Sources
COPY . /srv
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked

# Runtime stage
FROM build AS runtime

# Runtime settings
ENV TIDEPOOL_PORT=8080
CMD ["tidepool", "serve"]
