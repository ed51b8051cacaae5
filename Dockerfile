# kalshiflow backend image: builds the dashboard, installs the backend, runs migrations then
# `kalshiflow up`. Used by docker-compose.yml.

FROM node:20-bookworm-slim AS dashboard
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KALSHIFLOW_HOST=0.0.0.0 KALSHIFLOW_DATA_DIR=/data
WORKDIR /app
# The CPU build of torch first: an unpinned torch from PyPI is a multi-GB CUDA build.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY backend/pyproject.toml backend/pyproject.toml
COPY README.md README.md
COPY backend/kalshiflow backend/kalshiflow
RUN pip install --no-cache-dir ./backend
COPY alembic.ini alembic.ini
COPY alembic alembic
COPY --from=dashboard /src/frontend/dist frontend/dist
RUN useradd --create-home kalshiflow && mkdir -p /data && chown kalshiflow /data
USER kalshiflow
EXPOSE 8000
CMD ["sh", "-c", "kalshiflow db upgrade && exec kalshiflow up"]
