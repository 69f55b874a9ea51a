"""`python manage.py serve`: the whole product in one command."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from clonyvoice import embedded_redis
from clonyvoice.accounts import owner_ensure
from clonyvoice.frontdoor import handoff_name, listen, unix_address
from clonyvoice.supervisor import Child, Supervisor
from synthesis.engines import prepare_packaged_models

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host.strip("[]"), port), timeout=0.5):
            return True
    except OSError:
        return False


def _unix_open(name: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(unix_address(name))
            return True
        except OSError:
            return False


class Command(BaseCommand):
    help = (
        "Run ClonyVoice: embedded Redis (unless REDIS_URL), daphne for HTTP and for /ws behind one port, "
        "and the Dramatiq workers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=settings.CLONYVOICE_CPU_THREADS, help="threads of the cpu-queue worker"
        )
        parser.add_argument("--no-workers", action="store_true", help="web only: workers run elsewhere")

    def handle(self, *args, host: str, port: int, workers: int, no_workers: bool, **options) -> None:
        data_dir = Path(settings.DATA_DIR)
        lock = self._lock(data_dir)
        try:
            listen(host, port).close()
        except OSError as exc:
            lock.close()
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise CommandError(f"Cannot listen on {host}:{port}: {reason}.") from exc
        env = {**os.environ, "CLONYVOICE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
        supervisor = Supervisor()
        signal.signal(signal.SIGINT, supervisor.request_stop)
        signal.signal(signal.SIGTERM, supervisor.request_stop)
        try:
            if settings.EMBEDDED_REDIS:
                embedded_redis.clear_stale_socket(data_dir)
                redis_child = Child("redis", embedded_redis.server_argv(data_dir), env, stop_timeout=20)
                supervisor.start_tier([redis_child], ready=lambda: embedded_redis.is_up(data_dir))
            prepare_packaged_models(log=self.stdout.write)
            call_command("migrate", interactive=False, verbosity=0)
            owner, password = owner_ensure()
            if password:
                self.stdout.write(
                    self.style.WARNING(
                        f"Created the owner account. Log in with username '{owner.get_username()}' "
                        f"and password '{password}' (shown once; change it in the admin)."
                    )
                )
            python = sys.executable
            # HTTP and /ws in daphnes of their own, behind one port: see clonyvoice/frontdoor.py.
            handoffs = {role: handoff_name(data_dir, role) for role in ("web", "ws")}
            tier = [
                Child(role, [python, "-m", "clonyvoice.web", "--handoff", name, "clonyvoice.asgi:application"], env)
                for role, name in handoffs.items()
            ]
            if not no_workers:
                tier += [
                    Child("worker-gpu", [python, MANAGE, "worker", "--queues", "gpu"], env, stop_timeout=40),
                    Child(
                        "worker-cpu",
                        [python, MANAGE, "worker", "--queues", "cpu", "--threads", str(workers)],
                        env,
                        stop_timeout=40,
                    ),
                ]
            supervisor.start_tier(tier, ready=lambda: all(map(_unix_open, handoffs.values())), timeout=60)
            front = [python, "-m", "clonyvoice.frontdoor", "--host", host, "--port", str(port)]
            front += ["--web", handoffs["web"], "--ws", handoffs["ws"]]
            front += ["--max-body", str(settings.CLONYVOICE_MAX_UPLOAD_BYTES)]
            supervisor.start_tier([Child("front", front, env)], ready=lambda: _port_open(host, port), timeout=30)
            shown = f"[{host}]" if ":" in host else host
            self.stdout.write(self.style.SUCCESS(f"ClonyVoice is running at http://{shown}:{port}/"), ending="\n")
            self.stdout.flush()
            supervisor.watch()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            self.stdout.write("Stopping ClonyVoice…")
            supervisor.stop()
            lock.close()
            self.stdout.write("Stopped.")
            self.stdout.flush()

    def _lock(self, data_dir: Path) -> TextIO:
        # Held for the life of the process; closing it releases the lock.
        handle = open(data_dir / "serve.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise CommandError(f"Another ClonyVoice is already serving from {data_dir}.") from None
        handle.write(str(os.getpid()))
        handle.flush()
        return handle
