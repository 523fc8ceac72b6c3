"""Real services for the fault tests: a private redis-server, gunicorn masters serving the app,
and a browser that keeps one person's cookies and speaks from an address of their own."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from sqlalchemy import insert

from community.auth.models import User
from community.auth.passwords import hash_password
from community.core.models import utcnow
from community.extensions import db
from tests.conftest import require
from tests.factories import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: What a browser sees when the server is gone (refused, reset): no HTTP status at all.
NO_ANSWER = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def insert_people(prefix: str, count: int) -> None:
    """`count` confirmed accounts, <prefix>0@example.org and on, with the default password."""
    password_hash, now = hash_password(DEFAULT_PASSWORD), utcnow()
    rows = [
        {"email": f"{prefix}{n}@example.org", "name": f"{prefix.title()} {n}", "password_hash": password_hash,
         "email_verified_at": now, "created_at": now, "updated_at": now}
        for n in range(count)
    ]  # fmt: skip
    db.session.execute(insert(User), rows)
    db.session.commit()


def wait_until(ready, what: str, timeout: float = 30.0, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not start" + (":\n" + log.read_text() if log else ""))
        time.sleep(0.05)


class RedisServer:
    """redis-server on a free port with nothing kept on disk; stop() and start() again at will."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = tmp_path
        self.process: subprocess.Popen | None = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, "redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def keys(self) -> list[str]:
        client = redis.Redis.from_url(self.url, socket_timeout=2, decode_responses=True)
        try:
            return sorted(client.keys("*"))
        finally:
            client.close()


@contextmanager
def running_redis(tmp_path: Path) -> Iterator[RedisServer]:
    require(shutil.which("redis-server") is not None, "the Redis fault tests need the redis-server binary")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class AppServer:
    """A gunicorn master (its own process group, like another machine) serving
    tests/faults/wsgi_app.py on the test database with `settings` laid over the testing ones."""

    def __init__(self, app, database_url: str, tmp_path: Path, name: str, settings: dict, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "ROUNDTABLE_ENV": "testing",
            "DATABASE_URL": database_url,
            "SECRET_KEY": app.config["SECRET_KEY"],  # one key: a session works on every server
            "MAIL_FILE_DIR": str(tmp_path / "mail"),
            "ROUNDTABLE_TEST_SETTINGS": json.dumps(settings),
        }
        self._log = open(self.log_path, "w")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4",
             "--worker-class", "gthread", "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--preload", "tests.faults.wsgi_app:app"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError("gunicorn exited:\n" + self.log_path.read_text())
        try:
            urllib.request.urlopen(self.base + "/healthz", timeout=5).close()
        except OSError:
            return False
        return True

    def wait(self) -> AppServer:
        wait_until(self.answers, "gunicorn", timeout=60, log=self.log_path)
        return self

    def kill(self) -> None:
        """Gone at once, master and workers, as when a machine dies: nothing is finished."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Quick shutdown (every request has been answered by then); a master slow to follow its
        workers out is not waited for."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer to look at, not the page it points to


class Browser:
    """One person: their cookies, the latest CSRF token, and their own client address (sent as
    X-Forwarded-For, trusted by the server with PROXY_FIX_X_FOR=1), so rate limits are theirs."""

    def __init__(self, base: str, address: str):
        self.base = base
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )
        self.token = ""

    def _open(self, path: str, data: bytes | None, base: str | None) -> tuple[int, str]:
        request = urllib.request.Request((base or self.base) + path, data=data)
        request.add_header("X-Forwarded-For", self.address)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (ConnectionError, urllib.error.URLError, TimeoutError, http.client.HTTPException):
            return NO_ANSWER, ""  # refused, cut, or cut mid-answer (IncompleteRead): a server killed

    def get(self, path: str, base: str | None = None) -> tuple[int, str]:
        status, page = self._open(path, None, base)
        match = CSRF.search(page)
        if match:
            self.token = match.group(1)
        return status, page

    def post(self, path: str, data: dict, base: str | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode({"csrf_token": self.token, **data}).encode()
        return self._open(path, body, base)
