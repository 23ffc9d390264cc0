"""Fixtures starting the real servers of the integration tests (see ``services.py``)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid

import pytest

from .services import SERVICES, free_port, require_module, unavailable


def pytest_configure(config):
    for service in SERVICES:
        config.addinivalue_line("markers", f"{service}: needs the real {service} service (see tests/integration)")


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """The URL of a moto S3 server started for this session on a free loopback port."""
    for module, package in (("boto3", "boto3"), ("moto.server", "moto[server]"),
                            ("storages.backends.s3", "django-storages[s3]")):
        require_module("s3", module, package)
    port = free_port()
    # A file, not a pipe: the server logs every request, and a full pipe would stall it.
    log_path = tmp_path_factory.mktemp("moto") / "server.log"
    log = log_path.open("wb")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                unavailable("s3", f"the moto server did not start: {log_path.read_text()[-500:]}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture
def s3_bucket(s3_endpoint):
    """A new, empty bucket on the moto server: ``(endpoint, bucket name, boto3 client)``."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    bucket = f"olapi-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return s3_endpoint, bucket, client
