"""daphne as `serve` runs it: the same command line, an access log without query strings.

A client that puts its key in the URL (`?api_key=...`) is refused, and the key must not be written
down either; paths alone are enough to read the log.
"""

from __future__ import annotations

from typing import Any

from daphne import cli
from daphne.access import AccessLogGenerator


class PathOnlyAccessLog(AccessLogGenerator):
    """daphne's access log with each request's query string left out."""

    def __call__(self, protocol: Any, action: str, details: dict[str, Any]) -> None:
        if isinstance(details.get("path"), str):
            details = {**details, "path": details["path"].split("?", 1)[0]}
        super().__call__(protocol, action, details)


if __name__ == "__main__":
    cli.AccessLogGenerator = PathOnlyAccessLog
    cli.CommandLineInterface.entrypoint()
