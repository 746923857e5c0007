"""A bare HTTP/1.1 client over a socket, for requests no well-behaved client library would send:
bytes that are not UTF-8, broken percent-encoding, control characters in the target."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RawResponse:
    """A response as it came over the wire."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


def send(
    url: str,
    target: bytes,
    *,
    method: bytes = b"GET",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    timeout: float = 60,
) -> RawResponse:
    """Send one request with `target` as the request target, byte for byte, and read the answer
    (the connection closes after it)."""
    address = urlsplit(url)
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: " + address.netloc.encode()]
    lines += [name + b": " + value for name, value in headers or []]
    lines += [b"Connection: close", b"Content-Length: " + str(len(body)).encode()]
    request = b"\r\n".join(lines) + b"\r\n\r\n" + body
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return _parse(b"".join(chunks))


def _parse(data: bytes) -> RawResponse:
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = _unchunk(body)
    return RawResponse(int(status_line.split(" ")[1]), headers, body)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return bytes(out)
