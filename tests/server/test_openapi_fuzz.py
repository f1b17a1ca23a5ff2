"""Schemathesis against the real server: every operation of /openapi.json, fuzzed over TLS.

The schema is loaded from the running server, so it is exactly what clients are told. Every
request carries ``DXDesk-Protocol`` (``PROTOCOL_VERSION``) and the bearer token of a logged-in
advisor assigned two municipalities that already hold a few records, and every answer must:

- not be a server error (5xx);
- have a status code the operation documents;
- have a content type documented for that status (problems are ``application/problem+json``);
- conform to the schema (and required headers) documented for that status and content type.

Schemathesis runs its examples, coverage and fuzzing phases, positive and negative, with a
modest number of examples per operation and no stateful runs. The wire schema says little
about what a change holds (``kind`` is any string, ``fields`` any names), so random pushes
rarely get past the first check; a hook turns part of each generated push into changes of real
kinds, with real field names, plausible values and the ids of existing records, so that creates,
updates, merges, conflicts and deletes are fuzzed too.

Runs on SQLite only (``database_url`` below overrides the SQLite/PostgreSQL parametrised fixture
of tests/server/fixtures.py): the checks concern the HTTP contract, and one database keeps the
file fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.records import KINDS, FieldType, KindSpec
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.problems import problem_response
from dxdesk.server.settings import Settings
from dxdesk.server.tables import Municipality
from dxdesk.wire.protocol import PROBLEM_MEDIA_TYPE, PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.server.fixtures import (
    PASSWORD,
    RunningServer,
    add_user,
    new_id,
    pull_all,
    push,
    serve_in_thread,
    visit_change,
)

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiCase

ADVISOR = "fuzz-advisor"
CODES = ("302015", "302023")  # 和歌山市, 海南市
PUSH_PATH = "/api/v1/sync/push"
LOGOUT_PATH = "/api/v1/logout"
LOGIN_PATH = "/api/v1/login"
# Awkward text: U+0000 (PostgreSQL cannot store it), a lone surrogate (no UTF-8, yet a JSON
# \u escape spells one), control characters, nothing.
AWKWARD_TEXT = ("a\x00b", "\udc00", "改行\r\nと\t", "")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# Examples per operation in the fuzzing phase (the examples and coverage phases are fixed sets):
# more for a push, whose body is the richest, fewer for a login, which hashes a password.
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": 25},
        "phases": {"stateful": {"enabled": False}},
        "operations": [
            {"include-path": PUSH_PATH, "generation": {"max-examples": 50}},
            {"include-path": LOGIN_PATH, "generation": {"max-examples": 10}},
        ],
    }
)


@dataclass
class Seeded:
    server: RunningServer
    kinds: dict[str, str]  # id to kind of the records already on the server
    unassigned: str  # a real municipality the advisor is not assigned


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: overrides the sqlite/postgresql parametrised fixture of the server plugin."""
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


@pytest.fixture
def seeded(server_db: ServerDatabase, dev_tls: DevCertificates) -> Iterator[Seeded]:
    """A server with an advisor and a few records in each of their municipalities.

    Fuzzed logins all come from 127.0.0.1, so the per-address limit is raised: otherwise the
    fresh logins the logout cases need would soon be refused. The per-account limit stays as
    it is, so repeated fuzzed names still reach the 429 answer.
    """
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(hide_password=False),
        max_failures_per_address=1_000_000,
    )
    with serve_in_thread(server_db, dev_tls, settings) as running:
        add_user(running.database, ADVISOR, codes=CODES)
        client = running.login(ADVISOR, device="seed")
        visits = [new_id() for _ in CODES]
        others = [new_id() for _ in range(4)]
        answer = push(
            client,
            *(
                visit_change(v, c, notes="第1段落\n\n第2段落")
                for v, c in zip(visits, CODES, strict=True)
            ),
            _create(others[0], "followup", engagement=visits[0], description="資料送付"),
            _create(others[1], "interview", engagement=visits[1], interviewee="課長"),
            _create(others[2], "assessment", municipality=CODES[0], fiscal_year=2025),
            _create(others[3], "article", title="書かない窓口の進め方"),
        )
        assert answer.status_code == 200, answer.text
        with running.database.transaction() as session:
            codes = session.scalars(select(Municipality.code).order_by(Municipality.code))
            unassigned = next(code for code in codes if code not in CODES)
        kinds = dict.fromkeys(visits, "visit")
        kinds.update(zip(others, ("followup", "interview", "assessment", "article"), strict=True))
        yield Seeded(running, kinds, unassigned)


def _create(record_id: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": record_id,
        "op": "create",
        "fields": {name: {"value": value} for name, value in fields.items()},
    }


def _token(server: RunningServer, device: str) -> str:
    client = server.login(ADVISOR, device=device)
    return str(client.headers["Authorization"]).removeprefix("Bearer ")


@pytest.fixture
def advisor_token(seeded: Seeded) -> str:
    return _token(seeded.server, "fuzz")


@pytest.fixture
def api_schema(seeded: Seeded) -> schemathesis.BaseSchema:
    loaded = schemathesis.openapi.from_url(
        f"{seeded.server.base_url}/openapi.json",
        config=CONFIG,
        verify=str(seeded.server.ca),
        timeout=30,
    )
    changes = _ChangeStrategies(seeded)

    @loaded.hook
    def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
        if context.operation is None or context.operation.path != PUSH_PATH:
            return st.just(body)
        return changes.push_body(body)

    return loaded


class _ChangeStrategies:
    """Generated pushes made realistic in part; the rest of each value stays as generated.

    Most changes get a real kind (that of an existing record when they target one), real field
    names and often plausible values; a push holds at most a few changes, since one refused
    change refuses the whole push and the later ones would never be looked at.
    """

    def __init__(self, seeded: Seeded) -> None:
        self.records = st.sampled_from(sorted(seeded.kinds.items()))
        self.visits = st.sampled_from([i for i, kind in seeded.kinds.items() if kind == "visit"])
        self.ids = st.sampled_from(sorted(seeded.kinds))
        codes = [*CODES, seeded.unassigned]
        self.codes = st.sampled_from([*codes, "３０２０１５", "302016", "", int(CODES[0])])
        self.item_codes = load_catalog().codes

    def push_body(self, body: Any) -> st.SearchStrategy[Any]:
        if not isinstance(body, dict) or not isinstance(body.get("changes"), list):
            return st.just(body)  # a negative case about the body as a whole
        return st.tuples(*(self.change(change) for change in body["changes"][:4])).map(
            lambda changes: {**body, "changes": list(changes)}
        )

    def change(self, change: Any) -> st.SearchStrategy[Any]:
        if not isinstance(change, dict) or not isinstance(change.get("fields", {}), dict):
            return st.just(change)  # a negative case about the change as a whole
        return st.builds(self._rewrite, st.just(change), st.data())

    def _rewrite(self, change: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
        draw = data.draw
        # Generated values: the kind may end up anything at all, not only a kind's name.
        record_id: object = change.get("id")
        kind: object = draw(st.sampled_from(sorted(KINDS)))
        if change.get("op") != "create" or draw(_often(False)):
            record_id, kind = draw(self.records)  # an existing record, with its kind
        if draw(st.integers(0, 7)) == 0:
            kind = change.get("kind")
        spec = KINDS.get(kind) if isinstance(kind, str) else None
        if spec is None:
            return {**change, "kind": kind, "id": record_id}
        names = [f.name for f in spec.fields if f.type is not FieldType.SCORES]
        if "scores" in spec.field_names:
            names += [f"scores.{code}" for code in self.item_codes]
        fields: dict[str, Any] = {}
        originals = list(change.get("fields", {}).values())
        originals += [{"value": None}] * (draw(st.integers(0, 3)) - len(originals))
        for original in originals:
            name = draw(st.sampled_from(names))
            fc = original if isinstance(original, dict) else {"value": original}
            value = draw(self.value(spec, name)) if draw(_often(True)) else fc.get("value")
            if draw(st.integers(0, 7)) == 0:
                fc = {**fc, "base": {"text": draw(st.sampled_from(AWKWARD_TEXT))}}
            fields[name] = {**fc, "value": value}
        if change.get("op") == "create" and draw(_often(True)):
            for field in spec.fields:  # a complete record, so that the create can succeed
                if field.required and field.name not in fields:
                    fields[field.name] = {"value": draw(self.value(spec, field.name))}
        base_rev = draw(st.integers(0, 20)) if draw(_often(True)) else change.get("base_rev")
        return {**change, "kind": kind, "id": record_id, "base_rev": base_rev, "fields": fields}

    def value(self, spec: KindSpec, name: str) -> st.SearchStrategy[Any]:
        if name.startswith("scores."):
            return st.one_of(st.none(), st.integers(-1, 6), st.sampled_from(["3", "４", "x"]))
        field = spec.field(name)
        match field.type:
            case FieldType.MUNICIPALITY:
                return self.codes
            case FieldType.CODE_LIST:
                return st.lists(self.codes, max_size=4)
            case FieldType.DATE:
                return st.one_of(
                    st.dates().map(lambda day: day.isoformat()),
                    st.sampled_from(["2025/4/1", "２０２５-０４-０１", "2025-02-30", None]),
                )
            case FieldType.CHOICE:
                assert field.choices is not None
                return st.sampled_from([*field.choices, *field.choices.values(), "?"])
            case FieldType.REF:
                return st.one_of(self.visits, self.ids)
            case FieldType.LEVEL:
                return st.one_of(st.integers(-1, 6), st.sampled_from(["2", "４", ""]))
            case FieldType.FISCAL_YEAR:
                return st.one_of(
                    st.integers(1980, 2100), st.sampled_from(["R7", "令和元年度", "FY2025", "H31"])
                )
            case FieldType.STR_LIST:
                return st.lists(st.text(max_size=20), max_size=4)
            case FieldType.LONG_TEXT:
                return st.sampled_from(
                    ["第1段落\n\n第2段落", "第1段落\n\n第2段落\n追記", *AWKWARD_TEXT]
                )
            case _:
                return st.one_of(st.text(max_size=50), st.sampled_from(AWKWARD_TEXT))


def _often(value: bool) -> st.SearchStrategy[bool]:
    """``value`` three times in four."""
    return st.sampled_from([value, value, value, not value])


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """Schemathesis 4.32's fixture-loaded schemas name each operation's subtest by rewriting the
    private ``Function._nodeid``, which pytest 9.2 no longer has; give it one to rewrite. The
    subtests still carry the operation's label; only the cosmetic renaming of the node is lost."""
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@schema.parametrize()
def test_every_operation_keeps_its_documented_contract(
    case: OpenApiCase, seeded: Seeded, advisor_token: str, http: requests.Session
) -> None:
    # Logging out revokes the token it is sent with: give each logout a device of its own so
    # the other operations keep running as a logged-in advisor.
    token = _token(seeded.server, "logout") if case.path == LOGOUT_PATH else advisor_token
    case.call_and_validate(
        base_url=seeded.server.base_url,
        session=http,
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {token}"},
        verify=str(seeded.server.ca),
        checks=CHECKS,
    )


def test_every_documented_body_has_a_schema(server: RunningServer) -> None:
    """Conformance checks skip a body documented without a schema: none may be."""
    with server.client() as client:
        document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                where = f"{method.upper()} {path} {status}"
                content = response.get("content", {})
                if status == "204":
                    assert not content, where
                    continue
                assert content, where
                for media_type, described in content.items():
                    assert described.get("schema"), f"{where} {media_type}"
                if status.startswith(("4", "5")):
                    assert list(content) == [PROBLEM_MEDIA_TYPE], where
                    assert content[PROBLEM_MEDIA_TYPE]["schema"] == {
                        "$ref": "#/components/schemas/Problem"
                    }, where
    assert "Problem" in document["components"]["schemas"]


def test_a_problem_echoing_a_lone_surrogate_is_still_answered() -> None:
    response = problem_response(422, "invalid-change", "Change refused", "「\udc00」が読めません")
    assert json.loads(bytes(response.body))["detail"] == "「\udc00」が読めません"
    assert response.media_type == PROBLEM_MEDIA_TYPE


@pytest.mark.parametrize("text", ["a\x00b", "\udc00"], ids=["nul", "lone-surrogate"])
@pytest.mark.parametrize("where", ["value", "base"])
def test_text_no_database_stores_is_refused_before_anything_is_saved(
    server: RunningServer, text: str, where: str
) -> None:
    add_user(server.database, ADVISOR, codes=CODES)
    client = server.login(ADVISOR)
    hostile = visit_change(new_id(), CODES[0])
    hostile["fields"]["notes"] = (
        {"value": text} if where == "value" else {"value": "", "base": {text: 1}}
    )
    body = {"push_id": new_id(), "changes": [visit_change(new_id(), CODES[0]), hostile]}
    # Serialised by hand: \\u escapes are the only way a lone surrogate travels in JSON.
    answer = client.post(
        PUSH_PATH, content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert answer.json()["type"].endswith("/invalid-change")
    assert answer.json()["change_index"] == 1
    records, _ = pull_all(client)
    assert records == []


@pytest.mark.parametrize("field", ["user", "device_name"])
def test_a_login_with_nul_in_a_stored_name_is_invalid(server: RunningServer, field: str) -> None:
    add_user(server.database, ADVISOR)
    body = {"user": ADVISOR, "password": PASSWORD, "device_name": "laptop"}
    with server.client() as client:
        answer = client.post(LOGIN_PATH, json={**body, field: body[field] + "\x00"})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
