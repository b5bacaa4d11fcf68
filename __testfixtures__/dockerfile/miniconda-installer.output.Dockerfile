# Backend image: Miniconda installed per architecture
FROM python:3.11
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/

ARG APP_PORT=8000

ENV DEBIAN_FRONTEND=noninteractive

RUN apt-get update && apt-get install -y --no-install-recommends \
    curl \
    postgresql-client \
    ffmpeg \
    && rm -rf /var/lib/apt/lists/*

ENV VIRTUAL_ENV=/opt/app/.venv PATH=/opt/app/.venv/bin:$PATH

WORKDIR /opt/app

ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project

COPY . .

EXPOSE $APP_PORT

CMD ["python", "main.py"]
