# The pledgeflow application image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml changes. The project
# declares no packages of its own, so this installs just what it depends on.
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY . .

# The project's own bytecode, compiled once here. PYTHONDONTWRITEBYTECODE is set and /app is not
# writable by the user the processes run as, so without this every gunicorn worker, Celery process
# and manage.py command compiled the project's sources again as it started (about a tenth of a
# web worker's start-up: benchmarks/startup_bench.py). The packages pip installed are compiled already.
RUN python -m compileall -q -j 0 /app

# Static files are built into the image; whitenoise serves them. The key only lets the
# production settings load for this one command; it never reaches a running container.
RUN DJANGO_SECRET_KEY=collectstatic-only-build-time-key-not-used-at-runtime \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --no-create-home --home-dir /app pledgeflow \
    && mkdir -p /var/lib/pledgeflow/media /var/lib/pledgeflow/beat \
    && chown -R pledgeflow /var/lib/pledgeflow
USER pledgeflow

ENV PLEDGEFLOW_STORAGE_DIR=/var/lib/pledgeflow/media
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
