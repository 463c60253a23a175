import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("EXPANSE_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture
def scenario_path():
    return str(SOURCE / "scenarios" / "asia-pacific.yaml")


@pytest.fixture
def source_dir():
    return SOURCE
