"""Outside Django: run the bench host under gunicorn and drive it with wrk on loopback.

Each wrk run is bounded twice: by its duration and by a request count that a Lua
``response`` hook enforces, so a run stops by itself whatever the server does. The same hook
counts the answers whose status is not the expected one (wrk itself only counts 4xx and 5xx,
so a revalidation answered ``200`` instead of ``304`` would otherwise pass unseen).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = Path(__file__).with_name("gunicorn.conf.py")
RESULT_MARK = "BENCH_RESULT "

LUA_TEMPLATE = """
local variants = {variants}
local method = [==[{method}]==]
local max_requests = {max_requests}
local expected = {expected}
local body = nil
local body_file = [==[{body_file}]==]
if body_file ~= "" then
  local handle = assert(io.open(body_file, "rb"))
  body = handle:read("*a")
  handle:close()
end
local threads = {{}}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  position = thread_id
  stride = {thread_count}
  answered = 0
  unexpected = 0
end

function request()
  local variant = variants[(position % #variants) + 1]
  position = position + stride
  return wrk.format(method, variant[1], variant[2], body)
end

function response(status, headers, response_body)
  answered = answered + 1
  if status ~= expected then
    unexpected = unexpected + 1
  end
  if answered >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local unexpected_total = 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (thread:get("unexpected") or 0)
  end
  io.write(string.format(
    "{mark}{{\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p90_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"max_us\\": %d, \\"non_2xx\\": %d, \\"socket_errors\\": %d, \\"unexpected\\": %d}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    unexpected_total))
end
"""


def lua_string(value: str) -> str:
    return f"[==[{value}]==]"


def lua_script(planned: dict, *, host: str, threads: int, max_requests: int) -> str:
    variants = []
    for variant in planned["variants"]:
        headers = {"Host": host, **variant["headers"]}
        if planned["content_type"]:
            headers["Content-Type"] = planned["content_type"]
        header_table = ", ".join(f"[ {lua_string(name)} ] = {lua_string(value)}" for name, value in headers.items())
        variants.append(f"{{{lua_string(variant['path'])}, {{{header_table}}}}}")
    return LUA_TEMPLATE.format(variants="{" + ",\n  ".join(variants) + "}", method=planned["method"],
                               max_requests=max(1, max_requests // threads), body_file=planned["body_file"],
                               expected=int(planned.get("expected", 200)),
                               thread_count=threads, mark=RESULT_MARK)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it when it can).")
    return path


def wrk_version() -> str:
    result = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True)
    return (result.stdout or result.stderr).strip().splitlines()[0]


def fetch_etag(url: str, path: str, headers: dict) -> str | None:
    """The ETag of one GET of ``url + path`` (a revalidation row's ``If-None-Match``, fetched before its load)."""
    with urllib.request.urlopen(urllib.request.Request(url + path, headers=headers), timeout=30) as response:
        return response.headers.get("ETag")


def run_wrk(planned: dict, *, url: str, script_dir: Path, duration: float, connections: int, threads: int,
            max_requests: int) -> dict:
    """One bounded wrk run against ``url``; the figures its ``done`` hook reports."""
    host = url.split("://", 1)[1].rstrip("/")
    script = script_dir / (planned["name"].replace(" ", "_").replace("(", "").replace(")", "")
                           .replace(",", "") + ".lua")
    script.write_text(lua_script(planned, host=host, threads=threads, max_requests=max_requests))
    command = [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "5s",
               "-s", str(script), url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    for line in result.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            figures = json.loads(line.removeprefix(RESULT_MARK))
            seconds = figures["duration_us"] / 1e6
            return {"requests": figures["requests"], "seconds": seconds,
                    "rps": figures["requests"] / seconds if seconds else 0.0,
                    "p50_ms": figures["p50_us"] / 1000, "p90_ms": figures["p90_us"] / 1000,
                    "p99_ms": figures["p99_us"] / 1000, "max_ms": figures["max_us"] / 1000,
                    "unexpected": figures["unexpected"],
                    "errors": max(figures["non_2xx"], figures["unexpected"]) + figures["socket_errors"]}
    raise RuntimeError(f"wrk gave no result for {planned['name']}:\n{result.stdout}\n{result.stderr}")


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str]:
    """``/proc/<pid>/stat`` after the command name (which may hold spaces); empty once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return text.rsplit(")", 1)[1].split()


def child_pids(parent: int) -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and (fields := _stat_fields(int(entry.name))) and int(fields[1]) == parent]


def database_backends(database: str) -> list[int]:
    """PostgreSQL backends serving ``database`` (their process title names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process still alive."""
    times = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            times[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return times


class CpuMeter:
    """CPU time the bench host's workers and its database backends spend between ``start`` and ``stop``.

    Other work on a shared machine lowers requests per second, but hardly the CPU time
    each request costs; that cost tells what two free cores would serve.
    """

    def __init__(self, server_pid: int, database: str | None):
        self.server_pid = server_pid
        self.database = database

    def sample(self) -> tuple[dict, dict]:
        backends = database_backends(self.database) if self.database else []
        return cpu_seconds(child_pids(self.server_pid)), cpu_seconds(backends)

    def start(self) -> None:
        self.before = self.sample()

    def stop(self) -> tuple[float, float]:
        """``(app seconds, database seconds)`` since ``start``; processes born meanwhile count from zero."""
        after = self.sample()
        return tuple(sum(value - before.get(pid, 0.0) for pid, value in now.items())
                     for before, now in zip(self.before, after))


def free_address() -> str:
    """A loopback address with a port nobody listens on (the bench must never load someone else's server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url + "/bench-ping", timeout=2)
        except urllib.error.HTTPError:
            pass  # any HTTP answer (404 here) means a worker serves requests
        except OSError:
            time.sleep(0.2)
            continue
        time.sleep(0.5)
        if process.poll() is None:
            return
    raise RuntimeError(f"gunicorn did not answer on {url} within {timeout:.0f} s")


@contextmanager
def gunicorn(env: dict, *, bind: str, workers: int, threads: int, log: Path):
    """The bench host under gunicorn for the duration of the block (stopped by its own pid).

    ``bind`` empty: a free loopback port.
    """
    bind = bind or free_address()
    env = {**env, "BENCH_BIND": bind, "BENCH_WORKERS": str(workers), "BENCH_THREADS": str(threads)}
    with open(log, "ab") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)], cwd=REPO,
                                   env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://{bind}", process)
            yield f"http://{bind}", process.pid
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()
