# Backend image: Miniconda installed per architecture
FROM python:3.10

ARG TARGETARCH
ARG APP_PORT=8000

ENV DEBIAN_FRONTEND=noninteractive

RUN apt-get update && apt-get install -y --no-install-recommends \
    curl \
    postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Install Miniconda for the right architecture
RUN if [ "$TARGETARCH" = "arm64" ]; then \
        MINICONDA=Miniconda3-latest-Linux-aarch64.sh; \
    else \
        MINICONDA=Miniconda3-latest-Linux-x86_64.sh; \
    fi && \
    curl -fsSL https://repo.anaconda.com/miniconda/$MINICONDA -o /tmp/miniconda.sh && \
    bash /tmp/miniconda.sh -b -p /opt/conda && \
    rm /tmp/miniconda.sh

ENV PATH=/opt/conda/bin:$PATH

RUN conda init bash && \
    echo "conda activate app" >> ~/.bashrc

WORKDIR /opt/app

COPY environment.yml conda-install.sh ./
RUN ./conda-install.sh

COPY . .

SHELL ["/bin/bash", "--login", "-c"]

EXPOSE $APP_PORT

CMD ["conda", "run", "--no-capture-output", "-n", "app", "python", "main.py"]
