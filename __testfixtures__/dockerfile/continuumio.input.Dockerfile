FROM continuumio/miniconda3:24.7.1-0

WORKDIR /app

# Create the environment:
COPY environment.yml .
RUN conda env create -f environment.yml && conda clean -afy

# Make RUN commands use the new environment:
SHELL ["conda", "run", "-n", "myenv", "/bin/bash", "-c"]

# Demonstrate the environment is activated:
RUN echo "Make sure flask is installed:" && python -c "import flask"

# The code to run when container is started:
COPY run.py entrypoint.sh ./
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "myenv", "python", "run.py"]
