"""The survey's two record kinds as facades: a fiscal year's definition, and a municipality's
answers. What is built on them (loading a definition, importing answers, who has answered)
lives in the modules named for it: survey_definitions.py, survey_responses.py."""

from __future__ import annotations

from dxdesk.services.records import RecordFacade


class SurveyDefinitionFacade(RecordFacade):
    kind = "survey_definition"


class SurveyResponseFacade(RecordFacade):
    kind = "survey_response"
