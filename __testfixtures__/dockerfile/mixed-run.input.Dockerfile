FROM ubuntu:22.04
RUN apt-get update && apt-get install -y wget git && \
    wget -q https://github.com/conda-forge/miniforge/releases/latest/download/Miniforge3-Linux-x86_64.sh -O /tmp/mf.sh && \
    bash /tmp/mf.sh -b -p /opt/conda && \
    rm /tmp/mf.sh && \
    rm -rf /var/lib/apt/lists/*
ENV PATH="/opt/conda/bin:${PATH}"
WORKDIR /code
COPY environment.yml requirements.txt ./
RUN conda env update -n base -f environment.yml && \
    conda install -y -c conda-forge gdal && \
    pip install -r requirements.txt
COPY . .
RUN mkdir -p /data && /opt/conda/bin/python scripts/prepare.py
CMD ["/opt/conda/bin/gunicorn", "app:server"]
