FROM debian:bookworm-slim AS builder
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN apt-get update && apt-get install -y --no-install-recommends curl bzip2 ca-certificates
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_INSTALL_DIR=/opt/python UV_PYTHON_PREFERENCE=only-managed
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"

FROM python:3.11-slim-bookworm
COPY --from=builder /opt/python /opt/python
COPY --from=builder /opt/venv /opt/venv
ENV UV_PYTHON_DOWNLOADS=0
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH \
    APP_MODE=prod
COPY app.py /srv/app.py
CMD ["python", "/srv/app.py"]
