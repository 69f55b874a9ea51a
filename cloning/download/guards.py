"""URL and address checks against server-side request forgery, for every request, hop and connection."""

from __future__ import annotations

import ipaddress
import re
import socket
import urllib.parse
from collections.abc import Callable
from typing import Any

from django.conf import settings

from clonyvoice.errors import ServiceError

MAX_URL_LENGTH = 2000
_NUMERIC_HOST = re.compile(r"^[0-9a-fA-Fx.]+$")


class DownloadRefused(ServiceError):
    """A URL or a download refused by the guards; answered with 400 and the reason."""

    code = "url_refused"


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address may not be fetched, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and (reason := _refusal(embedded)):
            return reason
    checks = (
        ("is_unspecified", "the unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, reason in checks:
        if getattr(ip, attribute):
            return reason
    return None if ip.is_global else "not a public address"


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a numeric host stands for, in any form the C resolver accepts (2130706433, 0x7f.1, ...)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def resolve(host: str, port: int | None = None) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address `host` stands for."""
    if (literal := _literal(host)) is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise DownloadRefused(f"The host {host!r} could not be resolved.") from exc
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))


def _allowed_hosts() -> set[str]:
    return {h.lower().strip("[]") for h in settings.CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS}


def host_check(host: str, port: int | None = None) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses `host` may be reached at; DownloadRefused when any is not public (unless allowed)."""
    host = host.lower().rstrip(".")
    addresses = resolve(host, port)
    if not addresses:
        raise DownloadRefused(f"The host {host!r} could not be resolved.")
    if host in _allowed_hosts():
        return addresses
    for ip in addresses:
        if reason := _refusal(ip):
            shown = host if str(ip) == host else f"{host} ({ip})"
            raise DownloadRefused(f"{shown} is {reason}; downloads from it are refused.")
    return addresses


def url_check(url: str) -> str:
    """Refuse a URL that is not http(s) or whose host is not a public address. Returns the URL."""
    if len(url) > MAX_URL_LENGTH:
        raise DownloadRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise DownloadRefused(f"The URL is malformed: {exc}.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise DownloadRefused(f"Only http and https URLs can be downloaded, not {parts.scheme or 'this'!r}.")
    if parts.username is not None or parts.password is not None:
        raise DownloadRefused("URLs with a user name or password are not accepted.")
    if not parts.hostname:
        raise DownloadRefused("The URL has no host.")
    host_check(parts.hostname, port)
    return url.strip()


class UrlGuard:
    """Checks every request, redirect and connection of one download; remembers the first refusal."""

    def __init__(self) -> None:
        self.refusal: str | None = None

    def refuse(self, exc: DownloadRefused) -> None:
        self.refusal = self.refusal or exc.detail

    def check_url(self, url: str) -> None:
        try:
            url_check(url)
        except DownloadRefused as exc:
            self.refuse(exc)
            raise

    def connect(self, address: tuple[str, int], timeout: Any, source_address: Any, connect: Callable) -> Any:
        """Resolve once, check, and connect to exactly the addresses checked."""
        host, port = address
        try:
            addresses = host_check(host, port)
        except DownloadRefused as exc:
            self.refuse(exc)
            raise
        error: OSError | None = None
        for ip in addresses:
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sockaddr = (str(ip), port, 0, 0) if ip.version == 6 else (str(ip), port)
            try:
                return connect((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr), timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError(f"could not connect to {host}")
