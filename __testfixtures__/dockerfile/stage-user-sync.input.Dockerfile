FROM condaforge/miniforge3:24.9.2-0
RUN groupadd --system svc && useradd --system --gid svc --create-home svc
WORKDIR /srv/tidepool
RUN chown svc:svc /srv/tidepool /opt/conda
USER svc
COPY environment.yml .
RUN mamba env update -n base -f environment.yml
COPY . .
RUN pip install -e .
CMD ["tidepool", "serve"]
