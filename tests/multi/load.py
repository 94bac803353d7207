"""A bounded write load: a few clients sending writes through nginx, each retried until it is answered.

A retry carries the same Idempotency-Key (or check-in nonce) as the first attempt, so a write whose answer
was lost is answered again, not done twice. Retried: a connection that failed or broke, and 500/502/503
(the database or a worker was away).
"""
import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass, field

from tests.multi.cluster import READY_SECONDS, request, wait_until

RETRIED = {500, 502, 503}
CLIENTS = 4


@dataclass
class Write:
    path: str
    body: dict
    headers: dict
    status: int | None = None  # the answer's, once it came
    answer: dict | str | None = None
    attempts: int = 0
    waited: float = 0.0  # seconds from the first attempt to the answer
    failures: list = field(default_factory=list)  # what each failed attempt met


class Load:
    """Clients taking writes from a queue until told to stop; the test adds writes while faults happen."""

    def __init__(self, port):
        self.port, self.queue = port, queue.Queue()
        self.answered, self.failed_attempts = [], 0
        self._lock, self._stopping = threading.Lock(), threading.Event()
        self._clients = [threading.Thread(target=self._client, daemon=True) for _ in range(CLIENTS)]

    def __enter__(self):
        for client in self._clients:
            client.start()
        return self

    def __exit__(self, *exc):
        self._stopping.set()
        for client in self._clients:
            client.join(READY_SECONDS + 5)  # a write gives up after READY_SECONDS
        assert not any(client.is_alive() for client in self._clients), "a client of the load did not stop"

    def add(self, writes):
        for write in writes:
            self.queue.put(write)

    def wait_for(self, count, what):
        wait_until(lambda: len(self.answered) >= count, f"{count} writes answered ({what})")

    def _client(self):
        while not self._stopping.is_set():
            try:
                write = self.queue.get(timeout=0.05)
            except queue.Empty:
                continue
            self._deliver(write)
            with self._lock:
                self.answered.append(write)

    def _deliver(self, write):
        started = time.monotonic()
        while True:
            write.attempts += 1
            status, answer = self._send(write)
            if status not in RETRIED and status is not None:
                write.status, write.answer, write.waited = status, answer, time.monotonic() - started
                return
            write.failures.append(status or answer)
            with self._lock:
                self.failed_attempts += 1
            if time.monotonic() - started > READY_SECONDS:
                write.status = "gave up"  # the test's checks name it
                return
            time.sleep(min(0.01 * 2 ** write.attempts, 0.2))  # a client's patience while the server comes back

    def _send(self, write):
        headers = {"Content-Type": "application/json", **write.headers}
        try:
            answer = request(self.port, "POST", write.path, json.dumps(write.body), headers, timeout=10)
        except (OSError, http.client.HTTPException) as error:
            return None, type(error).__name__
        try:
            return answer.status, answer.json()
        except ValueError:
            return answer.status, answer.body.decode(errors="replace")[:200]
