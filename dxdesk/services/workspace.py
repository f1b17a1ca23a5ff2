"""Everything the UI and the CLI call, gathered over one open store."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.domain.records import kind_spec
from dxdesk.models.change_notice import ChangeCollector, collecting_changes
from dxdesk.models.file_store import FileStore
from dxdesk.models.store import Store, open_store
from dxdesk.services.analysis import AnalysisFacade
from dxdesk.services.assessments import AssessmentFacade
from dxdesk.services.attachments import AttachmentFacade
from dxdesk.services.calendar_records import CadenceFacade, ProgrammePlanFacade
from dxdesk.services.engagements import EngagementFacade, InterviewNoteFacade
from dxdesk.services.followups import FollowUpFacade
from dxdesk.services.knowledge import GroupEventFacade, KnowledgeArticleFacade
from dxdesk.services.municipalities import ContactFacade, MunicipalityFacade
from dxdesk.services.records import RecordFacade
from dxdesk.services.survey_records import SurveyDefinitionFacade, SurveyResponseFacade


@dataclass(eq=False)
class Workspace:
    store: Store
    municipalities: MunicipalityFacade = field(init=False)
    engagements: EngagementFacade = field(init=False)
    interviews: InterviewNoteFacade = field(init=False)
    follow_ups: FollowUpFacade = field(init=False)
    contacts: ContactFacade = field(init=False)
    assessments: AssessmentFacade = field(init=False)
    articles: KnowledgeArticleFacade = field(init=False)
    events: GroupEventFacade = field(init=False)
    analysis: AnalysisFacade = field(init=False)
    attachments: AttachmentFacade = field(init=False)
    files: FileStore = field(init=False)  # the attachments' bytes on this laptop
    survey_definitions: SurveyDefinitionFacade = field(init=False)
    survey_responses: SurveyResponseFacade = field(init=False)
    cadences: CadenceFacade = field(init=False)
    programme_plans: ProgrammePlanFacade = field(init=False)

    def __post_init__(self) -> None:
        self.municipalities = MunicipalityFacade(self.store)
        self.engagements = EngagementFacade(self.store)
        self.interviews = InterviewNoteFacade(self.store)
        self.follow_ups = FollowUpFacade(self.store)
        self.contacts = ContactFacade(self.store)
        self.assessments = AssessmentFacade(self.store)
        self.articles = KnowledgeArticleFacade(self.store)
        self.events = GroupEventFacade(self.store)
        self.analysis = AnalysisFacade(self.store)
        self.attachments = AttachmentFacade(self.store)
        self.files = self.attachments.files
        self.survey_definitions = SurveyDefinitionFacade(self.store)
        self.survey_responses = SurveyResponseFacade(self.store)
        self.cadences = CadenceFacade(self.store)
        self.programme_plans = ProgrammePlanFacade(self.store)

    def records(self, kind: str) -> RecordFacade:
        """The facade for a record kind by its name (as the CLI and sync spell it)."""
        kind_spec(kind)  # a clear error for an unknown kind
        facades: tuple[RecordFacade, ...] = (
            self.engagements,
            self.interviews,
            self.follow_ups,
            self.contacts,
            self.assessments,
            self.articles,
            self.events,
            self.attachments,
            self.survey_definitions,
            self.survey_responses,
            self.cadences,
            self.programme_plans,
        )
        return next(f for f in facades if f.kind == kind)

    def collect_changes(self) -> AbstractContextManager[ChangeCollector]:
        """Collect what this thread commits within the block (one unit of work: a store call,
        a sync), as ``Changes`` (models/change_notice.py)."""
        return collecting_changes()

    def close(self) -> None:
        self.store.close()


def open_workspace(data_dir: Path, *, progress: Progress = no_progress) -> Workspace:
    """The workspace of ``data_dir``'s store (open_store: ``progress`` hears the encryption of
    an old plaintext store)."""
    return Workspace(open_store(data_dir, progress=progress))
