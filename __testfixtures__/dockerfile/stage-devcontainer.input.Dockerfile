FROM continuumio/miniconda3 AS base
ENV DEBIAN_FRONTEND=noninteractive
ARG USERNAME=dev
# Copy the env file when present; noop.txt keeps COPY from failing without it.
COPY environment-dev.yml* .devcontainer/noop.txt /tmp/conda-tmp/
RUN apt-get update \
    && apt-get -y install --no-install-recommends less procps \
    && /opt/conda/bin/pip install pylint \
    && if [ -f "/tmp/conda-tmp/environment-dev.yml" ]; then /opt/conda/bin/mamba env update -n base -f /tmp/conda-tmp/environment-dev.yml; fi \
    && rm -rf /tmp/conda-tmp \
    && useradd -m $USERNAME \
    && rm -rf /var/lib/apt/lists/*

FROM base AS dev
USER dev
RUN git config --global init.defaultBranch main
