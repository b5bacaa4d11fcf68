FROM ubuntu:22.04 AS build
ADD https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh /tmp/miniconda.sh
RUN chmod +x /tmp/miniconda.sh
RUN /tmp/miniconda.sh -b -p /opt/conda && rm /tmp/miniconda.sh
ENV PATH=/opt/conda/bin:$PATH
WORKDIR /work
COPY environment.yml .
RUN conda env create -n app -f environment.yml

FROM python:3.10-slim
COPY --from=build /opt/conda/envs/app /opt/conda/envs/app
ENV PATH=/opt/conda/envs/app/bin:$PATH
HEALTHCHECK CMD ["conda", "run", "-n", "app", "python", "-c", "import app"]
CMD ["python", "-m", "app"]
