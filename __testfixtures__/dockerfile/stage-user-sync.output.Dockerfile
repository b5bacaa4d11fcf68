FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
RUN groupadd --system svc && useradd --system --gid svc --create-home svc
WORKDIR /srv/tidepool
RUN chown svc:svc /srv/tidepool
USER svc
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
COPY pyproject.toml uv.lock ./
USER root
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project && chown -R svc /srv/tidepool/.venv
USER svc
ENV VIRTUAL_ENV=/srv/tidepool/.venv PATH="/srv/tidepool/.venv/bin:$PATH"
COPY . .
RUN uv sync --locked --no-cache
CMD ["tidepool", "serve"]
