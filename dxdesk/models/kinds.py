"""Which table holds each record kind."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from dxdesk.models.base import SyncedRecord
from dxdesk.models.tables import (
    AssessmentRow,
    AttachmentRow,
    CadenceRow,
    ContactRow,
    EngagementRow,
    FollowUpRow,
    GroupEventRow,
    InterviewNoteRow,
    KnowledgeArticleRow,
    ProgrammePlanRow,
    SurveyDefinitionRow,
    SurveyResponseRow,
)

KIND_TABLES: Final[MappingProxyType[str, type[SyncedRecord]]] = MappingProxyType(
    {
        "visit": EngagementRow,
        "interview": InterviewNoteRow,
        "followup": FollowUpRow,
        "contact": ContactRow,
        "assessment": AssessmentRow,
        "article": KnowledgeArticleRow,
        "event": GroupEventRow,
        "attachment": AttachmentRow,
        "survey_definition": SurveyDefinitionRow,
        "survey_response": SurveyResponseRow,
        "cadence": CadenceRow,
        "programme_plan": ProgrammePlanRow,
    }
)
