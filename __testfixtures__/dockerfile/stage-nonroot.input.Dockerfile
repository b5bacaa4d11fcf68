FROM condaforge/miniforge3:24.9.2-0 AS base
ENV PATH=/opt/conda/bin:${PATH}
ARG user_no=1000
RUN mkdir -p /var/lib/app && chown ${user_no}:${user_no} /var/lib/app /opt/conda
USER ${user_no}:${user_no}
WORKDIR /opt/app
COPY environment.yml .
RUN mamba env create -f environment.yml && conda clean --force-pkgs-dirs --all -y

FROM base AS dev
COPY . /opt/app
RUN python -m pip install --no-cache-dir -e .
WORKDIR /var/lib/app
