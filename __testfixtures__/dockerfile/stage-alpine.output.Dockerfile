FROM python:3.11-alpine AS fetch
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN apk add --no-cache bzip2
RUN addgroup -g 57439 mambauser && adduser -D -u 57439 -G mambauser mambauser && install -d -o mambauser -g mambauser /opt/venv
USER mambauser
WORKDIR /data
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/home/mambauser/.cache/uv,uid=57439,gid=57439 uv sync --locked --no-install-project
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN bunzip2 -k samples.csv.bz2 || true

FROM fetch AS app
COPY --chown=mambauser:mambauser . /data
CMD ["python", "-m", "app"]
