"""Frames: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (one object)."""

from __future__ import annotations

import array
import codecs
import json
import socket
import struct

MAX_REQUEST_BYTES = 64 * 1024 * 1024
_LENGTH = struct.Struct(">I")


class ProtocolError(Exception):
    """The peer sent something that is not a frame of this protocol."""


class ChannelClosed(Exception):
    """The peer closed the channel at a frame boundary."""


def _replace_surrogates(error: UnicodeError):
    # The UTF-8 encoder takes only ASCII text from a handler, so hand it U+FFFD's bytes.
    return "\ufffd".encode("utf-8") * (error.end - error.start), error.end


codecs.register_error("sandbox.surrogate", _replace_surrogates)


def encode(message: dict) -> bytes:
    """The frame of `message`. A lone surrogate anywhere in it (a cell can print, return, raise
    or submit `'\\ud800'`) cannot be UTF-8, so it becomes U+FFFD: the frame stays valid UTF-8
    JSON. JSON's own syntax is ASCII, so the replacement can only land inside a string."""
    text = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:
        body = text.encode("utf-8", "sandbox.surrogate")
    return _LENGTH.pack(len(body)) + body


def _read_exactly(sock: socket.socket, count: int, at_boundary: bool) -> bytes:
    chunks = []
    remaining = count
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            if at_boundary and remaining == count:
                raise ChannelClosed()
            raise ProtocolError(f"channel closed inside a frame ({count - remaining} of {count} bytes read)")
        chunks.append(chunk)
        remaining -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_frame(sock: socket.socket, max_bytes: int = MAX_REQUEST_BYTES) -> dict:
    (length,) = _LENGTH.unpack(_read_exactly(sock, 4, True))
    if length > max_bytes:
        raise ProtocolError(f"frame of {length} bytes exceeds the maximum of {max_bytes}")
    body = _read_exactly(sock, length, False)
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(f"frame is not UTF-8 JSON: {error}") from None
    if not isinstance(message, dict):
        raise ProtocolError(f"frame is JSON but not an object: {type(message).__name__}")
    return message


def write_frame(sock: socket.socket, message: dict) -> None:
    sock.sendall(encode(message))


def write_frame_with_fd(sock: socket.socket, message: dict, fd: int) -> None:
    """Sends the whole frame in one sendmsg carrying `fd` as SCM_RIGHTS (then any remainder)."""
    data = encode(message)
    sent = sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))])
    if sent < len(data):
        sock.sendall(data[sent:])
