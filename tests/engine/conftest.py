import pytest

from armslength.engine.dataset import load_dataset
from armslength.engine.screening import screen


@pytest.fixture
def run():
    """Screen a dataset document; returns the JSON result."""

    def _run(doc: dict) -> dict:
        return screen(load_dataset(doc)).as_json()

    return _run


@pytest.fixture
def verdict(run):
    """(verdict, [rules]) for the single query of a document."""

    def _verdict(doc: dict) -> tuple[str, list[str]]:
        (result,) = run(doc)["results"]
        return result["verdict"], [r["rule"] for r in result["reasons"]]

    return _verdict
