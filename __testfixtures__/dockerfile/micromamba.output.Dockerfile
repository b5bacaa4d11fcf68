FROM python:3.11-slim-bookworm
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN groupadd --gid 57439 mambauser && useradd --uid 57439 --gid 57439 --create-home mambauser && install -d -o mambauser -g mambauser /opt/venv
USER mambauser
WORKDIR /srv
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/home/mambauser/.cache/uv,uid=57439,gid=57439 uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=mambauser:mambauser . /srv
RUN python -m compileall -q .
USER mambauser
CMD ["python", "serve.py"]
