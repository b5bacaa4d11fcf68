FROM continuumio/miniconda3 AS base
COPY environment.yml .
RUN conda env create -n app -f environment.yml
SHELL ["/bin/bash", "--login", "-c"]
RUN echo "conda activate app" >> ~/.bashrc

FROM base AS test
ENV PATH=/opt/conda/envs/app/bin:$PATH
COPY . /srv
RUN [[ -f /srv/pytest.ini ]] && /opt/conda/envs/app/bin/python -m pytest -q /srv
