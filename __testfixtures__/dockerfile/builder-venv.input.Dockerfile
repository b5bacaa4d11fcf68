# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM condaforge/mambaforge:23.3.1-1 AS builder
WORKDIR /build
COPY environment.yml .
RUN mamba env create -n app -f environment.yml && mamba clean -afy
COPY . .
RUN conda run -n app python setup.py build_ext --inplace

FROM python:3.10-slim-bookworm
COPY --from=builder /opt/conda/envs/app /opt/conda/envs/app
COPY --from=builder /build /app
ENV PATH=/opt/conda/envs/app/bin:$PATH \
    PYTHONUNBUFFERED=1
WORKDIR /app
HEALTHCHECK CMD ["conda", "run", "-n", "app", "python", "-m", "app.health"]
CMD ["python", "-m", "app"]
