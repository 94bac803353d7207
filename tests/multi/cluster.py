"""Two gunicorn instances of the app behind nginx, run as processes of the test: started, checked, stopped.

Each instance runs from a working copy of its own (its own instance/ folder), as it would on a machine of
its own; all they share is what README "Running several instances" says they must: one PostgreSQL, one
Redis, the same SECRET_KEY, and nginx in front (POINTS_PROXY_COUNT=1).
"""
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 30  # the longest a process may take to answer, and a write to be acknowledged
WORKERS, THREADS = 2, 6  # per instance: 24 requests at once over the two, the rest queue
UPSTREAM = "X-Upstream"  # nginx names the instance that answered, in every answer


def nginx_binary():
    """Debian's nginx (in /usr/sbin, which a user's PATH may lack), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, what, timeout=READY_SECONDS, every=0.05):
    """Poll check() until it returns something true, and return that; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(every)


@dataclass
class Answer:
    status: int
    headers: Message  # case-insensitive
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def upstream(self):
        return self.headers.get(UPSTREAM)


def request(port, method, path, body=None, headers=None, timeout=READY_SECONDS):
    """One HTTP request to 127.0.0.1:port on a connection of its own."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def healthy(port):
    """/healthz answers 200: the process is up and reaches the database."""
    try:
        return request(port, "GET", "/healthz", timeout=5).status == 200
    except (OSError, http.client.HTTPException):
        return False


class Process:
    """A child process of the test in a process group of its own, its output in a log file."""

    def __init__(self, name, command, log, **popen):
        self.name, self.log = name, log
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                          **popen)

    def check_alive(self):
        if self.popen.poll() is not None:
            raise AssertionError(f"{self.name} exited with {self.popen.returncode}; its log ends:\n{self.tail()}")
        return True

    def tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, grace=10):
        """SIGKILL for the process and everything in its group (gunicorn's or nginx's workers): a test needs
        no graceful shutdown, and gunicorn's takes seconds."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)  # the group is ours: started with a session of its own
        except ProcessLookupError:
            pass
        self.popen.wait(grace)


def children(pid):
    """The ids of the processes whose parent is `pid` (gunicorn's workers of a master)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # gone meanwhile
            continue
        # "pid (command) state ppid ...": the command may hold spaces, so count from its closing parenthesis.
        if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class Instance:
    """One gunicorn of the app, from a working copy of its own."""

    def __init__(self, name, workdir):
        self.name, self.home, self.port = name, workdir / name, free_port()
        self.process = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def start(self, env):
        _working_copy(self.home)
        command = [sys.executable, "-m", "gunicorn", "--chdir", str(self.home), "--bind", self.address,
                   "--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", "30",
                   "--preload", "--no-control-socket", "--access-logfile", "-", "points:create_app()"]
        # --preload: the app is built once by the master and forked into the workers, which halves the start
        # on two busy cores; create_app opens no connection, so no socket is shared between the workers.
        # --no-control-socket: by default every gunicorn of a user listens on the same ~/.gunicorn/gunicorn.ctl.
        # cwd too: `python -m` puts it first on sys.path, so `points` is this copy's, not the checkout's.
        self.process = Process(f"gunicorn {self.name}", command, self.home.parent / f"{self.name}.log",
                               env=env, cwd=self.home)

    def workers(self):
        return children(self.process.popen.pid)

    def ready(self):
        return self.process.check_alive() and healthy(self.port)


def _working_copy(home):
    """The code as a second machine would have it: its own points/ (so its own instance/ beside it)."""
    shutil.copytree(ROOT / "points", home / "points")  # with __pycache__: the workers need not compile it again
    for shared in ("templates", "static", "migrations"):  # read-only files: a link is as good as a copy
        (home / shared).symlink_to(ROOT / shared)


NGINX_CONF = """
daemon off;
worker_processes 1;  # one round-robin state: consecutive requests alternate between the instances
pid @HOME@/nginx.pid;
error_log @HOME@/error.log warn;
events { worker_connections 512; }
http {
    log_format upstreams '$upstream_addr $status $request_method $uri';
    access_log @HOME@/access.log upstreams;
    client_body_temp_path @HOME@/client_body;
    proxy_temp_path @HOME@/proxy;
    fastcgi_temp_path @HOME@/fastcgi;
    uwsgi_temp_path @HOME@/uwsgi;
    scgi_temp_path @HOME@/scgi;
    client_max_body_size 50m;
    upstream points {
        # max_fails=0: an instance that failed a request stays in the rotation (a worker restarts behind it).
        @SERVERS@
    }
    server {
        listen 127.0.0.1:@PORT@;
        location / {
            proxy_pass http://points;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 30s;
            add_header @UPSTREAM@ $upstream_addr always;
        }
    }
}
"""


class Proxy:
    """nginx in the foreground with a config and prefix of its own, round robin over the instances."""

    def __init__(self, workdir, instances):
        self.home, self.port, self.instances = workdir / "nginx", free_port(), instances
        self.access_log = self.home / "access.log"
        self.process = None

    def start(self):
        self.home.mkdir()
        servers = "\n        ".join(f"server {i.address} max_fails=0;" for i in self.instances)
        config = self.home / "nginx.conf"
        config.write_text(NGINX_CONF.replace("@HOME@", str(self.home)).replace("@SERVERS@", servers)
                          .replace("@PORT@", str(self.port)).replace("@UPSTREAM@", UPSTREAM))
        command = [nginx_binary(), "-p", str(self.home), "-c", str(config), "-e", str(self.home / "error.log")]
        self.process = Process("nginx", command, self.home / "nginx.out")

    def ready(self):
        return self.process.check_alive() and healthy(self.port)

    def log_size(self):
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def upstreams_since(self, offset):
        """How many requests each instance answered since the access log had `offset` bytes."""
        with open(self.access_log, "rb") as log:
            log.seek(offset)
            lines = log.read().decode().splitlines()
        # A request retried on the next instance (nginx does so for GETs that met a dead worker) names both.
        return Counter(address for line in lines for address in line.split(" ", 1)[0].split(",") if address)


class Cluster:
    """Two instances on one database and one Redis database, behind nginx."""

    def __init__(self, workdir, database_url, redis_url):
        self.database_url, self.redis_url = database_url, redis_url
        self.instances = [Instance(name, workdir) for name in ("a", "b")]
        self.proxy = Proxy(workdir, self.instances)
        self.secret_key = secrets.token_hex(32)

    @property
    def addresses(self):
        return {instance.address for instance in self.instances}

    def environment(self):
        """The instances' settings, all from POINTS_* variables; none of the test run's own leaks in."""
        env = {name: value for name, value in os.environ.items() if not name.startswith("POINTS_")}
        return env | {"POINTS_DATABASE_URL": self.database_url, "POINTS_SECRET_KEY": self.secret_key,
                      "POINTS_REDIS_URL": self.redis_url, "POINTS_PROXY_COUNT": "1"}

    def start(self):
        for instance in self.instances:
            instance.start(self.environment())
        for instance in self.instances:
            wait_until(instance.ready, f"gunicorn {instance.name} to answer /healthz")
            # create_app makes the instance/ folder beside the code it runs: this copy's, not the checkout's.
            assert (instance.home / "instance").is_dir(), f"gunicorn {instance.name} runs other code than its copy"
        self.proxy.start()
        wait_until(self.proxy.ready, "nginx to answer /healthz")

    def stop(self):
        for part in [self.proxy, *self.instances]:
            if part.process is not None:
                part.process.stop()

    def send(self, method, path, body=None, headers=None):
        """A request through nginx."""
        return request(self.proxy.port, method, path, body, headers)

    def post_json(self, path, body, headers=None):
        return self.send("POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})})


@contextmanager
def running(workdir, database_url, redis_url):
    """A started cluster, stopped (every process the test started) whatever happens."""
    cluster = Cluster(workdir, database_url, redis_url)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
