"""Settings shared by every environment.

Every value that differs between machines comes from the environment
(django-environ); the defaults here are safe for development only where a
module below overrides them. `production.py` insists on the rest.
"""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # daphne replaces runserver with an ASGI server (HTTP + WebSocket); it must
    # come before django.contrib.staticfiles, which has its own runserver.
    "daphne",
    "home",
    "communities",
    "communities.forum",
    "members",
    "todo_lists",
    "teams",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "members.users_app.UsersAppConfig",  # Wagtail's users app with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "allauth",
    "allauth.account",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own form and widget templates, for FORM_RENDERER below.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # GETs answered from the cache (cop_platform/page_cache.py): visitors' pages, and
    # a member's own pages to the same session only. It needs the cookies and the
    # session; a hit skips everything below.
    "cop_platform.page_cache.PageCacheMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's middleware, plus the Wagtail admin's nonces (cop_platform/csp.py).
    "cop_platform.csp.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cop_platform.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cop_platform.context_processors.navigation",
            ],
        },
    },
]

# Forms render through the project's templates (cop_platform/forms.py says why).
FORM_RENDERER = "cop_platform.forms.FormRenderer"

WSGI_APPLICATION = None
ASGI_APPLICATION = "cop_platform.asgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
ON_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

# Channels and caches. Without REDIS_URL everything lives in this one process,
# which is right for `make run` and wrong for more than one worker:
# production.py therefore requires REDIS_URL.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="cop"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # A real cache (not DummyCache): allauth's rate limits count in it.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a page may be served from the cache, a visitor's or a member's (0: never).
# Writes end cached pages at once (cop_platform/page_cache.py); this bounds what
# no write announces, such as a moderator term that starts today.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Communities <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Language: Dutch first, English available. The interface is translated with
# gettext; page content is Dutch (WAGTAIL_I18N_ENABLED would duplicate the tree).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# allauth: e-mail login, mandatory verification, rate limits on (they count in
# the default cache above).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "members.adapters.user_display"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Abuse limits, spelled out so they cannot change silently with an allauth upgrade
# (the values are allauth 65's defaults; actions not listed keep allauth's own).
# "ip" counts per client address (behind a proxy: TRUSTED_PROXY_COUNT), "key" per
# e-mail address. A failed login counts against both the address and the account,
# so guessing one account's password from many addresses and trying many accounts
# from one address are both throttled; while throttled, even the right password
# is refused. The Wagtail admin logs in through the same form (urls.py).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    # Requesting a reset mail, per address and per e-mail address (known or not:
    # ACCOUNT_PREVENT_ENUMERATION answers both alike).
    "reset_password": "20/m/ip,5/m/key",  # nosec B105  # a rate, no password
    "reset_password_from_key": "20/m/ip",  # nosec B105  # a rate, no password
}

# Wagtail
WAGTAIL_SITE_NAME = "Bibliotheekcommunities"
# The address people reach the site at (scheme, host, port if any). Every link in
# an e-mail is built on it (cop_platform/mail.absolute_url, allauth's mails through
# members/adapters.py), whatever host a request came in on: docs/deploy.md.
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
# The admin logs in through allauth, so its rate limits apply there too: Wagtail
# sends people it refuses to /admin/login/, which forwards visitors to allauth's
# login and answers a logged-in member without admin access with the 403 page
# (cop_platform/errors.py; the login page would send them back to /admin/).
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}  # nosec B105  # a switch, no password
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The dashboard would ask releases.wagtail.org for news from every editor's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Only PostgreSQL reads this: stemming with the Dutch dictionary.
        "SEARCH_CONFIG": "dutch" if ON_POSTGRESQL else None,
    }
}
TAGGIT_CASE_INSENSITIVE = True

# Content-Security-Policy (django-csp 4) on every response, the Wagtail admin
# included: no inline script anywhere. The admin's own initialiser scripts get a
# nonce, and Wagtail's preview may be framed by the editor (cop_platform/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database and are read through the cache (Redis in
# production): a member's request reads its session without a query. Code that
# ends sessions goes through the session store, never Session.objects alone.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The site's own error page for a refused form (cop_platform/errors.py).
CSRF_FAILURE_VIEW = "cop_platform.errors.csrf_failure"

# Per-user limits for writes (cop_platform/ratelimits.py), "count/period".
RATE_LIMITS = {
    "intake": env("RATE_LIMIT_INTAKE", default="10/h"),
    "todo_proposal": env("RATE_LIMIT_TODO_PROPOSAL", default="10/h"),
    "todo_comment": env("RATE_LIMIT_TODO_COMMENT", default="30/h"),
    "forum_post": env("RATE_LIMIT_FORUM_POST", default="60/h"),
    "moderator_contact": env("RATE_LIMIT_MODERATOR_CONTACT", default="5/h"),
}

# How long after posting an author may still edit their post.
FORUM_EDIT_WINDOW = datetime.timedelta(minutes=env.int("FORUM_EDIT_WINDOW_MINUTES", default=30))
# Browser tests only: lets forum.js expose hooks to drop and restore its socket.
FORUM_TEST_HOOKS = env.bool("FORUM_TEST_HOOKS", default=False)
