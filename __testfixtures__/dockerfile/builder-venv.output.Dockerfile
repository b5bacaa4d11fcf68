# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM python:3.11-slim AS builder
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
WORKDIR /build
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY . .
RUN python setup.py build_ext --inplace

FROM python:3.11-slim-bookworm
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /build /app
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1
WORKDIR /app
HEALTHCHECK CMD ["python", "-m", "app.health"]
CMD ["python", "-m", "app"]
