FROM mambaorg/micromamba:1.5.8-bookworm-slim
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml && \
    micromamba clean --all --yes
ARG MAMBA_DOCKERFILE_ACTIVATE=1
WORKDIR /srv
COPY --chown=$MAMBA_USER:$MAMBA_USER . /srv
RUN python -m compileall -q .
USER $MAMBA_USER
ENTRYPOINT ["/usr/local/bin/_entrypoint.sh"]
CMD ["python", "serve.py"]
