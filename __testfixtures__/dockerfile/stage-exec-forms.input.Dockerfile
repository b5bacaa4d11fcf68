# syntax=docker/dockerfile:1
FROM condaforge/miniforge3:24.9.2-0 AS base
ARG APP_HOME=/opt/app/
WORKDIR ${APP_HOME}
COPY environment.yml /tmp/environment.yml
RUN mamba env create -n app -f /tmp/environment.yml && mamba clean -afy
RUN rm /tmp/environment.yml
SHELL ["conda", "run", "--no-capture-output", "-n", "app", "/bin/bash", "-c"]
RUN [[ -d data ]] || mkdir -p data
RUN ["conda", "run", "-n", "app", "python", "-c", "import app"]

FROM base AS prod
COPY . .
CMD ["bash", "-c", "source activate app && exec gunicorn app:server"]

FROM base AS dev
COPY . .
ENTRYPOINT ["/bin/bash", "-lc", "conda activate app && exec python -m app --reload"]
