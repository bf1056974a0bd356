"""The peer forum: django-machina, built in a temporary folder (never committed) with
its own virtual environment from the package index, on PostgreSQL on the same
server, and served like ours (bench/throughput.py: one uvicorn worker on core 0).

    python bench/peer.py FOLDER DATABASE_URL     # builds; prints the JSON below

One forum with one topic of POSTS posts (one page: MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE
= our POSTS_PER_PAGE), the same Markdown bodies as bench/generate.py, read
permissions for visitors and members as global forum-permission rows (machina
grants nothing by default), a member with a session. Machina writes a view count on
every topic GET; that is part of what it serves. Persistent connections are off
(CONN_MAX_AGE 0), like ours.
"""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

# Machina 1.3.1 is its latest release; Django as ours (5.2).
PACKAGES = [
    "django-machina==1.3.1",
    "Django>=5.2,<5.3",
    "django-haystack",
    "uvicorn",
    "psycopg[binary]",
]

SETTINGS = """\
from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR

SECRET_KEY = "bench-peer-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "peersite.urls"
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = {static_root!r}
STATICFILES_DIRS = [MACHINA_MAIN_STATIC_DIR]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": {name!r}, "USER": {user!r}, "HOST": {host!r}, "PORT": {port!r},
        "CONN_MAX_AGE": 0,
    }}
}}
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "mptt", "haystack", "widget_tweaks",
    "machina", "machina.apps.forum", "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls", "machina.apps.forum_feeds",
    "machina.apps.forum_moderation", "machina.apps.forum_search",
    "machina.apps.forum_tracking", "machina.apps.forum_member",
    "machina.apps.forum_permission",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
]
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [MACHINA_MAIN_TEMPLATE_DIR],
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "machina.core.context_processors.metadata",
    ]}},
}}]
CACHES = {{
    "default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "machina_attachments": {{
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": {attachments!r},
    }},
}}
HAYSTACK_CONNECTIONS = {{"default": {{"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}}}
MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE = {per_page}
"""

URLS = """\
from django.urls import include, path

urlpatterns = [path("forum/", include("machina.urls"))]
"""

ASGI = """\
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
application = get_asgi_application()
"""

# Runs inside the peer's environment: the forum, the topic, the permissions and a
# member's session; prints {"topic": path, "cookie": "sessionid=..."}.
FILL = """\
import json, sys, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

bodies, count = json.loads(sys.argv[1]), int(sys.argv[2])
member = User.objects.create_user("lid", "lid@bench.example.org", "bench-password")
for codename in ("can_see_forum", "can_read_forum"):
    permission = ForumPermission.objects.get(codename=codename)
    UserForumPermission.objects.create(permission=permission, anonymous_user=True)
    UserForumPermission.objects.create(permission=permission, authenticated_user=True)
forum = Forum.objects.create(name="Leesbevordering", type=Forum.FORUM_POST)
topic = Topic.objects.create(
    forum=forum, poster=member, subject="Gesprek over leesbevordering",
    type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED, approved=True,
)
for n in range(count):
    Post.objects.create(
        topic=topic, poster=member, subject="Gesprek over leesbevordering",
        content=bodies[n % len(bodies)], approved=True,
    )
topic.update_trackers()
store = SessionStore()
store[SESSION_KEY] = str(member.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = member.get_session_auth_hash()
store.create()
print(json.dumps({
    "topic": f"/forum/forum/{forum.slug}-{forum.pk}/topic/{topic.slug}-{topic.pk}/",
    "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
}))
"""


def build(folder: Path, database_url: str, posts: int, per_page: int) -> dict:
    """Install, configure, migrate and fill the peer; return where it lives and what
    to load: {"project", "python", "topic", "cookie"}."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.generate import BODIES

    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *PACKAGES],
        check=True,
        capture_output=True,
    )
    project = folder / "peer"
    package = project / "peersite"
    package.mkdir(parents=True)
    parts = urlsplit(database_url)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        SETTINGS.format(
            name=parts.path.lstrip("/"),
            user=parts.username or "postgres",
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            static_root=str(folder / "static"),
            attachments=str(folder / "attachments"),
            per_page=per_page,
        )
    )
    (package / "urls.py").write_text(URLS)
    (package / "asgi.py").write_text(ASGI)
    env = {"DJANGO_SETTINGS_MODULE": "peersite.settings", "PATH": "/usr/bin:/bin"}

    def django(*args: str) -> str:
        result = subprocess.run(
            [str(python), *args], cwd=project, env=env, check=True, capture_output=True, text=True
        )
        return result.stdout

    django("-m", "django", "migrate", "--noinput")
    django("-m", "django", "collectstatic", "--noinput")
    filled = json.loads(django("-c", FILL, json.dumps(BODIES), str(posts)).strip().splitlines()[-1])
    return {"project": str(project), "python": str(python), **filled}


if __name__ == "__main__":
    print(json.dumps(build(Path(sys.argv[1]), sys.argv[2], 20, 20)))
