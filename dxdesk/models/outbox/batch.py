"""A push as built from the outbox (dxdesk.models.outbox.push.take_batch): kept in the store's
metadata and sent unchanged, under the same push id, until the server answers it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from dxdesk.wire.protocol import PushRequest

# The store's metadata key of the push sent and not yet answered.
META_PUSH_IN_FLIGHT = "sync_outbox"


@dataclass
class PushBatch:
    """A push as built: sent unchanged (same push id) until answered."""

    request: PushRequest
    # Per change: the (seq, changed_at) of each pending row it carries.
    marks: list[list[tuple[int, str]]]

    def dump(self) -> str:
        return json.dumps(
            {"request": self.request.model_dump(mode="json"), "marks": self.marks},
            ensure_ascii=False,
        )

    @classmethod
    def load(cls, text: str) -> PushBatch:
        data = json.loads(text)
        marks = [[(int(seq), str(at)) for seq, at in change] for change in data["marks"]]
        return cls(PushRequest.model_validate(data["request"]), marks)
