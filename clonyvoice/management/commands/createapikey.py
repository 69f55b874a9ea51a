"""`python manage.py createapikey --name NAME`: prints a new key as the last line."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clonyvoice.accounts import owner_get
from clonyvoice.errors import ServiceError
from clonyvoice.keys import apikey_create
from clonyvoice.scopes import ALL_SCOPES


class Command(BaseCommand):
    help = "Create an API key (for scripts and headless installs). The key is the last line printed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--scopes", default="all", help="'all' or a comma-separated list")
        parser.add_argument("--limit", action="append", default=[], metavar="SCOPE=N", help="per-minute limit")
        parser.add_argument("--user", help="owner username (default: the owner account)")

    def handle(self, *args, name: str, scopes: str, limit: list[str], user: str | None, **options) -> None:
        owner = self._owner(user)
        wanted = list(ALL_SCOPES) if scopes.strip() == "all" else [s.strip() for s in scopes.split(",") if s.strip()]
        limits: dict[str, int] = {}
        for item in limit:
            scope, _, value = item.partition("=")
            if not value.isdigit():
                raise CommandError(f"--limit takes SCOPE=N, got {item!r}")
            limits[scope.strip()] = int(value)
        try:
            issued = apikey_create(owner=owner, name=name, scopes=wanted, limits=limits)
        except ServiceError as exc:
            raise CommandError(exc.detail) from exc
        scope_list = ", ".join(issued.api_key.scopes)
        self.stdout.write(f"Created key {issued.api_key.name!r} for {owner.get_username()} with scopes {scope_list}.")
        self.stdout.write(issued.token)

    def _owner(self, username: str | None):
        if username:
            found = get_user_model().objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"No user {username!r}.")
            return found
        owner = owner_get()
        if owner is None:
            raise CommandError("No owner account yet: run `python manage.py serve` once, or pass --user.")
        return owner
