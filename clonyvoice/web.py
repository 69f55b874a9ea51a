"""daphne as `serve` runs it: connections handed over by the front door, an access log without query strings.

    python -m clonyvoice.web [--handoff @NAME] [daphne's own arguments] clonyvoice.asgi:application

A client that puts its key in the URL (`?api_key=...`) is refused, and the key must not be written
down either; paths alone are enough to read the log.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import socket
import struct
import sys
from typing import Any

from daphne import cli
from daphne.access import AccessLogGenerator
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.server import Server
from twisted.internet import interfaces, reactor
from twisted.internet.protocol import Factory, Protocol
from zope.interface import implementer

from clonyvoice.frontdoor import unix_address

logger = logging.getLogger(__name__)


class PathOnlyAccessLog(AccessLogGenerator):
    """daphne's access log with each request's query string left out."""

    def __call__(self, protocol: Any, action: str, details: dict[str, Any]) -> None:
        if isinstance(details.get("path"), str):
            details = {**details, "path": details["path"].split("?", 1)[0]}
        super().__call__(protocol, action, details)


class FormlessRequest(WebRequest):
    """daphne's request without Twisted's own parse of form bodies.

    Django parses them. Twisted's parse read every multipart upload into memory a second time, and
    answered a malformed one with a bare 400 that no client can read as an error.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs, parsePOSTFormSubmission=False)


class FormlessHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = FormlessRequest
        return protocol


@implementer(interfaces.IFileDescriptorReceiver)
class HandoffReceiver(Protocol):
    """Takes client sockets from the front door and serves each as if daphne had accepted it."""

    def __init__(self, target: Factory) -> None:
        self.target = target

    def connectionMade(self) -> None:
        # An abstract socket has no file permissions: only this user's processes may hand over.
        creds = self.transport.socket.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        if uid != os.getuid():
            self.transport.loseConnection()

    def fileDescriptorReceived(self, descriptor: int) -> None:
        try:
            probe = socket.socket(fileno=descriptor)
            family = probe.family
            probe.detach()
            os.set_blocking(descriptor, False)
            reactor.adoptStreamConnection(descriptor, family, self.target)
        except OSError:
            pass  # the client left while it was being handed over
        finally:
            # The reactor holds its own duplicate of the socket.
            os.close(descriptor)

    def dataReceived(self, data: bytes) -> None:
        """One marker byte rides with each descriptor; nothing to do with it."""


class HandoffFactory(Factory):
    def __init__(self, target: Factory) -> None:
        self.target = target

    def buildProtocol(self, addr: Any) -> HandoffReceiver:
        return HandoffReceiver(self.target)


class HandoffServer(Server):
    """daphne serving only the connections the front door hands over on `handoff`."""

    def __init__(self, application: Any, *, handoff: str, **kwargs: Any) -> None:
        # daphne refuses to start with no endpoint (and its command line adds a TCP default); the
        # hand-off socket is this server's one endpoint, and it is not one daphne can listen on itself.
        super().__init__(application, **{**kwargs, "endpoints": [handoff]})
        self.endpoints = []
        self.handoff = handoff

    def run(self) -> None:
        reactor.callWhenRunning(self._listen_handoff)
        super().run()

    def _listen_handoff(self) -> None:
        try:
            reactor.listenUNIX(unix_address(self.handoff), HandoffFactory(FormlessHTTPFactory(self)))
            logger.info("serving the connections handed over on %s", self.handoff)
        except Exception as exc:  # noqa: BLE001 - twisted raises CannotListenError and friends
            logger.critical("cannot listen on the hand-off socket %s: %s", self.handoff, exc)
            self.stop()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--handoff")
    ours, rest = parser.parse_known_args(argv)
    cli.AccessLogGenerator = PathOnlyAccessLog
    interface = cli.CommandLineInterface()
    if ours.handoff:
        # Its "Starting server at tcp:..." names the TCP default this server does not listen on.
        logging.getLogger("daphne.cli").addFilter(lambda record: not record.getMessage().startswith("Starting server"))
        interface.server_class = functools.partial(HandoffServer, handoff=ours.handoff)
    interface.run(rest)


if __name__ == "__main__":
    main(sys.argv[1:])
