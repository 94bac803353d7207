"""A PostgreSQL server of the test's own, to stop and start at will: initdb in a temporary folder, its own port.

Never the suite's shared server. PostgreSQL refuses to run as root, so under root its commands run as
the `postgres` user (runuser), which must own the folder.
"""
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.multi.cluster import free_port


def binaries():
    """The folder with initdb and pg_ctl (on PATH or Debian's /usr/lib/postgresql/*/bin, newest first), or None."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent  # a link in /usr/local/bin: initdb finds postgres beside itself
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]), reverse=True)
    return installed[0].parent if installed else None


def run_as():
    """The prefix that runs a command as a user PostgreSQL accepts, or None when there is none."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else None


class Server:
    def __init__(self, bin_dir, prefix):
        self.bin, self.prefix, self.port = bin_dir, prefix, free_port()
        self.home = Path(tempfile.mkdtemp(prefix="points-own-postgres-"))
        self.data, self.log = self.home / "data", self.home / "postgres.log"

    def url(self, database):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create(self):
        if self.prefix:  # root: the folder becomes postgres's
            user = pwd.getpwnam("postgres")
            os.chown(self.home, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")

    def start(self):
        # fsync off: the faults here crash the server's processes, not the machine, so what a commit wrote
        # is in the kernel's cache either way; on it, a start after a crash first syncs the whole data folder
        # (seconds on a busy disk), which would be measured as the app's recovery.
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "start", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o", options)

    def stop(self, mode="immediate"):
        """Immediate: the server is gone at once, as in a crash; its next start recovers from the WAL."""
        self._run("pg_ctl", "stop", "-D", self.data, "-m", mode, "-w", "-t", "30")

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            self.stop("fast")
        shutil.rmtree(self.home, ignore_errors=True)

    def _run(self, command, *args):
        completed = subprocess.run([*self.prefix, str(self.bin / command), *map(str, args)],
                                   check=False, capture_output=True, text=True, timeout=60)
        if completed.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise AssertionError(f"{command} {' '.join(map(str, args))} failed: {completed.stderr}\n{log}")


@contextmanager
def own_server(bin_dir, prefix):
    """A new PostgreSQL server, running; stopped and deleted afterwards."""
    server = Server(bin_dir, prefix)
    try:
        server.create()
        server.start()
        yield server
    finally:
        server.remove()
