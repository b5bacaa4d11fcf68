FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ENV LANG=C.UTF-8
ENV VIRTUAL_ENV=/work/.venv PATH=/work/.venv/bin:$PATH
WORKDIR /work
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
COPY . .
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked
HEALTHCHECK --interval=30s CMD python -m tool.health || exit 1
CMD tool serve --port 8080
