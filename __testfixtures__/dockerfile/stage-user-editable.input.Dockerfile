FROM continuumio/miniconda3:24.7.1-0 AS base
RUN useradd --create-home app
WORKDIR /home/app/tidepool
RUN chown app /home/app/tidepool
COPY environment.yml .
RUN conda env update -n base -f environment.yml && conda clean -afy
USER app

# The editable install ran as app: its egg-info in the source directory is app's.
FROM base AS dev
COPY --chown=app . .
RUN pip install --no-deps -e .
CMD ["tidepool", "serve"]

# Installed as root here: the venv is root's, so the sync stays root's too.
FROM base AS release
USER root
COPY . .
RUN pip install --no-deps -e .
USER app
