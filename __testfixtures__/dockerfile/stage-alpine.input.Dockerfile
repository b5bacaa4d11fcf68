FROM mambaorg/micromamba:1.5.8-alpine AS fetch
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml && micromamba clean --all --yes
WORKDIR /data
RUN bunzip2 -k samples.csv.bz2 || true

FROM fetch AS app
COPY --chown=$MAMBA_USER:$MAMBA_USER . /data
CMD ["python", "-m", "app"]
