import shutil
from pathlib import Path

import pytest

from dxdesk.resources import resource_path


@pytest.fixture
def assessment_dir(tmp_path: Path) -> Path:
    """A writable copy of resources/assessment, for data-file variants."""
    directory = tmp_path / "assessment"
    shutil.copytree(resource_path("assessment"), directory)
    return directory
