"""Event coding on short invented wire stories: trigger families, statuses, dates, actors, places, merging."""

from __future__ import annotations

from datetime import date

import pytest

from communique.model import CodedArticle, Event
from communique.reading.read import RawDoc

PUBLISHED = date(2027, 3, 10)  # a Wednesday: "on Wednesday" is that day, "on Monday" two days before


def _code(coder, text: str, published: date | None = PUBLISHED, headline: bool = False) -> CodedArticle:
    explicit = {"published": published} if published else {}
    return coder.code(RawDoc(source="<fixture>", text=text, origin="text", explicit=explicit, headline_line=headline))


def _events(coder, text: str, published: date | None = PUBLISHED) -> list[Event]:
    return _code(coder, text, published).events


def _one(events: list[Event], event_type: str, status: str | None = None) -> Event:
    found = [e for e in events if e.event == event_type and (status is None or e.status == status)]
    assert found, f"no {event_type} ({status}) in {[(e.event, e.status, e.trigger) for e in events]}"
    return found[0]


def _triggered(coded: CodedArticle, words: str) -> list[Event]:
    """The events whose trigger starts with ``words``."""
    return [e for e in coded.events if e.trigger.startswith(words)]


def _codes(actors) -> set[str | None]:
    return {a.code for a in actors}


# --- trigger families -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "event_type", "actor", "recipient"), [
    ("Russia condemned Ukraine on Tuesday over the shelling of a border town.", "ACCUSE", "RUS", "UKR"),  # verb
    ("France imposed sanctions on Iran on Tuesday.", "SANCTION", "FRA", "IRN"),  # light verb
    ("Poland handed over the suspects to Germany on Tuesday.", "COOPERATE", "POL", "DEU"),  # phrasal
    ("The sanctions on Syria announced by Canada took effect on Tuesday.", "SANCTION", "CAN", "SYR"),  # noun
    ("Georgia was attacked by Russia on Tuesday, officials said.", "ASSAULT", "RUS", "GEO"),  # passive
    ("Italy favours an early start to membership talks with Albania.", "SUPPORT", "ITA", "ALB"),
    ("Chile secured a fishing deal with Peru on Tuesday.", "AGREE", "CHL", "PER"),
    ("Senator Tom Vale of Ohio took several swipes at Mexico on Tuesday.", "ACCUSE", "USA", "MEX"),
    ("Norway voiced doubts about Sweden's budget plan on Tuesday.", "ACCUSE", "NOR", "SWE"),
    ("Prime Minister Ana Silva of Portugal mocked Spain's water plan on Tuesday.", "ACCUSE", "PRT", "ESP"),
    ("The Dutch minister scoffed at Belgium's offer on Tuesday.", "ACCUSE", "NLD", "BEL"),
])
def test_each_trigger_family_codes_actor_and_recipient(coder, text: str, event_type: str, actor: str,
                                                       recipient: str) -> None:
    event = _one(_events(coder, text), event_type)
    assert actor in _codes(event.actor)
    assert recipient in _codes(event.recipient)
    assert event.trigger and event.sentence and event.start < event.end
    assert event.quad_code in (1, 2, 3, 4) and -10 <= event.intensity <= 10


def test_passive_voice_swaps_roles(coder) -> None:
    event = _one(_events(coder, "Georgia was attacked by Russia on Tuesday."), "ASSAULT")
    assert _codes(event.actor) == {"RUS"} and _codes(event.recipient) == {"GEO"}


# --- statuses ---------------------------------------------------------------------------
def test_planned_talks(coder) -> None:
    event = _one(_events(coder, "Talks between Serbia and Kosovo will resume on Friday in Vienna."), "CONSULT")
    assert event.status == "planned"
    assert event.date is not None and event.date.value == date(2027, 3, 12)
    assert event.event_loc is not None and event.event_loc.name == "Vienna"


def test_denied_attack_is_negated(coder) -> None:
    events = _events(coder, "Iran denied planning an attack on Israel, its foreign ministry said on Tuesday.")
    assert not [e for e in events if e.event == "ASSAULT" and e.status == "occurred"]
    assert _one(events, "ASSAULT").status == "negated"


def test_denied_threat_is_not_an_occurred_threat(coder) -> None:
    events = _events(coder, "Turkey denied threatening Greece with military action on Monday.")
    assert not [e for e in events if e.event == "THREATEN" and e.status == "occurred"]
    assert _one(events, "THREATEN").status == "negated"


def test_feared_offensive_is_hypothetical(coder) -> None:
    events = _events(coder, "Residents feared a Russian offensive against Kharkiv in the spring.")
    assert not [e for e in events if e.event == "ASSAULT" and e.status == "occurred"]
    assert _one(events, "ASSAULT").status == "hypothetical"


def test_could_is_hypothetical(coder) -> None:
    events = _events(coder, "Officials said China could impose sanctions on Lithuania over the dispute.")
    assert _one(events, "SANCTION").status == "hypothetical"


def test_what_someone_is_asked_to_do_has_not_happened(coder) -> None:
    events = _events(coder, "Ruritania has asked the United Nations to investigate attacks on its border posts.")
    assert _one(events, "ACCUSE").status == "hypothetical"


def test_asking_why_something_happened_does_not_make_it_hypothetical(coder) -> None:
    events = _events(coder, "The senator asked why police had attacked the marchers in Valdora on Sunday.")
    assert _one(events, "ASSAULT").status == "occurred"


@pytest.mark.parametrize("text", [
    "Iraq invaded Kuwait in 1990, a decade before the new border treaty.",
    "The ceremony marked a decade after the occupation of Kuwait by Iraq.",
])
def test_historical_events(coder, text: str) -> None:
    events = _events(coder, text)
    assert events and all(e.status == "historical" for e in events if e.event in ("ASSAULT", "COERCE"))
    assert [e for e in events if e.event in ("ASSAULT", "COERCE")]


def test_not_threatening_is_negated(coder) -> None:
    events = _events(coder, "Russia is not threatening its neighbours, the Kremlin said on Tuesday.")
    assert not [e for e in events if e.event == "THREATEN" and e.status == "occurred"]
    assert _one(events, "THREATEN").status == "negated"


def test_reported_would_is_an_announced_boycott(coder) -> None:
    """"said it would boycott" is a reported "will": a threat to restrict, not a hypothetical."""
    event = _one(_events(coder, "The Egyptian opposition said on Tuesday it would boycott the election."),
                 "THREATEN")
    assert event.mode == "restrict" and _codes(event.actor) == {"EGY"} and event.status == "occurred"


# --- dates ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected", "precision"), [
    ("Hungary criticised Austria on Wednesday over border checks.", date(2027, 3, 10), "day"),  # same weekday
    ("Hungary criticised Austria on Monday over border checks.", date(2027, 3, 8), "day"),
    ("Hungary criticised Austria yesterday over border checks.", date(2027, 3, 9), "day"),
    ("Hungary criticised Austria on 2 February 2027 over border checks.", date(2027, 2, 2), "day"),
])
def test_past_dates_resolve_against_publication(coder, text: str, expected: date, precision: str) -> None:
    event = _one(_events(coder, text), "ACCUSE")
    assert event.date is not None and event.date.value == expected and event.date.precision == precision


def test_last_week_has_week_precision(coder) -> None:
    event = _one(_events(coder, "Hungary criticised Austria last week over border checks."), "ACCUSE")
    assert event.date is not None and event.date.precision == "week"
    assert event.date.value is not None and event.date.value < PUBLISHED


def test_future_weekday_is_the_next_one(coder) -> None:
    event = _one(_events(coder, "Talks between Chad and Niger will open in Oslo on Monday."), "CONSULT")
    assert event.status == "planned"
    assert event.date is not None and event.date.value == date(2027, 3, 15)


def test_announced_visit_is_an_agreement_as_the_manual_says(coder) -> None:
    """PLOVER: future meetings and visits announced by an actor are coded AGREE, not a planned CONSULT."""
    events = _events(coder, "The Indian prime minister will visit Nepal on Monday, his office said.")
    assert _one(events, "AGREE").status == "occurred"
    assert not [e for e in events if e.event == "CONSULT" and e.status == "occurred"]


def test_years_ago_is_historical_with_year_precision(coder) -> None:
    event = _one(_events(coder, "Syria attacked Turkey five years ago, the minister recalled."), "ASSAULT")
    assert event.status == "historical"
    assert event.date is not None and event.date.value is not None and event.date.value.year == 2022


def test_no_publication_date_keeps_the_relative_date_only(coder) -> None:
    event = _one(_events(coder, "Hungary criticised Austria on Monday over border checks.", published=None),
                 "ACCUSE")
    assert event.date is not None and event.date.value is None and event.date.relative


# --- actors -----------------------------------------------------------------------------
def test_reciprocal_meeting_has_both_actors_and_no_recipient(coder) -> None:
    event = _one(_events(coder, "Japan and South Korea met in Seoul on Tuesday."), "CONSULT")
    assert _codes(event.actor) == {"JPN", "KOR"} and not event.recipient


def test_talks_between_two_countries_are_reciprocal(coder) -> None:
    event = _one(_events(coder, "Talks between Armenia and Azerbaijan opened in Geneva on Tuesday."), "CONSULT")
    assert _codes(event.actor) == {"ARM", "AZE"} and not event.recipient


def test_compound_actor_keeps_every_country(coder) -> None:
    event = _one(_events(coder, "Britain and France condemned Iran on Tuesday."), "ACCUSE")
    assert _codes(event.actor) == {"GBR", "FRA"} and _codes(event.recipient) == {"IRN"}


@pytest.mark.parametrize(("text", "actor"), [
    ("The Kremlin condemned Finland on Tuesday.", "RUS"),
    ("Washington imposed sanctions on Venezuela on Tuesday.", "USA"),
])
def test_metonyms_resolve_to_their_country(coder, text: str, actor: str) -> None:
    event = next(e for e in _events(coder, text) if e.actor)
    assert _codes(event.actor) == {actor}
    assert all(a.sector == "GOV" for a in event.actor)


def test_title_learned_in_the_document_is_reused_by_pronoun(coder) -> None:
    text = ("German Defence Minister Karl Weissmann arrived in Vilnius on Tuesday. "
            "He warned Russia against any provocation on the border.")
    event = _one(_events(coder, text), "THREATEN")
    actor = event.actor[0]
    assert actor.code == "DEU" and actor.sector == "GOV" and actor.name == "Karl Weissmann"
    assert "RUS" in _codes(event.recipient)


@pytest.mark.parametrize("name", ["the Organization for Security and Co-operation in Europe", "the OSCE"])
def test_igo_by_long_and_short_name(coder, name: str) -> None:
    event = _one(_events(coder, f"{name[0].upper()}{name[1:]} condemned Belarus on Tuesday."), "ACCUSE")
    assert _codes(event.actor) == {"IGO"}
    assert {a.kb_id for a in event.actor} == {"OSCE"}


def test_first_person_inside_a_quote_is_the_speaker(coder) -> None:
    text = ('"We reject this ultimatum," Norwegian Foreign Minister Ingrid Solberg said on Tuesday, '
            "after talks with Russia.")
    event = _one(_events(coder, text), "REJECT")
    assert _codes(event.actor) == {"NOR"}


@pytest.mark.parametrize(("text", "event_type"), [
    ("Zorblat condemned Kranovia on Tuesday.", "ACCUSE"),
    ("Zorblat held talks with Kranovia on Tuesday.", "CONSULT"),
])
def test_unresolved_actor_keeps_its_text_without_a_code(coder, text: str, event_type: str) -> None:
    """Invented names are not in the knowledge base: the event is still coded, with the raw text."""
    event = _one(_events(coder, text), event_type)
    assert [a.entity_text for a in event.actor] == ["Zorblat"]
    assert all(a.code is None and a.resolved_by == "unresolved" for a in event.actor + event.recipient)


# --- places -----------------------------------------------------------------------------
def test_ambiguous_city_is_decided_by_the_region_the_text_names(coder) -> None:
    text = ("Canadian police arrested two protesters in London, Ontario, on Tuesday. "
            "The city has seen weeks of protests over housing, Canadian officials said.")
    event = _one(_events(coder, text), "COERCE")
    assert event.event_loc is not None and event.event_loc.name == "London"
    assert event.event_loc.country == "CAN"


def test_country_is_never_a_precise_point(coder) -> None:
    event = _one(_events(coder, "Egypt hosted talks with Sudan in Ethiopia on Tuesday."), "CONSULT")
    assert event.event_loc is None or event.event_loc.resolution != "city" or event.event_loc.name != "Ethiopia"


# --- intentions, after the PLOVER manual ---------------------------------------------------
def test_announced_aid_is_an_agreement(coder) -> None:
    events = _events(coder, "Finland will give Tanzania a grant of 50 million euros, the ministry said on Tuesday.")
    event = _one(events, "AGREE")
    assert _codes(event.actor) == {"FIN"} and _codes(event.recipient) == {"TZA"}
    assert "intent.json" in event.rule and event.status == "occurred"


def test_threat_to_shell_is_the_threat_with_its_recipient(coder) -> None:
    events = _events(coder, "Iran threatened on Tuesday to shell Iraqi border towns.")
    main = max(events, key=lambda e: e.confidence)
    assert main.event == "THREATEN" and "IRQ" in _codes(main.recipient)
    assert _one(events, "ASSAULT").status == "hypothetical"


def test_reported_demand_with_must(coder) -> None:
    event = _one(_events(coder, "Russia said on Tuesday that Sudan must return the seized helicopter."), "REQUEST")
    assert _codes(event.actor) == {"RUS"} and _codes(event.recipient) == {"SDN"}


# --- one event, several mentions ----------------------------------------------------------
def test_same_event_twice_in_the_body_is_one_event(coder) -> None:
    text = ("Chile condemned Peru on Tuesday over the fishing dispute. "
            "Chile condemned Peru again in a statement read on state television on Tuesday.")
    accuse = [e for e in _events(coder, text) if e.event == "ACCUSE"]
    assert len(accuse) == 1 and len(accuse[0].mentions) == 2


def test_a_retelling_with_less_detail_is_the_same_event(coder) -> None:
    events = _events(coder, "Kenya accused Uganda of arming the rebels on Monday. Kenyan officials also accused "
                            "the rebels' foreign backers of lying.")
    accuse = [e for e in events if e.event == "ACCUSE"]
    assert len(accuse) == 1 and _codes(accuse[0].recipient) == {"UGA"}, [(e.trigger, e.recipient) for e in accuse]
    assert len(accuse[0].mentions) >= 2


def test_headline_and_body_mentions_are_one_event(coder) -> None:
    text = ("Chile condemns Peru over fishing dispute\n\n"
            "SANTIAGO (Wire) - Chile condemned Peru on Tuesday over the fishing dispute, officials said.\n")
    coded = _code(coder, text, headline=True)  # the pipeline links the headline itself
    accuse = [e for e in coded.events if e.event == "ACCUSE"]
    assert len(accuse) == 1 and len(accuse[0].mentions) == 2
    coder.events.link_headline(coded.events, coded.article)  # idempotent
    accuse = [e for e in coded.events if e.event == "ACCUSE"]
    assert len(accuse) == 1
    mentions = sorted(accuse[0].mentions, key=lambda m: m.start)
    assert len(mentions) == 2
    assert mentions[0].trigger == "condemns" and mentions[0].sentence == "Chile condemns Peru over fishing dispute"
    assert text[mentions[1].start:mentions[1].end].startswith("condemned")


def test_headline_without_the_event_adds_no_mention(coder) -> None:
    text = ("Fishing fleets return to port\n\n"
            "SANTIAGO (Wire) - Chile condemned Peru on Tuesday over the fishing dispute, officials said.\n")
    coded = _code(coder, text, headline=True)
    assert all(len(e.mentions) == 1 for e in coded.events)


# --- arguments ------------------------------------------------------------------------------
def test_pronoun_subject_is_bound_to_the_speaker(coder) -> None:
    event = _one(_events(coder, "Switzerland said on Tuesday it had expelled two Russian diplomats."), "SANCTION")
    assert _codes(event.actor) == {"CHE"} and _codes(event.recipient) == {"RUS"}
    assert event.actor[0].resolved_by == "pronoun"  # the actor stage links "it" to Switzerland


def test_crowd_named_through_of(coder) -> None:
    event = _one(_events(coder, "Thousands of Iraqi Kurds demonstrated in Kirkuk on Sunday."), "PROTEST")
    assert _codes(event.actor) == {"IRQ"}


def test_group_takes_the_country_of_its_place(coder) -> None:
    event = _one(_events(coder, "Security forces in Guinea detained 40 refugees on Tuesday."), "COERCE")
    assert _codes(event.actor) == {"GIN"} and event.actor[0].resolved_by == "place_in_phrase"


def test_amount_of_goods_is_aid(coder) -> None:
    event = _one(_events(coder, "Japan sent 500 tons of rice to North Korea on Tuesday."), "AID")
    assert _codes(event.actor) == {"JPN"} and _codes(event.recipient) == {"PRK"}


def test_called_off_strike_is_a_concession(coder) -> None:
    events = _events(coder, "The Kenyan teachers' union called off its strike on Tuesday.")
    assert _one(events, "CONCEDE") and not [e for e in events if e.event == "PROTEST" and e.status == "occurred"]


def test_refused_cooperation_is_a_rejection(coder) -> None:
    event = _one(_events(coder, "Lebanon will not accept more refugees from Syria, the minister said on Tuesday."),
                 "REJECT")
    assert _codes(event.actor) == {"LBN"} and "refusal" in event.rule


def test_attack_in_a_city_targets_its_country(coder) -> None:
    event = _one(_events(coder, "Militants exploded a bomb in Kabul on Tuesday."), "ASSAULT")
    assert _codes(event.recipient) == {"AFG"} and event.recipient[0].resolved_by.endswith("place")


def test_attack_in_a_smaller_city_targets_its_country(coder) -> None:
    event = _one(_events(coder, "Militants exploded a car bomb in Kandahar on Tuesday."), "ASSAULT")
    assert _codes(event.recipient) == {"AFG"} and event.recipient[0].resolved_by == "event_place"
    assert event.event_loc is not None and event.event_loc.text == "Kandahar" and event.event_loc.geonameid


def test_people_named_with_a_country_adjective_live_there(coder) -> None:
    event = _one(_events(coder, "Bosnian Serbs attacked two villages near Tuzla on Tuesday."), "ASSAULT")
    assert _codes(event.actor) == {"BIH"}


def test_mediation_between_two_parties_has_them_as_recipients(coder) -> None:
    event = _one(_events(coder, "Norway launched a mediation effort between Colombia and Venezuela on Tuesday."),
                 "CONSULT")
    assert _codes(event.actor) == {"NOR"} and _codes(event.recipient) == {"COL", "VEN"}


def test_releasing_people_is_a_retreat_but_releasing_a_report_is_not(coder) -> None:
    events = _events(coder, "Iran released two British nurses on Tuesday.")  # no LIGHT row names nurses
    assert _codes(_one(events, "RETREAT").recipient) == {"GBR"}
    assert not [e for e in _events(coder, "Iran released a report on Tuesday.") if e.event == "RETREAT"]


def test_main_event_of_a_sentence_is_one_that_happened(coder) -> None:
    """The evaluation's main event skips denied and feared events: such a sentence reports no event."""
    from communique.evaluation.events import main_event

    assert main_event(_events(coder, "Turkey denied threatening Greece on Monday.")) is None
    top = main_event(_events(coder, "Iran threatened on Tuesday to shell Iraqi border towns."))
    assert top is not None and top.event == "THREATEN"


def test_conditional_withdrawal_is_a_threat(coder) -> None:
    events = _events(coder, "Nigeria said on Tuesday it will withdraw its troops from Chad unless the fighting stops.")
    event = _one(events, "THREATEN")
    assert _codes(event.actor) == {"NGA"} and event.status == "occurred"
    assert not [e for e in events if e.event == "RETREAT" and e.status == "occurred"]


def test_threat_is_addressed_to_the_party_that_must_act(coder) -> None:
    event = _one(_events(coder, "Syria threatened on Tuesday to close the border unless Turkey withdrew its troops."),
                 "THREATEN")
    assert _codes(event.actor) == {"SYR"} and "TUR" in _codes(event.recipient)


def test_investigation_targets_the_perpetrators_named_by_by(coder) -> None:
    event = _one(_events(coder, "Serbia opened an investigation into crimes committed by Croatian forces."),
                 "ACCUSE")
    assert _codes(event.recipient) == {"HRV"}


# --- recipients: own means, named places, groups, clauses (second round) ------------------
def test_own_troops_are_not_the_recipient_of_a_withdrawal(coder) -> None:
    event = _one(_events(coder, "Chad said on Tuesday it had withdrawn its soldiers from Niger."), "RETREAT")
    assert _codes(event.actor) == {"TCD"} and _codes(event.recipient) == {"NER"}


def test_named_destination_beats_an_object_with_no_country(coder) -> None:
    event = _one(_events(coder, "The United Nations sent 300 soldiers to Haiti on Tuesday."), "MOBILIZE")
    assert _codes(event.recipient) == {"HTI"}


def test_rebels_named_by_their_region_belong_to_its_country(coder) -> None:
    event = _one(_events(coder, "Sudanese troops attacked Darfur rebels on Monday."), "ASSAULT")
    assert _codes(event.recipient) == {"SDN"}


def test_mediation_among_a_countrys_parties_targets_that_country(coder) -> None:
    event = _one(_events(coder, "The African Union may halt mediation efforts among Somalia's feuding clans, "
                                "its envoy said on Monday."), "SANCTION")
    assert _codes(event.recipient) == {"SOM"}


def test_demand_noun_is_addressed_to_its_clause_subject(coder) -> None:
    event = _one(_events(coder, "The rebels insisted on their demands that Mali's government release the prisoners."),
                 "REQUEST")
    assert _codes(event.recipient) == {"MLI"}


def test_visit_noun_takes_the_country_of_the_arrival_place(coder) -> None:
    event = _one(_events(coder, "The Turkish president arrived in Baku on Monday on a two-day visit."), "CONSULT")
    assert _codes(event.actor) == {"TUR"} and _codes(event.recipient) == {"AZE"}


def test_lifted_curfew_in_a_region_targets_its_country(coder) -> None:
    event = _one(_events(coder, "The government lifted a curfew in North Darfur State on Monday."), "CONCEDE")
    assert _codes(event.recipient) == {"SDN"}


def test_apposition_names_an_unnamed_actor(coder) -> None:
    event = _one(_events(coder, "The main rebel group, the Revolutionary United Front, accused Guinea on Monday "
                                "of shelling its positions."), "ACCUSE")
    assert _codes(event.actor) == {"SLE"} and _codes(event.recipient) == {"GIN"}


def test_unknown_subject_keeps_its_words_and_no_code(coder) -> None:
    event = _one(_events(coder, "The committee rejected the proposal on Monday."), "REJECT")
    assert [(a.entity_text, a.code, a.resolved_by) for a in event.actor] == [("The committee", None, "unresolved")]


def test_allowing_is_a_concession_and_refusing_to_allow_a_rejection(coder) -> None:
    assert _one(_events(coder, "The junta allowed opposition leaders to hold a rally on Sunday."), "CONCEDE")
    events = _events(coder, "The junta refused to allow opposition leaders to hold a rally on Sunday.")
    assert _one(events, "REJECT") and not [e for e in events if e.event == "CONCEDE" and e.status == "occurred"]


def test_cancelled_restrictions_are_a_concession(coder) -> None:
    event = _one(_events(coder, "Latvia cancelled restrictions on foreign journalists on Monday."), "CONCEDE")
    assert _codes(event.actor) == {"LVA"}


def test_vow_to_fight_is_a_threat_but_a_vow_to_support_an_agreement(coder) -> None:
    event = _one(_events(coder, "The militia vowed on Monday to fight until Kenya withdraws its troops."), "THREATEN")
    assert "vow" in event.rule and event.mode == "violence"
    events = _events(coder, "The militia vowed on Monday to support the peace plan.")
    assert _one(events, "AGREE") and not [e for e in events if e.event == "THREATEN"]


def test_pressuring_someone_to_act_is_a_request(coder) -> None:
    event = _one(_events(coder, "Kenyan police pressured the dock workers to end their strike on Monday."), "REQUEST")
    assert [a.entity_text for a in event.recipient] == ["the dock workers"]


def test_joint_exercise_of_two_countries_is_cooperation(coder) -> None:
    event = _one(_events(coder, "French and Egyptian warships launched ten days of war games on Monday."), "COOPERATE")
    assert _codes(event.actor) == {"FRA", "EGY"} and event.rule.endswith("+joint")
    assert _one(_events(coder, "Egyptian warships began exercises on Monday."), "MOBILIZE")


def test_complement_recipient_with_a_country_replaces_one_without(coder) -> None:
    event = _one(_events(coder, "Thousands of students demonstrated in the capital on Sunday, calling for "
                                "independence from Spain."), "PROTEST")
    assert _codes(event.recipient) == {"ESP"}


def test_unresolved_city_recipient_is_geocoded(coder) -> None:
    event = _one(_events(coder, "Hundreds of farmers protested in the northern city of Kirkuk on Sunday."), "PROTEST")
    assert [(a.code, a.resolved_by) for a in event.recipient] == [("IRQ", "gazetteer")]


def test_attacked_camp_targets_the_people_it_is_for(coder) -> None:
    event = _one(_events(coder, "A camp for Somali refugees was attacked by gunmen on Monday."), "ASSAULT")
    assert _codes(event.recipient) == {"SOM"}


def test_reminder_that_someone_must_act_is_a_request(coder) -> None:
    event = _one(_events(coder, "The French president issued a stern reminder to Iraq that it must cooperate "
                                "with the inspectors."), "REQUEST")
    assert _codes(event.actor) == {"FRA"} and _codes(event.recipient) == {"IRQ"}


def test_concluding_that_someone_must_act_is_a_request(coder) -> None:
    event = _one(_events(coder, "The forum concluded on Saturday that Brazil must protect the rainforest."), "REQUEST")
    assert _codes(event.recipient) == {"BRA"}


def test_opened_hearing_is_an_investigation(coder) -> None:
    event = _one(_events(coder, "Kenya's high court opened a hearing on Monday into the killing of two protesters."),
                 "ACCUSE")
    assert event.mode == "investigate" and _codes(event.actor) == {"KEN"}


def test_fighting_an_abstraction_is_no_use_of_force(coder) -> None:
    events = _events(coder, "The new cabinet vowed on Monday to fight corruption and inflation.")
    assert not [e for e in events if e.event in ("ASSAULT", "THREATEN")]
    fought = _one(_events(coder, "Rebels fought government troops near the border town on Sunday."), "ASSAULT")
    assert [a.entity_text for a in fought.recipient] == ["government troops"]


# --- places from the sentence and the story's scene -------------------------------------------------
def test_an_event_takes_the_city_its_sentence_or_the_lead_sets_the_scene_in(coder) -> None:
    story = ("Norwegian and Icelandic ministers held talks on fishing quotas in Reykjavik on Monday. "
             "The ministers discussed cod stocks for three hours.\n\n"
             "At a news conference in Reykjavik after the talks, Norway's fisheries minister praised Iceland.\n\n"
             "Iceland's foreign minister later criticised Norway over the whaling ban.")
    events = _events(coder, story)
    praise = _one(events, "SUPPORT")
    assert praise.event_loc is not None and praise.event_loc.text == "Reykjavik"
    accuse = _one(events, "ACCUSE")  # its sentence names no place: the scene of the lead, marked as a fallback
    assert accuse.event_loc is not None and accuse.event_loc.text == "Reykjavik" and accuse.event_loc.fallback


def test_a_city_named_without_a_place_preposition_sets_no_scene(coder) -> None:
    story = ("Lima's mayor criticised Chile's president on Monday.\n\n"
             "Peru's foreign minister later criticised Chile over the border.")
    for event in _events(coder, story):
        assert event.event_loc is None or event.event_loc.name != "Lima", event


def test_an_act_asked_about_in_a_yes_no_question_is_not_asserted(coder) -> None:
    """ "Did Kenya refuse …?" asks; "Why did Kenya refuse …?" takes the refusal as given."""
    asked = coder.code_text("Did the Kenyan government refuse to hand over the documents to Uganda?")
    given = coder.code_text("Why did the Kenyan government refuse to hand over the documents to Uganda?")
    assert [e.status for e in asked.events if e.event == "REJECT"] == ["hypothetical"]
    assert [e.status for e in given.events if e.event == "REJECT"] == ["occurred"]


def test_anyone_on_strike_is_a_labour_strike_not_an_attack(coder) -> None:
    events = _events(coder, "Hundreds of court clerks were on strike across Tarvania on Monday over planned cuts.")
    assert not [e for e in events if e.event == "ASSAULT"]
    assert _one(events, "PROTEST").mode == "strike"


def test_an_act_with_no_object_did_not_happen(coder) -> None:
    """ "give no support to the rebels": no aid was given (a refusal at most, never an occurred AID)."""
    coded = coder.code_text("Kenyan officials insist that they give no support to the rebels in Somalia.",
                            published=date(2027, 3, 10))
    assert not [e for e in coded.events if e.event == "AID" and e.status == "occurred"], \
        [(e.event, e.status, e.trigger) for e in coded.events]


def test_a_time_clause_of_a_future_main_clause_has_not_happened(coder) -> None:
    coded = coder.code_text("Analysts believe the policy will change only when President Amos Kibet of Kenya has "
                            "resigned.", published=date(2027, 3, 10))
    resigned = _triggered(coded, "resigned")
    assert resigned and resigned[0].status != "occurred"


def test_a_visit_the_lead_reports_sets_the_scene_of_the_story(coder) -> None:
    """ "Mr X, visiting Nairobi, …": what he does in the story happens in Nairobi unless a sentence says where."""
    coded = coder.code_text("Ugandan Foreign Minister Ruth Okello has praised Kenya's new border rules.\n\n"
                            "Ms Okello, visiting Nairobi, said the rules would help traders. She also criticised "
                            "the Kenyan opposition.", published=date(2027, 3, 10))
    criticised = _triggered(coded, "criticised")
    assert criticised and criticised[0].event_loc is not None and criticised[0].event_loc.name == "Nairobi", \
        [(e.trigger, e.event_loc) for e in coded.events]


def test_an_event_is_dated_by_a_month_the_tagger_misses_and_not_by_a_side_clause(coder) -> None:
    coded = coder.code_text("In May, Kenyan police arrested the Ugandan opposition leader Ruth Okello.\n\n"
                            "\"Kenya supports efforts to end the war,\" Foreign Minister Amos Kibet said at the "
                            "opening of the talks, held this year in Nairobi.", published=date(2027, 8, 25))
    arrested = _triggered(coded, "arrested")
    assert arrested and arrested[0].date is not None and arrested[0].date.value == date(2027, 5, 1)
    assert arrested[0].date.precision == "month"
    supports = _triggered(coded, "supports")
    assert supports and supports[0].date is not None and supports[0].date.value == date(2027, 8, 25)


@pytest.mark.parametrize("text, trigger, wrong", [
    ("Kenyan officials said Uganda's stake in the pipeline should be cut to 20%.", "said", "REQUEST"),
    ("President Amos Kibet's words met a cool reception from Ugandan MPs.", "met", "CONSULT"),
    ("Kenya and Uganda cannot prevent every rebel attack, the minister said.", "attack", "ASSAULT"),
    ("Kenyan opposition leader Ruth Okello also attacked the way Uganda runs its elections.", "attacked",
     "ASSAULT"),
])
def test_words_of_events_used_for_something_else_code_no_such_event(coder, text: str, trigger: str,
                                                                     wrong: str) -> None:
    """A passive obligation names nobody asked; a reception met is no meeting; whoever prevents attacks does
    not make them; attacking a way of doing things is criticism."""
    coded = coder.code_text(text, published=date(2027, 3, 10))
    assert not [e for e in coded.events if e.event == wrong and e.trigger.startswith(trigger)
                and any(a.code for a in e.actor)], [(e.event, e.trigger, e.actor) for e in coded.events]


def test_a_programme_title_triggers_no_event(coder) -> None:
    coded = coder.code_text("Senator Ruth Kemp of Ohio criticised China on NBC's ''Meet the Voters.''",
                            published=date(2024, 3, 6))
    assert not _triggered(coded, "Meet")
    assert _triggered(coded, "criticised")


def test_a_possessor_does_what_its_noun_of_phrase_says(coder) -> None:
    coded = coder.code_text("Senator Hale questioned Mrs. Lund's account of visiting Bosnia under fire.",
                            published=date(2024, 3, 6))
    [visit] = _triggered(coded, "visiting")
    assert [a.entity_text for a in visit.actor] == ["Lund"]


def test_a_country_naming_someones_trip_is_where_they_went(coder) -> None:
    coded = coder.code_text("Foreign Minister Ana Silva of Portugal cut short her Brazil trip on Sunday.",
                            published=date(2024, 3, 6))
    [trip] = _triggered(coded, "trip")
    assert _codes(trip.actor) == {"PRT"} and _codes(trip.recipient) == {"BRA"}


def test_whom_a_warning_clause_is_about_is_warned(coder) -> None:
    coded = coder.code_text("Chancellor Hans Vogel of Austria repeated his warning that Hungary would lose "
                            "its EU funds.", published=date(2024, 3, 6))
    [warning] = _triggered(coded, "warning")
    assert warning.event == "THREATEN" and _codes(warning.recipient) == {"HUN"}


def test_fighting_it_is_no_attack_when_it_is_no_actor(coder) -> None:
    coded = coder.code_text('Greek Finance Minister Nikos Pappas spoke about tax evasion in London on Monday.\n\n'
                            '"We are fighting it in its immediate context," he said.', published=date(2024, 3, 6))
    assert not [e for e in coded.events if e.event == "ASSAULT"]


def test_a_reaction_to_the_move_is_to_whoever_made_it(coder) -> None:
    story = ("Chile agreed on Monday to reopen its border with Bolivia.\n\n"
             "Trade ministers met in Lima later that day. Peru's foreign minister, Ana Ruiz, welcomed the move.")
    coded = coder.code_text(story, published=date(2024, 3, 6))
    [welcome] = _triggered(coded, "welcomed")
    assert _codes(welcome.recipient) == {"CHL"}
    assert welcome.recipient[0].resolved_by == "previous_event"


def test_praise_is_no_move_to_react_to(coder) -> None:
    story = ("Farmers protested in Lima on Monday.\n\n"
             "Chile praised Bolivia for its restraint. Peru's foreign minister, Ana Ruiz, welcomed the move.")
    coded = coder.code_text(story, published=date(2024, 3, 6))
    [welcome] = _triggered(coded, "welcomed")
    assert "CHL" not in _codes(welcome.recipient)


def test_a_date_describing_a_word_does_not_date_the_event(coder) -> None:
    coded = coder.code_text("Ana Ruiz, Peru's ambassador to Chile from 2001 to 2006, urged Chile on Tuesday to "
                            "reopen the border.", published=date(2024, 3, 6))
    [urge] = _triggered(coded, "urged")
    assert urge.status == "occurred" and urge.date is not None and urge.date.value == date(2024, 3, 5)


def test_defending_oneself_supports_no_one(coder) -> None:
    coded = coder.code_text("The treaty obliges Canada to help Iceland defend itself.", published=date(2024, 3, 6))
    assert not [e for e in coded.events if e.trigger.startswith("defend")]


def test_a_wish_to_travel_to_meet_someone_is_no_meeting(coder) -> None:
    coded = coder.code_text("Mayor Ana Ruiz of Lima said she would like to go to Chile to meet with Chilean "
                            "mayors.", published=date(2024, 3, 6))
    [meeting] = _triggered(coded, "meet")
    assert meeting.status != "occurred"



def test_what_a_withdrawal_is_from_is_its_target(coder) -> None:
    coded = coder.code_text("Greek voters backed a withdrawal from the European Union on Sunday.",
                            published=date(2024, 3, 6))
    [withdrawal] = _triggered(coded, "withdrawal")
    assert _codes(withdrawal.recipient) == {"EUR"} and "EUR" not in _codes(withdrawal.actor)


def test_shooting_back_with_words_is_no_attack(coder) -> None:
    coded = coder.code_text("Senator Tom Vale of Ohio shot back that Mexico had never paid for anything.",
                            published=date(2024, 3, 6))
    assert not [e for e in coded.events if e.event == "ASSAULT"]


def test_what_talks_are_about_has_not_happened(coder) -> None:
    coded = coder.code_text("Serbia and Kosovo held talks on Monday on a Serbian troop withdrawal from the "
                            "border.", published=date(2024, 3, 6))
    [withdrawal] = _triggered(coded, "withdrawal")
    assert withdrawal.status == "hypothetical"



def test_whose_land_is_seized_is_the_target(coder) -> None:
    coded = coder.code_text("Bolivian officials will seize land owned by a Dutch company as part of President "
                            "Luis Arce's land reform.", published=date(2024, 3, 6))
    [seizure] = _triggered(coded, "seize")
    assert _codes(seizure.recipient) == {"NLD"}  # the owner, not whose reform it is


def test_a_minister_saying_what_the_government_must_do_asks_no_one(coder) -> None:
    coded = coder.code_text("Peru's foreign minister, Ana Ruiz, said on Tuesday that the government must "
                            "rethink its strategy toward Chile.", published=date(2024, 3, 6))
    assert not [e for e in coded.events if e.event == "REQUEST"]
    coded = coder.code_text("Opposition leader Carlos Ibarra of Peru said on Tuesday that the foreign minister "
                            "must resign.", published=date(2024, 3, 6))
    assert [e for e in coded.events if e.event == "REQUEST"]


def test_a_time_counted_from_the_sentence_before_dates_the_event_and_its_when_clause_dates_the_main_one(
        coder) -> None:
    """ "two years later" counts from the year named just before (past an initial, "George W. Bush", that ends
    no sentence), not from publication; the main clause happens when its "when" clause does."""
    coded = coder.code_text("In 2010, Peru accepted the request of the George W. Hale administration to open a "
                            "border post.\n\nBut when the Chilean Congress cut funding for the post two years "
                            "later, Peru protested.", published=date(2024, 3, 6))
    [cut] = _triggered(coded, "cut")
    [protest] = _triggered(coded, "protested")
    assert cut.date is not None and cut.date.value == date(2012, 1, 1) and cut.status == "historical"
    assert protest.date is not None and protest.date.value == date(2012, 1, 1)


@pytest.mark.parametrize(("text", "trigger", "place_code"), [
    ("Peru's navy said the ships already committed to the relief operation in the Indian Ocean would stay.",
     "committed", "IND"),
])
def test_where_something_is_said_or_promised_is_not_whom_it_addresses(coder, text: str, trigger: str,
                                                                     place_code: str) -> None:
    """A place is the target of an act done there ("bombs exploded in Kabul"), not of words or promises."""
    coded = coder.code_text(text, published=date(2024, 3, 6))
    assert all(place_code not in _codes(e.recipient) for e in _triggered(coded, trigger))


def test_a_place_visited_is_still_the_visits_target(coder) -> None:
    coded = coder.code_text("Peru's foreign minister Ana Ruiz was touring the old city of Cusco, then visiting a "
                            "shrine in Amritsar on Thursday.", published=date(2024, 3, 6))
    assert any("IND" in _codes(e.recipient) for e in coded.events if e.event == "CONSULT")


def test_a_joint_news_conference_is_a_meeting_of_its_named_holder(coder) -> None:
    """The person named right after an office ("Japan's foreign minister Ken Sato", no comma) is that person, not
    whoever the knowledge base lists for the office; a joint news conference with someone is a meeting, and the
    "news" of it is no participant."""
    coded = coder.code_text("Japan's foreign minister Ken Sato held a joint news conference with his Chilean "
                            "counterpart in Santiago on Monday.", published=date(2005, 1, 21))
    meeting = _one(coded.events, "CONSULT")
    assert [a.name for a in meeting.actor] == ["Ken Sato"] and _codes(meeting.actor) == {"JPN"}
    assert _codes(meeting.recipient) == {"CHL"}


def test_a_visit_to_a_continent_goes_to_no_country_and_happens_where_the_visit_goes(coder) -> None:
    """ "Africa" is no Tunisian town of that old name, and a visit to Kenya did not happen in the Lisbon an earlier
    sentence names."""
    coded = coder.code_text("Ministers will review the reform plans agreed in Lisbon in 2000. Finance Minister Ana "
                            "Ruiz of Peru has visited Kenya's biggest market as she opened a week-long visit to "
                            "Africa.", published=date(2005, 1, 15))
    visits = [e for e in coded.events if e.event == "CONSULT"]
    assert visits and all("TUN" not in _codes(e.recipient) for e in visits)
    assert all(e.event_loc is None or e.event_loc.country == "KEN" for e in visits)
    [agreed] = _triggered(coded, "agreed")
    assert agreed.status == "historical"  # a future clause looking back on 2000


@pytest.mark.parametrize(("text", "trigger", "status"), [
    ("Peru's president says he would be happy to meet the Chilean president.", "meet", "hypothetical"),
    ("Peru's president was happy to meet the Chilean president on Monday.", "meet", "occurred"),
])
def test_a_modal_on_the_adjective_the_trigger_completes_sets_its_status(coder, text: str, trigger: str,
                                                                        status: str) -> None:
    coded = coder.code_text(text, published=date(2024, 3, 6))
    [event] = _triggered(coded, trigger)
    assert event.status == status


@pytest.mark.parametrize(("text", "trigger", "not_target"), [
    # the story's own country is the weak fallback target of its officials' acts ("the Tories welcomed the
    # report"), never of the country itself
    ("Chile pledged on Monday to expand its navy. Chilean officials welcomed the report on the navy.", "pledged",
     "CHL"),
    # a report of an attack is not aimed where the attack was
    ("The results of the investigation by a UN panel, which said the Chilean army shelled villages in Tacna in "
     "2014, were published.", "investigation", "PER"),
])
def test_a_code_the_words_do_not_make_a_target(coder, text: str, trigger: str, not_target: str) -> None:
    [event] = _triggered(coder.code_text(text, published=date(2024, 3, 6)), trigger)
    assert not_target not in _codes(event.recipient)


def test_meeting_a_challenge_is_no_meeting(coder) -> None:
    coded = coder.code_text("Chile's defence minister said the plans were enough for meeting any Peruvian "
                            "challenge on the border.", published=date(2024, 3, 6))
    assert not [e for e in coded.events if e.event == "CONSULT"]


@pytest.mark.parametrize(("text", "trigger", "status"), [
    # a meeting named as the time of a failure happened
    ("Peru and Chile failed to find common ground during a meeting of their foreign ministers in Lima.",
     "meeting",
     "occurred"),
    # what a power or a duty is for has not happened
    ("Police said they had a duty to investigate the Chilean diplomats.", "investigate", "hypothetical"),
    # an instructed act is not reported as done
    ("The president said he had instructed the foreign minister to continue negotiating with Chile.",
     "negotiating", "hypothetical"),
    # a refusal names what does not happen
    ("Peru's refusal to accept the Chilean proposals angered Santiago.", "accept", "negated"),
])
def test_the_status_of_an_event_named_inside_another(coder, text: str, trigger: str, status: str) -> None:
    coded = coder.code_text(text, published=date(2024, 3, 6))
    events = _triggered(coded, trigger)
    assert events and events[0].status == status


def test_a_bare_office_is_the_story_countrys_holder(coder) -> None:
    """ "The president" in a story told from Peru is Peru's president, even after Chile's is named."""
    story = ("Peru's President Ana Ruiz spoke to Congress in Lima. Peruvian officials said Peru would send aid to "
             "the border towns. Chilean troops shelled Tacna, and President Jorge Soto of Chile said the war would "
             "go on. The president has deepened her resistance to providing the rebels with weapons.")
    coded = coder.code_text(story, published=date(2024, 3, 6))
    [aid] = _triggered(coded, "providing")
    assert [a.name for a in aid.actor] == ["Ana Ruiz"]


def test_a_resisted_act_is_not_done(coder) -> None:
    coded = coder.code_text("Peru's resistance to providing the rebels with weapons angered Chile.",
                            published=date(2024, 3, 6))
    [aid] = _triggered(coded, "providing")
    assert aid.status == "negated"


@pytest.mark.parametrize(("text", "trigger", "target"), [
    ("Peru pulled out of the African Union on Monday.", "pulled", "IGO"),
    ("Peru threatened to pull out of the African Union.", "threatened", "IGO"),
])
def test_what_one_pulls_out_of_is_the_target(coder, text: str, trigger: str, target: str) -> None:
    coded = coder.code_text(text, published=date(2024, 3, 6))
    [event] = _triggered(coded, trigger)
    assert target in _codes(event.recipient)


@pytest.mark.parametrize(("text", "status"), [
    ("The bill makes sure Congress has to approve any deal with Chile.", "hypothetical"),
    ("Congress needs to approve the deal with Chile.", "hypothetical"),
    ("The Peruvian Congress had to approve the deal with Chile.", "occurred"),
])
def test_an_obligation_is_not_an_act(coder, text: str, status: str) -> None:
    coded = coder.code_text(text, published=date(2024, 3, 6))
    [approve] = _triggered(coded, "approve")
    assert approve.status == status


def test_the_ministers_of_two_countries_are_both_countries(coder) -> None:
    coded = coder.code_text("The foreign ministers of Peru and Chile met in Quito on Tuesday to discuss fishing "
                            "rights, officials said.", published=date(2024, 3, 6))
    meeting = _one(coded.events, "CONSULT")
    assert _codes(meeting.actor) == {"PER", "CHL"}


def test_pressing_a_country_is_a_request_and_a_treaty_is_no_actor(coder) -> None:
    """ "Pressing the US to cut emissions" asks the US; "the Lima Protocol" names a treaty, not Peru's
    government; pressing an attack presses no one."""
    coded = coder.code_text("Chile is pressing Peru to cut fishing quotas despite its refusal to sign the Lima "
                            "Protocol. Senator Ana Ruiz is pressing her attack that the plan is unfair.",
                            published=date(2024, 3, 6))
    [press] = [e for e in coded.events if e.trigger == "pressing" and e.event == "REQUEST"]
    assert _codes(press.actor) == {"CHL"} and _codes(press.recipient) == {"PER"}
    assert all(e.recipient == [] or "PER" not in _codes(e.recipient) for e in _triggered(coded, "sign"))


def test_a_meeting_is_not_held_with_the_city_it_is_held_in(coder) -> None:
    story = ("Peru and Chile hold border talks\n\nSenior Peruvian and Chilean diplomats held more than three hours "
             "of talks on border security in Quito on Wednesday, their first such meeting in months, officials from "
             "both delegations said.")
    coded = _code(coder, story, headline=True)
    meeting = _one(coded.events, "CONSULT")
    assert "ECU" not in _codes(meeting.recipient)


def test_standing_by_with_no_one_named_supports_no_one(coder) -> None:
    coded = coder.code_text("The world cannot stand by and watch the famine in Peru, the Chilean president said. "
                            "Bolivia sided with Peru.", published=date(2024, 3, 6))
    assert not _triggered(coded, "stand")
    assert [e.event for e in _triggered(coded, "sided")] == ["SUPPORT"]


def test_reinforcing_unity_is_no_mobilisation(coder) -> None:
    coded = coder.code_text("Peru's president said the Andean states must reinforce their unity. Chile reinforced "
                            "its garrison in Arica.", published=date(2024, 3, 6))
    assert [e.trigger for e in coded.events if e.event == "MOBILIZE"] == ["reinforced"]
