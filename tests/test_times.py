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


@pytest.mark.parametrize(("text", "expected"), [
    ("Monitors said Sunday's vote was calm.", "2026-05-10"),  # possessive: the event, not the clause, is dated
    ("Delegates prepared for Friday's summit.", "2026-05-15"),  # ... the past one unless over four days back
    ("The opposition said it would challenge Monday's ruling.", "2026-05-11"),
    ("Rebels could reach the port as soon as Friday.", "2026-05-15"),
    ("The envoy arrived on Friday. ``We will talk,'' he said.", "2026-05-08"),  # the quote is a new sentence
    ("The deal had been due to expire Friday evening.", "2026-05-08"),  # a plan of the past
    ("Shells fell on a market next to the barracks on Monday.", "2026-05-11"),  # "next to" is no future cue
])
def test_weekday_clause_cues(text: str, expected: str) -> None:
    assert next(t.value for t in find_times_in_text(text, PUBLISHED)
                if t.text.split()[0] in ("Friday", "Monday", "Sunday")).startswith(expected)


def test_the_previous_weekday_counts_from_the_day_named_before() -> None:
    text = "Stocks closed higher on May 6, up 2% from the previous Friday."
    assert _value(text, "the previous Friday") == "2026-05-01"


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


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("The talks are supposed to conclude by February.", "February", "2027-02"),  # a deadline points forward
    ("The bank extended the loans until mid-September.", "mid-September", "2026-09"),
    ("The dividend will be paid on a still unspecified date in January.", "January", "2027-01"),
    ("In January the board hired a new chief, who later brought in auditors.", "January", "2026-01"),
    ("Qantas will double its flights by August in a search for markets untouched by the crisis.", "August",
     "2026-08"),
])
def test_month_tense_and_deadlines(text: str, words: str, expected: str) -> None:
    assert _value(text, words) == expected


def test_quarter_is_the_latest_begun_unless_the_clause_looks_ahead() -> None:
    assert _value("The miner said output fell in the third quarter.", "the third quarter") == "2025-Q3"
    assert _value("The miner said output rose in the second quarter.", "the second quarter") == "2026-Q2"
    assert _value("Output fell in the fourth quarter of 2024.", "the fourth quarter of 2024") == "2024-Q4"
    # reporting language looks ahead at a quarter just ended; a plan looks at the next one
    assert _value("The miner expects to report a first-quarter loss.", "first-quarter", date(2026, 4, 20)) == "2026-Q1"
    assert _value("The miner will open a new shaft in the first quarter.", "the first quarter",
                  date(2026, 11, 2)) == "2027-Q1"


def test_fiscal_quarter_named_in_october_is_this_years() -> None:
    text = "The airline earned $40 million in the fiscal first quarter, up from $30 million a year earlier."
    found = _values(text, date(2026, 10, 22))
    assert found["the fiscal first quarter"] == ("DATE", "2026-Q1")
    assert found["a year earlier"] == ("DATE", "2025-Q1")


def test_reporting_periods_and_the_year() -> None:
    text = ("Sales rose in the third quarter. The latest period included a one-time gain. "
            "In the 2025 period, the company lost money. For the full year, it expects a profit.")
    found = _values(text)
    assert found["the third quarter"] == ("DATE", "2025-Q3")
    assert found["The latest period"] == ("DATE", "2025-Q3")
    assert found["the 2025 period"] == ("DATE", "2025-Q3")
    assert found["the full year"] == ("DATE", "2026")
    assert _values("Revenue for the year ended March 31 rose.")["the year"] == ("DURATION", "P1Y")


def test_that_year_counts_from_the_date_named_before() -> None:
    assert _value("The envoy fled in June 2019 and returned later that year.", "later that year") == "2019"


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


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("In nineteen ninety-one the senator was convicted.", "nineteen ninety-one", "1991"),
    ("The goal is full employment by the year two thousand.", "the year two thousand", "2000"),
    ("Troops recalled its 1990 invasion of the border region.", "1990", "1990"),
    ("A 2014 law bans the practice.", "2014", "2014"),
])
def test_spoken_and_attributive_years(text: str, words: str, expected: str) -> None:
    assert _value(text, words) == expected


def test_title_and_count_are_no_dates() -> None:
    assert "This Week" not in _values('The minister spoke on "This Week" about the strike.')
    assert "two thousand" not in _values("Police said two thousand protesters marched.")


# --- durations, sets, times -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "words", "expected"), [
    ("The truce lasted three years.", "three years", "P3Y"),
    ("A two-week curfew was imposed.", "two-week", "P2W"),
    ("The hearing took five hours.", "five hours", "PT5H"),
    ("Rebels held the town for several months.", "several months", "PXM"),
])
def test_durations(text: str, words: str, expected: str) -> None:
    assert _values(text)[words] == ("DURATION", expected)


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("Refugees lived in the camps for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
    ("The flight took about 5 1/2 hours.", "about 5 1/2 hours", "PT5H30M"),
    ("A minute and a half later, the line went dead.", "A minute and a half", "PT1M30S"),
    ("The minister resigned after half a year in office.", "half a year", "P6M"),
])
def test_half_units_in_durations(text: str, words: str, expected: str) -> None:
    assert _values(text)[words] == ("DURATION", expected)


def test_clock_time_with_a_month_day() -> None:
    found = _values("The offer was extended until 5 p.m. EST, May 20.")
    assert found["5 p.m. EST, May 20"] == ("TIME", "2026-05-20T17:00")


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


@pytest.mark.parametrize(("text", "value"), [
    ("In 2010, the George W. Hale administration opened talks. Two years later they failed.", "2012"),  # an initial
    ("The talks failed. Two years later, the border was closed.", "FUTURE_REF"),  # no year to count from
])
def test_later_counts_from_a_date_just_named_or_says_only_that_it_is_later(text: str, value: str) -> None:
    assert _value(text, "Two years later") == value
