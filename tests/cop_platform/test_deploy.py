"""Production settings pass Django's deployment checks, and pages carry the
security headers a browser needs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings.production",
        "SECRET_KEY": "a-production-grade-secret-key-" + "x7Kq2" * 10,
        "ALLOWED_HOSTS": "communities.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_redis(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "communities.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "REDIS_URL is required" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/en/", "/zoeken/?q=lezen", "/accounts/login/"])
def test_pages_carry_security_headers(client, site_tree, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def _production_database_settings(extra_env):
    """DATABASES["default"] as the production settings build it (no connection made)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "communities.example.org",
        "DATABASE_URL": "postgres://cop:secret@db.example.org:5432/cop",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra_env,
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; "
        "print(json.dumps({'age': d['CONN_MAX_AGE'], 'pool': d['OPTIONS'].get('pool')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_uses_the_connection_pool_not_persistent_connections():
    # Persistent connections under ASGI exhaust PostgreSQL (one per request context).
    database = _production_database_settings({"CONN_MAX_AGE": "60"})
    assert database["age"] == 0
    assert database["pool"] == {"min_size": 2, "max_size": 10, "timeout": 10.0}


def test_production_pool_size_comes_from_the_environment():
    database = _production_database_settings(
        {"DB_POOL_MIN_SIZE": "1", "DB_POOL_MAX_SIZE": "4", "DB_POOL_TIMEOUT": "5"}
    )
    assert database["pool"] == {"min_size": 1, "max_size": 4, "timeout": 5.0}


def test_production_fans_out_through_the_redis_pub_sub_layer():
    # One publish per post for all open thread pages, not one Redis entry per
    # socket (bench/report.md, websocket fan-out); tests/integration/
    # test_services.py runs a post through this layer to an open thread page.
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "communities.example.org",
        "DATABASE_URL": "postgres://cop:secret@db.example.org:5432/cop",
        "REDIS_URL": "redis://redis.example.org:6379/3",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CHANNEL_LAYERS['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": ["redis://redis.example.org:6379/3"]},
    }
