"""Content-Encoding undone here, in bounded steps: a gzip bomb stops at the limit, not at a gigabyte."""

from __future__ import annotations

import zlib
from typing import Iterator

from scraper.catalog.model import ScrapeError

ACCEPT_ENCODING = "gzip, deflate"  # what the request asks for, and all this module undoes


class Truncated(Exception):
    """The compressed stream stopped before its end: a broken connection, worth another try."""


def size(n: int) -> str:
    return f"{n // 2**20} MiB" if n % 2**20 == 0 else f"{n} bytes"


def codings(url: str, header: str | None) -> str | None:
    """The one Content-Encoding to undo (None for identity); anything not asked for is refused."""
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip() and c.strip().lower() != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return codings[0]
    raise ScrapeError(f"{url}: Content-Encoding {header.strip()} was not asked for (the request accepts {ACCEPT_ENCODING})")


def _zlib_wrapped(head: bytes) -> bool:
    """Whether a deflate body starts with the zlib header RFC 1950 asks for (method 8, check bits)."""
    cmf, flg = head[0], head[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf << 8 | flg) % 31 == 0


class Decoder:
    """Undoes a Content-Encoding in steps that never produce more than `limit` bytes in all.

    zlib's `max_length` stops inflating at the limit and keeps the rest of the input in
    `unconsumed_tail`, so a bomb is refused after `limit` bytes, not after it is inflated.
    """

    def __init__(self, url: str, coding: str | None, limit: int) -> None:
        self.url, self.coding, self.limit = url, coding, limit
        self.produced = 0
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16) if coding in ("gzip", "x-gzip") else None
        self._head = b""  # a deflate body's first bytes, until they show whether it is zlib-wrapped

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.coding is None:
            yield data  # identity: the received-bytes limit already holds
            return
        if self._zlib is None:
            # "deflate" means zlib-wrapped, but some servers send it raw (httpx reads both)
            data, self._head = self._head + data, b""
            if len(data) < 2:
                self._head = data
                return
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if _zlib_wrapped(data) else -zlib.MAX_WBITS)
        while data:
            yield self._count(self._inflate(data))
            if not self._zlib.eof:
                data = self._zlib.unconsumed_tail
            elif data := self._zlib.unused_data:
                self._next_member()

    def _inflate(self, data: bytes) -> bytes:
        room = self.limit - self.produced + 1  # one byte more than allowed shows the overflow
        try:
            return self._zlib.decompress(data, room)
        except zlib.error as error:
            raise ScrapeError(f"{self.url}: {self.coding} body is corrupt ({error})") from None

    def _count(self, piece: bytes) -> bytes:
        self.produced += len(piece)
        if self.produced > self.limit:
            raise ScrapeError(f"{self.url}: {self.coding} body inflates past the {size(self.limit)} limit; refused")
        return piece

    def _next_member(self) -> None:
        # a gzip body may be several members back to back; a deflate stream is one
        if self.coding == "deflate":
            raise ScrapeError(f"{self.url}: deflate body has data after its end")
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def check_complete(self) -> None:
        if self.coding is not None and (self._zlib is None or not self._zlib.eof):
            raise Truncated(f"{self.coding} body truncated (the compressed stream does not end)")
