"""Rate limits shared by every app process through Redis, a loud warning when they are not, and a
SECRET_KEY strong enough to sign sessions."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from eventapp import create_app
from tests.conftest import TEST_CONFIG

REDIS_URL = "redis://127.0.0.1:6379/0"
REPO = Path(__file__).resolve().parents[2]
#: One app process: sign in ``tries`` times with a wrong password; prints the answers' status codes.
PROCESS = """
import json, sys
from eventapp import create_app
from eventapp.extensions import db
config = json.loads(sys.argv[1])
app = create_app(config)
with app.app_context():
    db.create_all()
client = app.test_client()
codes = [client.post("/login", data={"email": "kari@example.org", "password": "wrong password"}).status_code
         for _ in range(int(sys.argv[2]))]
print(json.dumps(codes))
"""


def run_process(config: dict, tries: int) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, json.dumps(config), str(tries)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_prefix():
    prefix = f"eventapp-test-abuse-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.mark.parametrize(
    ("storage", "second_process"),
    [(REDIS_URL, [400, 429, 429]), ("memory://", [400, 400, 400])],  # memory: each process counts alone
)
def test_two_app_processes_share_the_sign_in_limit_through_redis(tmp_path, redis_prefix, storage, second_process):
    config = {
        **TEST_CONFIG,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/limits.sqlite",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "RATELIMIT_LOGIN": "3 per minute",
    }

    first = run_process(config, 2)
    second = run_process(config, 3)

    assert first == [400, 400]
    assert second == second_process


def _production_app(tmp_path, monkeypatch, **config):
    monkeypatch.setenv("EVENTAPP_INSTANCE_PATH", str(tmp_path))
    return create_app({"SECRET_KEY": TEST_CONFIG["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": "sqlite://", **config})


def test_memory_rate_limits_under_gunicorn_warn_in_the_log_and_once_on_stderr(tmp_path, monkeypatch, caplog, capsys):
    monkeypatch.setenv("SERVER_SOFTWARE", "gunicorn/27.0.1")
    with caplog.at_level(logging.WARNING):
        _production_app(tmp_path, monkeypatch)  # the first worker
        _production_app(tmp_path, monkeypatch)  # the second worker of the same server

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("RATELIMIT_STORAGE_URI=redis://" in w for w in warnings)
    assert capsys.readouterr().err.count("WARNING: Rate limits are counted in each process's own memory") == 1


def test_redis_rate_limits_or_debug_do_not_warn(tmp_path, monkeypatch, caplog, capsys):
    monkeypatch.setenv("SERVER_SOFTWARE", "gunicorn/27.0.1")
    with caplog.at_level(logging.WARNING):
        _production_app(tmp_path, monkeypatch, RATELIMIT_STORAGE_URI=REDIS_URL)
        _production_app(tmp_path, monkeypatch, DEBUG=True)

    assert not [r for r in caplog.records if "Rate limits" in r.getMessage()]
    assert "Rate limits" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "a" * 64,  # long, but one character
        "0123456789abcdef0123456789abcdef",  # 32 hex characters: only 16 bytes
        "secretsecretsecretsecretsecretsecret",
        "correct horse battery",
    ],
)
def test_a_weak_secret_key_stops_start_up_outside_debug(tmp_path, monkeypatch, key):
    monkeypatch.setenv("EVENTAPP_INSTANCE_PATH", str(tmp_path))

    with pytest.raises(RuntimeError, match="SECRET_KEY is too weak: use at least 32 random bytes"):
        create_app({"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


STRONG_KEYS = [
    "9b1e4c7a2d8f3065e1b9c4a7d2f8036b5e9c1a4d7f2b8e0369c5a1d4e7b2f803",
    "Zq8vR2nK7wX1mB5tY9cH3jL6pF0dGs4aE8uN2oI7",
]


@pytest.mark.parametrize("key", STRONG_KEYS)
def test_a_strong_secret_key_starts_and_debug_accepts_any(tmp_path, monkeypatch, key):
    monkeypatch.setenv("EVENTAPP_INSTANCE_PATH", str(tmp_path))

    assert create_app({"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] == key
    assert create_app({"SECRET_KEY": "x", "DEBUG": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).debug
