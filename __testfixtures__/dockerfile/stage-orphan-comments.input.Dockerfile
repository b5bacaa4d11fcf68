# Build stage
FROM continuumio/miniconda3:24.7.1-0 AS build
WORKDIR /srv

# Requirements first, for the layer cache
COPY environment.yml .

RUN conda env create -n tidepool -f environment.yml && conda clean -afy
ENV PATH=/opt/conda/envs/tidepool/bin:$PATH

# Sources
COPY . /srv

# Install the package itself
RUN pip install --no-deps .

# Runtime stage
FROM build AS runtime

# Drop the env file
RUN rm /srv/environment.yml

# Runtime settings
ENV TIDEPOOL_PORT=8080
CMD ["tidepool", "serve"]
