"""The demo host as ``make demo`` runs it: concurrent writes on its SQLite file, and its media URLs.

The concurrency test starts the demo's own server (``example.settings``, a SQLite file in a
temporary directory) and sends writes from 16 threads released together; none may fail with
"database is locked".
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openedx_learner_apis.api import get_profile_image_urls

REPO = Path(__file__).resolve().parents[1]
THREADS = 16
ROUNDS = 4
COURSE = "course-v1:edX+Busy+1"

SETUP = """
import json
from django.contrib.auth import get_user_model
from openedx_learner_apis import api
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt
from tests.course_builders import build_course

build_course("%(course)s", outline=((2, 2), (2,)))
headers = {}
for index in range(%(threads)d):
    user = get_user_model().objects.create_user(f"busy{index}", f"busy{index}@example.com")
    api.enroll(user, "%(course)s")
    headers[user.username] = jwt_header(mint_jwt(user))
print(json.dumps(headers))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args, timeout=300) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo host on a fresh SQLite file, served by ``runserver`` (threaded, as ``make demo`` runs it)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example.settings",
           "DEMO_STATE_DIR": str(tmp_path_factory.mktemp("demo-state")), "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    _manage(env, "migrate", "--noinput")
    headers = json.loads(_manage(env, "shell", "-c", SETUP % {"course": COURSE, "threads": THREADS})
                         .strip().splitlines()[-1])
    port = _free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api-docs/schema/", timeout=5)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base, headers
    finally:
        server.terminate()
        server.wait(timeout=10)


def _send(method, url, header, body) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode(),  # noqa: S310
                                     headers={"Authorization": header, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", "")


def test_sixteen_concurrent_writers_get_no_500(demo_server):
    """Each round: every learner's two celebration POSTs in the same tick and a course-status PATCH each."""
    base, headers = demo_server
    barrier = threading.Barrier(THREADS)
    statuses: Counter = Counter()
    lock = threading.Lock()
    units = [f"block-v1:edX+Busy+1+type@vertical+block@ch{c}s{s}u{u}" for c, s, u in
             ((1, 1, 1), (1, 1, 2), (1, 2, 1), (1, 2, 2), (2, 1, 1), (2, 1, 2))]

    def writer(index: int) -> None:
        # Two threads share each learner: the MFE fires its two celebration calls at once.
        username = f"busy{index // 2}"
        header = headers[username]
        for round_number in range(ROUNDS):
            barrier.wait()
            calls = [
                ("POST", f"{base}/api/courseware/celebration/{COURSE}", {"first_section": bool(index % 2)}),
                ("PATCH", f"{base}/api/mobile/v1/users/{username}/course_status_info/{COURSE}",
                 {"last_visited_module_id": units[(index + round_number) % len(units)]}),
            ]
            for method, url, body in calls:
                status, content_type = _send(method, url, header, body)
                with lock:
                    statuses[(status, content_type.split(";")[0])] += 1

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sum(statuses.values()) == THREADS * ROUNDS * 2
    assert {status for status, _ in statuses} <= {200, 201}, statuses


@pytest.mark.django_db
def test_the_demo_serves_uploaded_profile_images_under_media(client, learner):
    """The image URLs the API hands out load from the demo host (``example/urls.py`` serves ``/media/``)."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "red").save(buffer, "PNG")
    client.force_login(learner)
    response = client.post("/api/user/v1/accounts/learner/image",
                           {"file": SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")})
    assert response.status_code == 204, response.content
    urls = get_profile_image_urls(learner)
    assert urls["has_image"] is True
    for size in ("full", "large", "medium", "small"):
        url = urlsplit(urls[f"image_url_{size}"])
        assert url.path.startswith("/media/")
        served = client.get(f"{url.path}?{url.query}")
        assert served.status_code == 200, url
        assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == "JPEG"
