FROM debian:bookworm-slim AS builder
ENV MAMBA_ROOT_PREFIX=/root/micromamba
RUN apt-get update && apt-get install -y --no-install-recommends curl bzip2 ca-certificates
RUN curl -Ls https://micro.mamba.pm/api/micromamba/linux-64/latest | tar -xvj -C /usr/local bin/micromamba
COPY environment.yml /tmp/environment.yml
RUN micromamba create -y -p $HOME/micromamba/envs/app -f /tmp/environment.yml \
    && micromamba clean -afy \
    && rm /tmp/environment.yml

FROM debian:bookworm-slim
COPY --from=builder /usr/local/bin/micromamba /usr/local/bin/micromamba
COPY --from=builder /root/micromamba/envs/app /root/micromamba/envs/app
ENV PATH=/root/micromamba/envs/app/bin:$PATH \
    LD_LIBRARY_PATH=/root/micromamba/envs/app/lib:$LD_LIBRARY_PATH \
    APP_MODE=prod
COPY app.py /srv/app.py
CMD ["python", "/srv/app.py"]
