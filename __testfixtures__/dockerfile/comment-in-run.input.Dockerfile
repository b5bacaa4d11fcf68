FROM continuumio/miniconda3:latest
RUN apt-get update \
    # compilers for the C extensions
    && apt-get install -y --no-install-recommends build-essential \
    # a faster solver
    && conda install -y -n base -c conda-forge mamba \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/svc
COPY env/service-env.yml /tmp/
RUN mamba env create -f /tmp/service-env.yml \
 && echo "source activate svc" > ~/.bashrc
ENV PATH=/opt/conda/envs/svc/bin:$PATH
COPY src/ ./src/
CMD ["gunicorn", "--chdir", "src", "svc.wsgi"]
