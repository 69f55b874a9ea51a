"""Drive every operation of the OpenAPI schema with schemathesis-generated requests and collect failures.

Shared by tests/reliability/test_schema_fuzz.py (in-process, few examples) and bench/fuzz.py (the real
server over HTTP, many examples).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

# 5xx answers that are the documented design, not a crash: a model that is not installed (DESIGN.md),
# and a contract endpoint whose feature has not landed yet.
BY_DESIGN = {503: "model_not_installed", 501: "not_implemented"}


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's not_a_server_error, less the 5xx answers that are the documented design."""
    if response.status_code in BY_DESIGN:
        try:
            if response.json().get("error") == BY_DESIGN[response.status_code]:
                return True
        except ValueError:
            pass
    return not_a_server_error(ctx, response, case)


# A crash, and a documented response whose body or content type differs from the schema. Statuses the
# schema does not list (a 400 or 404 on generated garbage) are fine.
CHECKS = [no_server_error, response_schema_conformance, content_type_conformance]
# Fetches from the internet: without network it only waits on DNS; its refusals have their own tests.
SKIPPED_PATHS = ("/api/download-video",)


@dataclass
class FuzzReport:
    operations: int = 0
    calls: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "operations": self.operations,
            "calls": self.calls,
            "statuses": dict(sorted(self.statuses.items())),
            "failures": self.failures,
            "schema_errors": self.errors,
            "seconds": round(self.seconds, 1),
        }


def fuzz(
    schema: Any,
    *,
    headers: dict[str, str],
    max_examples: int,
    call_kwargs: dict[str, Any] | None = None,
    derandomize: bool = True,
    progress: Callable[[str], None] | None = None,
) -> FuzzReport:
    """Run each operation's generated cases; the first failing check of an operation is its failure."""
    report = FuzzReport()
    started = time.monotonic()
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            report.errors[str(result.err())[:200]] = "schema could not be read"
            continue
        operation = result.ok()
        if operation.path.startswith(SKIPPED_PATHS):
            continue
        report.operations += 1
        label = f"{operation.method.upper()} {operation.path}"
        if progress:
            progress(label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=derandomize,
            database=None,
            report_multiple_bugs=False,
        )
        def run(case: Any) -> None:
            response = case.call(headers=headers, **(call_kwargs or {}))
            report.calls += 1
            report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        # schemathesis raises its failures as a BaseExceptionGroup
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failure is collected, the run goes on
            report.failures[label] = str(exc)[:3000]
    report.seconds = time.monotonic() - started
    return report
