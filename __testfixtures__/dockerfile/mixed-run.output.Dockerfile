FROM ubuntu:22.04
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN apt-get update && apt-get install -y wget git ffmpeg && \
    rm -rf /var/lib/apt/lists/*
ENV VIRTUAL_ENV=/code/.venv PATH="/code/.venv/bin:${PATH}"
WORKDIR /code
COPY requirements.txt ./
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project
COPY . .
RUN mkdir -p /data && /code/.venv/bin/python scripts/prepare.py
CMD ["/code/.venv/bin/gunicorn", "app:server"]
