"""Every offset a user gets points into the text they gave, even when stages share objects."""

from __future__ import annotations

import pytest

from communique.pipeline import Coder
from communique.reading.read import RawDoc

STORY = (
    "Kremlin warns Berlin over gas\n"
    "By Anna Petrova\n\n"
    "MOSCOW (Wire) - Russia threatened on Friday to cut gas supplies to Germany if new sanctions were imposed.\n\n"
    "Germany condemned the threat and urged Russia to respect its contracts, a government spokesman said.\n\n"
    "(Reporting by Anna Petrova; Editing by Tom Reed)\n"
)


@pytest.fixture(scope="module")
def coded():  # noqa: ANN201
    return Coder.load().code(RawDoc(source="gas.txt", text=STORY, origin="text", explicit={}))


def test_event_offsets_slice_the_original_text(coded) -> None:  # noqa: ANN001
    assert coded.events
    for event in coded.events:
        assert event.trigger.split()[0] in STORY[event.start:event.end]
        for actor in event.actor + event.recipient:
            if actor.start is not None:
                assert STORY[actor.start:actor.end] == actor.entity_text
        for mention in event.mentions:
            assert STORY[mention.start:mention.end].split()[0] in STORY
        if event.event_loc is not None and event.event_loc.start is not None:
            assert STORY[event.event_loc.start:event.event_loc.end].lower() == event.event_loc.name.lower()


def test_quote_offsets_slice_the_original_text(coded) -> None:  # noqa: ANN001
    for quote in coded.quotes:
        assert STORY[quote.start:quote.end] == quote.text
        if quote.speaker is not None and quote.speaker.start is not None:
            assert STORY[quote.speaker.start:quote.speaker.end] == quote.speaker.mention
