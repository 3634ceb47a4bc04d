"""Time expressions resolved against the publication date; all sentences are invented for these tests.

Publication date throughout: Wednesday 13 May 2026 (ISO week 2026-W20) unless a test says otherwise.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from communique.errors import EvalDataError
from communique.evaluation.times import evaluate_times
from communique.extract.dates import resolve_date
from communique.extract.times import find_times, find_times_in_text

PUBLISHED = date(2026, 5, 13)  # a Wednesday


def _values(text: str, published: date | None = PUBLISHED) -> dict[str, tuple[str, str | None]]:
    return {t.text: (t.type, t.value) for t in find_times_in_text(text, published)}


def _value(text: str, words: str, published: date | None = PUBLISHED) -> str | None:
    found = _values(text, published)
    assert words in found, f"{words!r} not found in {found}"
    return found[words][1]


# --- weekdays and tense ---------------------------------------------------------------------
def test_future_weekday_is_the_next_one() -> None:
    assert _value("The two foreign ministers are to meet on Friday in Tallinn.", "Friday") == "2026-05-15"


def test_past_weekday_is_the_previous_one() -> None:
    assert _value("The two foreign ministers met on Friday in Tallinn.", "Friday") == "2026-05-08"


def test_past_weekday_on_the_publication_day_is_that_day() -> None:
    assert _value("The cabinet approved the budget on Wednesday.", "Wednesday") == "2026-05-13"


def test_future_weekday_on_the_publication_day_is_next_week() -> None:
    assert _value("The cabinet will vote on the budget on Wednesday.", "Wednesday") == "2026-05-20"


def test_the_parse_decides_the_tense(coder) -> None:
    text = "Delegates from both unions plan to gather on Monday, organisers said."
    times = find_times(coder.parse(text), text, PUBLISHED)
    assert [(t.text, t.value) for t in times] == [("Monday", "2026-05-18")]


# --- months, quarters, seasons ----------------------------------------------------------------
def test_bare_month_before_publication_is_this_year() -> None:
    assert _value("Parliament dissolved itself in March after a long dispute.", "March") == "2026-03"


@pytest.mark.parametrize(("text", "expected"), [
    ("The referendum will be held in November.", "2026-11"),
    ("The referendum was held in November.", "2025-11"),
])
def test_bare_month_after_publication_follows_the_tense(text: str, expected: str) -> None:
    assert _value(text, "November") == expected


def test_quarter_takes_the_nearest_year() -> None:
    assert _value("The miner said output fell in the third quarter.", "the third quarter") == "2026-Q3"
    assert _value("Output fell in the fourth quarter of 2024.", "the fourth quarter of 2024") == "2024-Q4"


def test_year_on_year_comparison_counts_from_the_reporting_quarter() -> None:
    text = "Second-quarter profit rose to $8 million from $6 million a year earlier."
    assert _value(text, "Second-quarter") == "2026-Q2"
    assert _value(text, "a year earlier") == "2025-Q2"


def test_last_summer_is_last_years_summer_before_it_starts() -> None:
    assert _value("The drought last summer cut the harvest.", "last summer") == ("2025-SU")
    assert _value("The drought last summer cut the harvest.", "last summer", date(2026, 10, 2)) == "2026-SU"


# --- relative words -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "words", "expected"), [
    ("Talks collapsed last week in Geneva.", "last week", "2026-W19"),
    ("Prices will rise next month, the bank warned.", "next month", "2026-06"),
    ("The envoy resigned earlier this month.", "earlier this month", "2026-05"),
    ("The envoy resigned yesterday.", "yesterday", "2026-05-12"),
    ("Turnout fell last year.", "last year", "2025"),
    ("The port reopened two weeks ago.", "two weeks ago", "2026-W18"),
    ("The mayor arrived on Tuesday; the fire had started the day before.", "the day before", "2026-05-11"),
    ("The blockade was lifted on Monday and the ships sailed the next day.", "the next day", "2026-05-12"),
])
def test_relative_expressions(text: str, words: str, expected: str) -> None:
    assert _value(text, words) == expected


def test_the_day_before_counts_from_publication_without_a_date_nearby() -> None:
    assert _value("Officials said the convoy had left the day before.", "the day before") == "2026-05-12"


@pytest.mark.parametrize("word", ["now", "currently"])
def test_present_words_are_present_ref(word: str) -> None:
    assert _value(f"The ceasefire is {word} holding in the north.", word) == "PRESENT_REF"


def test_recently_is_past_ref() -> None:
    assert _value("The ministry recently hired new inspectors.", "recently") == "PAST_REF"


# --- explicit dates, years, decades, centuries ----------------------------------------------
@pytest.mark.parametrize(("text", "words", "expected"), [
    ("The treaty was signed on 4 June 2019 in Oslo.", "4 June 2019", "2019-06-04"),
    ("The treaty was signed on Jan. 9, 2011.", "Jan. 9, 2011", "2011-01-09"),
    ("The law dates from 1998.", "1998", "1998"),
    ("Inflation was high in the 1990s.", "the 1990s", "199"),
    ("The bridge was built in the 19th century.", "the 19th century", "18"),
    ("The port closed in July 2021.", "July 2021", "2021-07"),
])
def test_explicit_dates(text: str, words: str, expected: str) -> None:
    assert _value(text, words) == expected


def test_a_number_of_people_is_no_year() -> None:
    assert "2000" not in _values("Police said 2000 protesters marched through the capital.")


def test_may_the_verb_is_no_month() -> None:
    assert _values("The court may rule on the appeal.") == {}


# --- durations, sets, times -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "words", "expected"), [
    ("The truce lasted three years.", "three years", "P3Y"),
    ("A two-week curfew was imposed.", "two-week", "P2W"),
    ("The hearing took five hours.", "five hours", "PT5H"),
    ("Rebels held the town for several months.", "several months", "PXM"),
])
def test_durations(text: str, words: str, expected: str) -> None:
    assert _values(text)[words] == ("DURATION", expected)


def test_sets() -> None:
    found = _values("Monitors report every week and inspectors visit daily.")
    assert found["every week"] == ("SET", "P1W") and found["daily"] == ("SET", "P1D")


def test_clock_time_takes_the_day_named_beside_it() -> None:
    assert _values("The polls will close at 8 p.m. on Friday.")["8 p.m. on Friday"] == ("TIME", "2026-05-15T20:00")
    assert _values("The minister spoke at 3 p.m. in the capital.")["3 p.m."] == ("TIME", "2026-05-13T15:00")


# --- ids, offsets, no publication date -------------------------------------------------------
def test_ids_and_offsets_follow_the_text() -> None:
    text = "Talks opened on Monday and will resume in June."
    times = find_times_in_text(text, PUBLISHED)
    assert [t.id for t in times] == ["t0", "t1"]
    assert [text[t.start:t.end] for t in times] == ["Monday", "June"]


def test_without_publication_date_nothing_relative_is_guessed() -> None:
    found = _values("The envoys met last week and will meet again on Friday; the pact dates from 2019.", None)
    assert found["last week"] == ("DATE", "PAST_REF")
    assert found["Friday"] == ("DATE", "FUTURE_REF")
    assert found["2019"] == ("DATE", "2019")


# --- the events stage's resolver --------------------------------------------------------------
def test_resolve_date_keeps_its_rules() -> None:
    past = resolve_date("on Wednesday", PUBLISHED, future=False)
    planned = resolve_date("on Wednesday", PUBLISHED, future=True)
    assert past is not None and (past.value, past.precision) == (date(2026, 5, 13), "day")
    assert planned is not None and planned.value == date(2026, 5, 20)
    week = resolve_date("last week", PUBLISHED, future=False)
    assert week is not None and (week.value, week.precision) == (date(2026, 5, 4), "week")
    unknown = resolve_date("on Monday", None, future=False)
    assert unknown is not None and unknown.value is None and unknown.relative == "Monday"
    assert resolve_date("with great care", PUBLISHED, future=False) is None


# --- evaluation -------------------------------------------------------------------------------
def _gold(tmp_path: Path, timexes: list[dict]) -> Path:
    text = "The council met on Monday and will meet again next month."
    path = tmp_path / "demo_train.jsonl"
    path.write_text(json.dumps({"id": "d1", "dct": "2026-05-13", "text": text, "timexes": timexes}) + "\n",
                    encoding="utf-8")
    return path


def test_evaluation_scores_strict_relaxed_and_value(tmp_path: Path) -> None:
    gold = _gold(tmp_path, [
        {"start": 16, "end": 25, "text": "on Monday", "type": "DATE", "value": "2026-05-11"},  # relaxed only
        {"start": 46, "end": 56, "text": "next month", "type": "DATE", "value": "2026-07"},  # wrong value
    ])
    report = evaluate_times(tmp_path)
    assert (report.overall.strict_r, report.overall.relaxed_r, report.overall.value_accuracy) == (0.5, 1.0, 0.5)
    assert report.date.value_f1 == 0.5 and report.documents == 1 and gold.exists()


def test_bad_gold_offsets_are_a_coded_error(tmp_path: Path) -> None:
    _gold(tmp_path, [{"start": 0, "end": 3, "text": "Monday", "type": "DATE", "value": "2026-05-11"}])
    with pytest.raises(EvalDataError):
        evaluate_times(tmp_path)
