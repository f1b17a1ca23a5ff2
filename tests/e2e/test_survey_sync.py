"""The survey's records sync as the design says, against the real server over TLS.

A definition (survey_definition) is prefecture-wide: every laptop receives it, and only a
coordinator (事務局) may change it. A municipality's answers (survey_response) are scoped like any
municipality's record: an advisor receives, and may write, only their own municipalities'. What
the server refuses stays on the advisor's laptop, shown as a refused conflict, nothing lost.
"""

from __future__ import annotations

from typing import Any

from dxdesk.domain.survey_definition import Choice, Question, SurveyDefinition
from dxdesk.server.tables import Record
from dxdesk.services.survey_definitions import loaded_definitions
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.ui.sync_conflict_text import record_text
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"
FY = 2024


def _definition(title: str) -> dict[str, Any]:
    return SurveyDefinition(
        fiscal_year=FY,
        prefecture="和歌山県",
        title=title,
        questions=(
            Question("Q1", 1, "DX推進体制", "DX推進計画を策定していますか", "scored", item="1-1"),
            Question("Q2", 1, "DX推進体制", "DX担当の職員数", "number", unit="人"),
            Question("Q3", 2, "くらしづくり", "導入済みの手続", "multiple", choices="procs"),
        ),
        choice_lists={
            "procs": (Choice("online", "オンライン申請"), Choice("cashless", "キャッシュレス"))
        },
    ).as_json()


def _response(code: str, definition: str, staff: int) -> dict[str, Any]:
    return {
        "municipality": code,
        "fiscal_year": FY,
        "definition": definition,
        "answers": {"Q1": 2, "Q2": staff, "Q3": ["online"]},
        "respondent": "企画課",
        "source_name": "forms-export.xlsx",
    }


def test_a_definition_reaches_every_laptop_and_answers_only_their_municipalitys(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "jimukyoku", role="coordinator")
    add_user(server.database, "tanaka", codes=(KAINAN,))
    office = laptops("jimukyoku", "office")
    definition = office.workspace.survey_definitions.add(
        {
            "fiscal_year": FY,
            "prefecture": "和歌山県",
            "title": "令和6年度 DX推進状況調査",
            "definition": _definition("令和6年度 DX推進状況調査"),
            "source_name": "definition-2024.xlsx",
        }
    )["id"]
    for code, staff in ((WAKAYAMA, 12), (KAINAN, 3)):
        office.workspace.survey_responses.add(_response(code, definition, staff))
    assert office.sync().conflicts == 0

    advisor = laptops("tanaka", "tanaka-pc")
    # Made before this laptop's first sync, when it does not yet know its municipalities: the
    # server is the one to refuse it.
    elsewhere = advisor.workspace.survey_responses.add(_response(HASHIMOTO, definition, 5))["id"]
    summary = advisor.sync()
    assert summary.conflicts == 1

    [received] = loaded_definitions(advisor.workspace.store, FY)
    assert received.id == definition
    assert received.definition.title == "令和6年度 DX推進状況調査"
    assert len(received.definition.questions) == 3
    answered = responses_for_year(advisor.workspace.store, FY)
    # Its own municipality's answers, and its refused one kept; 和歌山市's never reached it.
    assert sorted(r.municipality for r in answered) == [KAINAN, HASHIMOTO]
    [kainan] = [r for r in answered if r.municipality == KAINAN]
    assert kainan.answers == {"Q1": 2, "Q2": 3, "Q3": ["online"]}
    assert kainan.definition_id == definition
    [refused] = advisor.conflicts()
    assert (refused.kind, refused.record_id, refused.reason) == (
        "survey_response",
        elsewhere,
        "refused",
    )
    assert "担当ではありません" in refused.detail
    with server.database.transaction() as session:
        assert session.get(Record, elsewhere) is None

    # The advisor's own municipality's answers go up; a definition of their own does not.
    advisor.workspace.survey_responses.update(kainan.id, {"answers": {"Q1": 3, "Q2": 4}})
    own = advisor.workspace.survey_definitions.add(
        {
            "fiscal_year": FY,
            "prefecture": "和歌山県",
            "title": "独自の調査",
            "definition": _definition("独自の調査"),
            "source_name": "my-copy.xlsx",
        }
    )["id"]
    summary = advisor.sync()
    assert (summary.pushed, summary.conflicts) == (1, 1)
    [definition_refused] = [c for c in advisor.conflicts() if c.record_id == own]
    assert (definition_refused.kind, definition_refused.reason) == ("survey_definition", "refused")
    assert "事務局だけ" in definition_refused.detail
    # Kept on the laptop, readable as a definition (not a JSON dump) where the person decides.
    assert advisor.workspace.survey_definitions.get(own)["title"] == "独自の調査"
    shown = record_text("survey_definition", definition_refused.mine)
    assert "「独自の調査」" in shown and "3 問" in shown and "my-copy.xlsx" in shown
    with server.database.transaction() as session:
        assert session.get(Record, own) is None
        stored = session.get(Record, kainan.id)
        assert stored is not None and stored.fields["answers"] == {"Q1": 3, "Q2": 4}

    # The office receives the advisor's answers; its definition stays the only one.
    office.sync()
    [mine] = responses_for_year(office.workspace.store, FY, KAINAN)
    assert mine.answers == {"Q1": 3, "Q2": 4}
    assert [d.id for d in loaded_definitions(office.workspace.store, FY)] == [definition]
