FROM python:3.12-slim
# Settings come from the environment at run time
ENV APP_ENV=production
COPY . /app
CMD ["python", "/app/main.py"]
