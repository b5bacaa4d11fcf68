# The build-stage image:
FROM python:3.11-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/

# Install the package as normal:
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/venv
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project --no-dev
ENV VIRTUAL_ENV=/venv PATH="/venv/bin:$PATH"

# The runtime-stage image; we can use Debian as the
# base image since the Conda env also includes Python
# for us.
FROM python:3.11-slim-buster AS runtime

# Copy /venv from the previous stage:
COPY --from=build /venv /venv
ENV PATH="/venv/bin:$PATH"

# When image is run, run the code with the environment
# activated:
SHELL ["/bin/bash", "-c"]
ENTRYPOINT source /venv/bin/activate && \
           python -c "import numpy; print('success!')"
