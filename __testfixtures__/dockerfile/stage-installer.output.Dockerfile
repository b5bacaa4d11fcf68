FROM ubuntu:22.04 AS build
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
WORKDIR /work
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_INSTALL_DIR=/opt/python UV_PYTHON_PREFERENCE=only-managed
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project

FROM python:3.11-slim
COPY --from=build /opt/python /opt/python
COPY --from=build /opt/venv /opt/venv
ENV UV_PYTHON_DOWNLOADS=0
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
HEALTHCHECK CMD ["python", "-c", "import app"]
CMD ["python", "-m", "app"]
