"""Shared fixtures: invented stories and one coder per test session (loading spaCy takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def coder():
    from communique.pipeline import Coder

    return Coder.load()


@pytest.fixture()
def story_path() -> Path:
    return FIXTURES / "wire_story.txt"


@pytest.fixture()
def story_text(story_path: Path) -> str:
    return story_path.read_text(encoding="utf-8")
