"""The second reference: the home page of a default `wagtail start` project, built in
a temporary folder (never committed) and served like ours (production settings,
PostgreSQL on the same server, one uvicorn worker).

    python bench/reference.py FOLDER DATABASE_URL     # builds; prints nothing

bench/throughput.py calls build() and serves FOLDER/refsite.
"""

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_SETTINGS = """\
from .production import *  # noqa

SECRET_KEY = "bench-reference-only-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": {name!r},
        "USER": {user!r},
        "HOST": {host!r},
        "PORT": {port!r},
    }}
}}
"""

ASGI = """\
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refsite.settings.production")
application = get_asgi_application()
"""


def build(folder: Path, database_url: str) -> Path:
    """Create, configure and migrate the project; return its directory."""
    project = folder / "refsite"
    project.mkdir(parents=True)
    wagtail = Path(sys.executable).parent / "wagtail"
    subprocess.run(
        [str(wagtail), "start", "refsite", str(project)], check=True, capture_output=True
    )
    parts = urlsplit(database_url)
    (project / "refsite" / "settings" / "local.py").write_text(
        LOCAL_SETTINGS.format(
            name=parts.path.lstrip("/"),
            user=parts.username or "postgres",
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
        )
    )
    (project / "refsite" / "asgi.py").write_text(ASGI)
    env = {"DJANGO_SETTINGS_MODULE": "refsite.settings.production", "PATH": "/usr/bin:/bin"}
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
        )
    return project


if __name__ == "__main__":
    build(Path(sys.argv[1]), sys.argv[2])
