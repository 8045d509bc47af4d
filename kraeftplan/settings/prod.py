"""Production: every secret from the environment, HTTPS-only cookies, no demo users."""

from kraeftplan.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# --- SMTP from the environment (TOPOLOGY) ---
# EMAIL_USE_TLS is STARTTLS (usually port 587), EMAIL_USE_SSL implicit TLS (usually 465). The
# names are the environment's; Django 6.1 refuses EMAIL_* settings beside MAILERS, so the values
# live in lower-case names here.
email_use_tls = env_bool("EMAIL_USE_TLS", False)
email_use_ssl = env_bool("EMAIL_USE_SSL", False)
if email_use_tls and email_use_ssl:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
email_port = 465 if email_use_ssl else 587 if email_use_tls else 25
# docker-compose passes an unset EMAIL_PORT as an empty value: the default then.
if env_str("EMAIL_PORT", ""):
    email_port = env_int("EMAIL_PORT", email_port)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": email_port,
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": email_use_tls,
            "use_ssl": email_use_ssl,
            "timeout": env_int("EMAIL_TIMEOUT", 30),
        },
    }
}
# --- end SMTP ---
# The health check is asked over plain HTTP by Docker and the proxy (it is answered before
# the redirect anyway: kraeftplan.middleware.HealthCheckMiddleware).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
