FROM condaforge/miniforge3:24.3.0-0
ENV CONDA_DIR=/opt/conda LANG=C.UTF-8
ENV PATH /opt/conda/envs/tool/bin:$PATH
WORKDIR /work
COPY . .
RUN mamba env create -f environment.yml \
    # the editable install needs the env first
    && conda run -n tool pip install -e . \
    && mamba clean -afy
HEALTHCHECK --interval=30s CMD conda run -n tool python -m tool.health || exit 1
CMD conda run -n tool tool serve --port 8080
