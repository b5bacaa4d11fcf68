FROM continuumio/miniconda3:24.7.1-0 AS builder
WORKDIR /src
COPY environment.yml .
RUN conda env create -n app -f environment.yml && conda clean -afy
COPY . .
RUN wget -q https://example.org/weights.bin -O /src/weights.bin \
    && git describe --always > /src/VERSION || true

FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS runtime
COPY --from=builder /opt/conda/envs/app /opt/conda/envs/app
COPY --from=builder /src /app
ENV PATH=/opt/conda/envs/app/bin:$PATH
WORKDIR /app
CMD ["python", "-m", "app"]
