FROM mambaorg/micromamba:1.5.8-bookworm-slim AS app
ARG MAMBA_DOCKERFILE_ACTIVATE=1
COPY --chown=$MAMBA_USER:$MAMBA_USER environment.yml /tmp/environment.yml
RUN micromamba install -y -n base -f /tmp/environment.yml && \
    micromamba clean --all --yes
WORKDIR /home/${MAMBA_USER}/app
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER $MAMBA_USER
COPY --chown=$MAMBA_USER:$MAMBA_USER . .
RUN mkdir -p /home/$MAMBA_USER/.cache/app
ENTRYPOINT ["/usr/local/bin/_entrypoint.sh"]
CMD ["python", "-m", "app"]
