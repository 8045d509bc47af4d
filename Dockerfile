# Production image for Kræftplan-portalen: gunicorn serving Django, whitenoise serving static files.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=kraeftplan.settings.prod

# gettext compiles the translations; Pango and HarfBuzz are what WeasyPrint renders PDFs with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only \
    python manage.py compilemessages --ignore=.venv -v0 \
 && SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only \
    python manage.py collectstatic --noinput -v0

RUN useradd --system --home /app portal && chown -R portal /app \
 && mkdir -p /srv/media && chown portal /srv/media
USER portal
EXPOSE 8000
# gunicorn reads its number of worker processes from WEB_CONCURRENCY.
ENV WEB_CONCURRENCY=3
# slim has no curl: Python asks /healthz (the database and the cache; 503 when one fails).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "kraeftplan.wsgi:application", "--bind", "0.0.0.0:8000", "--preload", "--access-logfile", "-"]
