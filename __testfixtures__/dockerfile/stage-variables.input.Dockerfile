ARG BASE=continuumio/miniconda3:24.7.1-0
FROM ${BASE} AS build
COPY environment.yml .
RUN conda env create -n app -f environment.yml

FROM python:3.10-slim
ARG ENV_DIR=/opt/conda/envs/app
COPY --from=build ${ENV_DIR}/ ${ENV_DIR}
ENV PATH=${ENV_DIR}/bin:$PATH
CMD ["python", "-m", "app"]
