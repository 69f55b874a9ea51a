"""Reading an untrusted zip: every limit is checked on what is actually read, never on what headers claim.

Headers are still used to refuse early (an archive that claims too much is not worth opening), but the
sizes and the compression ratio that count are the ones measured while decompressing, so a crafted
header cannot get more bytes past the limits.
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from clonyvoice.errors import ServiceError

CHUNK = 1024 * 1024
# Entries smaller than this may compress as well as they like: a small JSON file can shrink 50x.
RATIO_GRACE_BYTES = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def _consumed(source: zipfile.ZipExtFile, info: zipfile.ZipInfo) -> int:
    """Compressed bytes taken from the archive so far (all of the header's claim if zipfile hides it)."""
    left = getattr(source, "_compress_left", None)
    return max(1, info.compress_size - left) if isinstance(left, int) else max(1, info.compress_size)


class ArchiveRejected(ServiceError):
    """A .clonyvoice file that is not safe or not valid to read; answered with 400 and the reason."""

    code = "invalid_archive"


@dataclass(frozen=True)
class ZipLimits:
    """How much an archive may hold, counted in decompressed bytes actually read."""

    max_entries: int
    max_total_bytes: int
    max_ratio: float

    @classmethod
    def from_settings(cls) -> ZipLimits:
        return cls(
            max_entries=settings.CLONYVOICE_IMPORT_MAX_ENTRIES,
            max_total_bytes=settings.CLONYVOICE_IMPORT_MAX_BYTES,
            max_ratio=settings.CLONYVOICE_IMPORT_MAX_RATIO,
        )


def check_name(name: str) -> str:
    """Refuse an entry name that could land outside the folder it is extracted to."""
    shown = name[:200]
    if not name or "\x00" in name or "\\" in name:
        raise ArchiveRejected(f"The archive holds an entry with an invalid name: {shown!r}.", code="unsafe_path")
    if name.startswith("/") or _DRIVE.match(name):
        raise ArchiveRejected(f"The archive holds an absolute path: {shown!r}.", code="unsafe_path")
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        raise ArchiveRejected(f"The archive holds a path that climbs out with '..': {shown!r}.", code="unsafe_path")
    if any(part in ("", ".") for part in parts):
        raise ArchiveRejected(f"The archive holds a malformed path: {shown!r}.", code="unsafe_path")
    return name


class SafeZip:
    """A zip opened for reading with checks on names, links, entry count, sizes and compression ratio.

    Directories are ignored; every other entry must be a plain file, stored or deflated, unencrypted.
    """

    def __init__(self, file: BinaryIO, *, limits: ZipLimits | None = None) -> None:
        self.limits = limits or ZipLimits.from_settings()
        try:
            self._zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise ArchiveRejected(
                "The file is not a .clonyvoice archive (it is not a zip file).", code="not_a_zip"
            ) from exc
        self.entries: dict[str, zipfile.ZipInfo] = {}
        self._read_total = 0
        try:
            self._check_directory()
        except BaseException:
            self._zip.close()
            raise

    def _check_directory(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise ArchiveRejected(
                f"The archive holds {len(infos)} entries; at most {self.limits.max_entries} are allowed.",
                code="too_many_entries",
            )
        claimed = 0
        for info in infos:
            name = check_name(info.filename)
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind == stat.S_IFLNK:
                raise ArchiveRejected(f"The archive holds a link: {name[:200]!r}.", code="link_entry")
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise ArchiveRejected(f"The archive holds a special file: {name[:200]!r}.", code="unsafe_entry")
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ArchiveRejected(f"The archive holds an encrypted entry: {name[:200]!r}.", code="unsafe_entry")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ArchiveRejected(
                    f"The entry {name[:200]!r} uses a compression method other than stored or deflated.",
                    code="unsafe_entry",
                )
            if name in self.entries:
                raise ArchiveRejected(f"The archive holds {name[:200]!r} twice.", code="duplicate_entry")
            self.entries[name] = info
            claimed += info.file_size
        if claimed > self.limits.max_total_bytes:
            raise ArchiveRejected(self._too_large(), code="too_large")

    def _too_large(self) -> str:
        return f"The archive unpacks to more than {self.limits.max_total_bytes} bytes, the limit."

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stream(self, name: str) -> Iterator[bytes]:
        """The decompressed bytes of one entry, in chunks, with every limit enforced as they arrive."""
        info = self.entries[name]
        limits = self.limits
        read = 0
        try:
            with self._zip.open(info) as source:
                while chunk := source.read(CHUNK):
                    read += len(chunk)
                    self._read_total += len(chunk)
                    if self._read_total > limits.max_total_bytes:
                        raise ArchiveRejected(self._too_large(), code="too_large")
                    if read > RATIO_GRACE_BYTES and read > limits.max_ratio * _consumed(source, info):
                        raise ArchiveRejected(
                            f"The entry {name[:200]!r} expands more than {limits.max_ratio:g} times: "
                            "a compression bomb is refused.",
                            code="compression_ratio",
                        )
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise ArchiveRejected(f"The entry {name[:200]!r} is damaged: {exc}", code="damaged_archive") from exc

    def read_bytes(self, name: str, *, max_bytes: int) -> bytes:
        """A small entry read into memory, refused past `max_bytes`."""
        parts, size = [], 0
        for chunk in self.stream(name):
            size += len(chunk)
            if size > max_bytes:
                raise ArchiveRejected(f"The entry {name[:200]!r} is larger than {max_bytes} bytes.", code="too_large")
            parts.append(chunk)
        return b"".join(parts)

    def digest(self, name: str, *, into: Path | None = None) -> tuple[str, int]:
        """sha256 and size of an entry, optionally written to `into` as it is read."""
        sha, size = hashlib.sha256(), 0
        out = open(into, "xb") if into is not None else None  # noqa: SIM115 - closed below
        try:
            for chunk in self.stream(name):
                sha.update(chunk)
                size += len(chunk)
                if out is not None:
                    out.write(chunk)
        finally:
            if out is not None:
                out.close()
        return sha.hexdigest(), size
