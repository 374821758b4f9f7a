"""A deadline for a whole HTTP response: every socket operation of httpx gets only the time left.

httpcore reads its timeout once per response, so only the network backend can hand each
read the time left; httpx has no public way to give its pool a backend (it is pinned,
and tests/test_fetch.py fails if this stops working).
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING

import httpcore
import httpx

if TYPE_CHECKING:
    import ssl


def _time_left(deadline: float, timeout: float | None, error: type[Exception]) -> float:
    """What an operation may take: the time left (or its own timeout if shorter); `error` if none is."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream:
    """An httpcore network stream whose reads and writes may take only the time left."""
    def __init__(self, stream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        return _time_left(self._deadline, timeout, error)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None) -> _DeadlineStream:
        secured = self._stream.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(secured, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend:
    """httpcore's socket backend, with every stream it opens held to one deadline."""
    def __init__(self, deadline: float) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def _left(self, timeout: float | None) -> float:
        return _time_left(self._deadline, timeout, httpcore.ConnectTimeout)

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options=None
    ) -> _DeadlineStream:
        stream = self._backend.connect_tcp(host, port, self._left(timeout), local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None) -> _DeadlineStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, self._left(timeout), socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # loading the CA bundle costs ~30 ms: once per process


def client(deadline: float, timeout: float) -> httpx.Client:
    # (A proxy from the environment gets httpx's own transport: the checks between chunks
    # in fetch still stop it, one read late at worst.)
    transport = httpx.HTTPTransport(verify=ssl_context())
    transport._pool = httpcore.ConnectionPool(ssl_context=ssl_context(), network_backend=_DeadlineBackend(deadline))
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)
