"""The /ws event types of the frontend (`frontend/src/events.ts`) against the one definition in
`clonyvoice/event_contract.py`, and that definition against what the backend sends; the job kinds the
frontend labels (`frontend/src/jobKinds.ts`) against the kinds the backend creates."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from clonyvoice import event_contract
from clonyvoice.events import job_payload
from clonyvoice.models import Job

ROOT = Path(__file__).resolve().parents[2]
EVENTS_TS = (ROOT / "frontend/src/events.ts").read_text()
JOB_KINDS_TS = (ROOT / "frontend/src/jobKinds.ts").read_text()

INTERFACE = re.compile(r"export interface (\w+)(?: extends (\w+))? \{\n(.*?)\n\}", re.S)
FIELD = re.compile(r"^  (\w+)(\??): ([^;]+);", re.M)


def ts_interfaces() -> dict[str, dict[str, tuple[bool, str]]]:
    """name → field → (required, TS type), with the fields of the interface it extends."""
    found: dict[str, dict[str, tuple[bool, str]]] = {}
    for name, parent, body in INTERFACE.findall(EVENTS_TS):
        fields = dict(found.get(parent, {})) if parent else {}
        fields.update({field: (not optional, kind.strip()) for field, optional, kind in FIELD.findall(body)})
        found[name] = fields
    return found


def ts_union(name: str) -> set[str]:
    match = re.search(rf"export type {name} = ([^;]+);", EVENTS_TS)
    assert match, f"no union {name} in events.ts"
    return {part.strip() for part in match.group(1).split("|")}


def typed_dict_fields(cls: type) -> dict[str, bool]:
    return {name: name in cls.__required_keys__ for name in typing.get_type_hints(cls)}


def literal_values(tp: object) -> set[str]:
    return set(typing.get_args(tp))


GENERATION_MODE_KINDS = {"generation.single", "generation.chunked", "generation.multivoice", "generation.multilang"}
EVENT_CLASSES = [*typing.get_args(event_contract.JobEvent), event_contract.SystemStatsEvent]


def test_the_unions_name_the_same_events():
    assert ts_union("JobEvent") == {cls.__name__ for cls in typing.get_args(event_contract.JobEvent)}
    assert ts_union("ServerEvent") == {"JobEvent", "SystemStatsEvent"}


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_each_event_has_the_same_type_and_fields(cls):
    interfaces = ts_interfaces()
    assert cls.__name__ in interfaces, f"events.ts has no interface {cls.__name__}"
    ts_fields = interfaces[cls.__name__]
    assert {name: required for name, (required, _) in ts_fields.items()} == typed_dict_fields(cls)
    (type_name,) = literal_values(typing.get_type_hints(cls)["type"])
    assert ts_fields["type"][1] == f'"{type_name}"'


def test_job_statuses_and_terminal_ones_match():
    ts_statuses = set(re.findall(r'"(\w+)"', re.search(r"export type JobStatus = ([^;]+);", EVENTS_TS).group(1)))
    assert ts_statuses == literal_values(event_contract.JobStatus) == set(Job.Status.values)
    ts_terminal = re.search(r"TERMINAL_STATUSES[^=]*= new Set<JobStatus>\(\[([^\]]*)\]\)", EVENTS_TS).group(1)
    assert set(re.findall(r'"(\w+)"', ts_terminal)) == set(event_contract.TERMINAL_STATUSES) == set(Job.FINISHED)
    ts_events = dict(re.findall(r'"(job\.\w+)": "(\w+)"', EVENTS_TS))
    assert ts_events == event_contract.TERMINAL_EVENTS


def test_the_contract_matches_what_the_backend_sends():
    sent = set(job_payload(Job(kind="generation.single", queue="synthesis"))) | {"type", "sent_at"}
    assert sent == set(typed_dict_fields(event_contract.JobEventBase)) | {"type"}
    consumer = (ROOT / "clonyvoice/consumers.py").read_text()
    for cls in typing.get_args(event_contract.JobEvent):
        (type_name,) = literal_values(typing.get_type_hints(cls)["type"])
        handler = type_name.replace(".", "_")
        assert f"{handler} = forward" in consumer, f"the /ws consumer does not forward {type_name}"


def test_every_job_kind_has_a_label_and_exists_in_the_backend():
    ts_kinds = set(re.findall(r'^  "?([\w.]+)"?: "job\.kind\.', JOB_KINDS_TS, re.M))
    assert ts_kinds == set(event_contract.JOB_KINDS)
    backend = "\n".join(
        path.read_text()
        for app in ("clonyvoice", "synthesis", "cloning", "timeline", "voices", "systemstats")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )
    modes = re.search(r'kind=f"generation\.\{mode\}"', backend)
    for kind in event_contract.JOB_KINDS:
        if kind in GENERATION_MODE_KINDS:
            assert modes, "generations no longer create their job as generation.<mode>"
            continue
        assert f'"{kind}"' in backend, f"no job kind {kind!r} in the backend any more"
    for lang in ("en", "ru"):
        catalog = (ROOT / f"frontend/src/i18n/{lang}.ts").read_text()
        for kind in event_contract.JOB_KINDS:
            assert f'"job.kind.{kind}":' in catalog, f"{lang}.ts has no label for {kind}"
