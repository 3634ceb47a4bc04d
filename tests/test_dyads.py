"""Both sides of an event and every person's country, on whole invented stories (the dyads issue).

Each story is written for the test; names of fictional people are used wherever the rule is about
text rather than about who holds an office.
"""

from __future__ import annotations

from datetime import date

import pytest

from communique.model import CodedArticle, Event, Quote
from communique.reading.read import RawDoc

PUBLISHED = date(2027, 3, 10)  # a Wednesday


def _code(coder, text: str, published: date | None = PUBLISHED) -> CodedArticle:
    explicit = {"published": published} if published else {}
    return coder.code(RawDoc(source="<fixture>", text=text, origin="text", explicit=explicit, headline_line=False))


def _events(coded: CodedArticle, event_type: str) -> list[Event]:
    return [e for e in coded.events if e.event == event_type]


def _triggered(coded: CodedArticle, words: str) -> list[Event]:
    """The events whose trigger starts with ``words``."""
    return [e for e in coded.events if e.trigger.startswith(words)]


def _codes(actors) -> set[str | None]:
    return {a.code for a in actors}


def _speaker(coded: CodedArticle, words: str) -> Quote:
    found = [q for q in coded.quotes if words in q.text]
    assert found, [q.text for q in coded.quotes]
    return found[0]


# --- people tied to their countries ----------------------------------------------------------------
def test_a_national_office_implies_its_country(coder) -> None:
    coded = _code(coder, 'Home Secretary Alma Perrin said on Tuesday that the new border rules were '
                         '"fair and firm". House Speaker Rod Kessler told reporters the bill would pass.')
    perrin = _speaker(coded, "fair and firm").speaker
    assert perrin is not None and perrin.name == "Alma Perrin" and perrin.code == "GBR"
    kessler = [q for q in coded.quotes if q.speaker and q.speaker.name == "Rod Kessler"]
    assert kessler and kessler[0].speaker.code == "USA"  # the title is not part of his name


def test_a_party_title_names_the_party_of_its_country(coder) -> None:
    coded = _code(coder, 'Liberal Democrat spokesman Tom Vale said "the plan is a mess".')
    assert _speaker(coded, "plan is a mess").speaker.code == "GBR"  # not the US Democrats


def test_a_former_office_holder_keeps_the_country_of_the_office(coder) -> None:
    """Named in full outside every term of office (a campaign, a memoir), the person is still coded."""
    coded = _code(coder, 'Barack Obama said on Tuesday that "the vote matters more than ever".',
                  published=date(2024, 5, 1))
    speaker = _speaker(coded, "vote matters").speaker
    assert speaker is not None and speaker.code == "USA" and speaker.resolved_by == "kb_person_out_of_office"


def test_a_surname_alias_does_not_take_over_another_given_name(coder) -> None:
    """A known office holder's surname inside someone else's full name is not that office holder."""
    coded = _code(coder, 'Corin Putin, a farmer from Ohio, said the harvest "was the worst in years".')
    speaker = _speaker(coded, "worst in years").speaker
    assert speaker is not None and speaker.name == "Corin Putin" and speaker.code != "RUS"


def test_a_spokesman_takes_the_country_of_the_person_he_speaks_for(coder) -> None:
    coded = _code(coder, "Chancellor Greta Lindqvist of Sweden met the press on Monday. "
                         'Ivo Marsh, a spokesman for Ms. Lindqvist, said the talks "went well".')
    speaker = _speaker(coded, "went well").speaker
    assert speaker is not None and speaker.name == "Ivo Marsh" and speaker.code == "SWE"


def test_a_description_with_a_nationality_never_becomes_someone_of_another(coder) -> None:
    coded = _code(coder, "German envoy Jonas Adler arrived in Vienna on Monday. "
                         'The French diplomat said the plan "cannot work".')
    speaker = _speaker(coded, "cannot work").speaker
    assert speaker is not None and speaker.name != "Jonas Adler" and speaker.code == "FRA"


def test_the_articles_country_is_a_marked_fallback_for_domestic_offices(coder) -> None:
    coded = _code(coder, "Peru's congress met in Lima on Monday to debate the budget. Protests spread across "
                         'Peru. The interior minister said the police "will keep order".')
    speaker = _speaker(coded, "keep order").speaker
    assert speaker is not None and speaker.code == "PER" and speaker.resolved_by == "article_country"


def test_no_fallback_when_the_article_is_about_several_countries(coder) -> None:
    coded = _code(coder, "Chile and Bolivia traded accusations on Monday. Argentina and Brazil called for calm. "
                         'The interior minister said the border "remains open".')
    speaker = _speaker(coded, "remains open").speaker
    assert speaker is None or speaker.code is None


# --- both sides of an event ---------------------------------------------------------------------------
def test_the_target_can_sit_inside_the_object_phrase(coder) -> None:
    coded = _code(coder, "Japan on Tuesday rejected the fishing plan of South Korea, calling it unfair.")
    event = _events(coded, "REJECT")[0]
    assert _codes(event.actor) == {"JPN"} and _codes(event.recipient) == {"KOR"}


def test_an_actor_in_a_relative_clause_of_the_object_is_no_target(coder) -> None:
    coded = _code(coder, "The two governments agreed on Monday to reopen talks on the herring quota row, which led "
                         "to a complaint at the United Nations last year.")
    agree = _events(coded, "AGREE")
    assert agree and "UNO" not in _codes(agree[0].recipient)


def test_the_two_sides_are_the_pair_the_article_is_about(coder) -> None:
    coded = _code(coder, "Kenya and Tanzania opened border talks in Arusha on Monday. Kenya wants a new crossing; "
                         "Tanzania wants lower tolls. Officials from Kenya and Tanzania said progress was slow. "
                         "The two sides agreed on Tuesday to meet again next month.")
    agree = [e for e in _events(coded, "AGREE") if "two sides" in e.sentence]
    assert agree and _codes(agree[0].actor) == {"KEN", "TZA"}
    assert {a.resolved_by for a in agree[0].actor} == {"document_dyad"}


def test_both_as_a_subject_is_the_pair_the_article_is_about(coder) -> None:
    coded = _code(coder, "Kenya and Tanzania opened border talks in Arusha on Monday. Kenya wants a new crossing; "
                         "Tanzania wants lower tolls. Officials from Kenya and Tanzania said progress was slow. "
                         "Both released fishermen on Tuesday.")
    released = [e for e in coded.events if "Both" in e.sentence]
    assert released and _codes(released[0].actor) == {"KEN", "TZA"}, released


def test_police_acting_on_people_act_at_home(coder) -> None:
    coded = _code(coder, "Egyptian police detained dozens of students on Tuesday, witnesses said.")
    event = _events(coded, "COERCE")[0]
    assert _codes(event.recipient) == {"EGY"} and event.recipient[0].resolved_by == "domestic_action"


def test_troops_do_not_lend_their_country_to_people_they_act_on(coder) -> None:
    """Armed forces act abroad too: their country is never given to the people they act on."""
    coded = _code(coder, "Burmese troops detained dozens of villagers on Tuesday, witnesses said.")
    for event in _events(coded, "COERCE"):
        assert "domestic_action" not in {a.resolved_by for a in event.recipient}


TWO_COUNTRIES = ("Estonia and Latvia are at odds over fishing quotas in the Gulf of Riga. Latvia wants a larger share; "
                 "Estonia says the stocks are too low. Latvian officials met Estonian officials in Tallinn on Monday. ")


def test_a_recipient_the_sentence_leaves_implicit_is_the_other_country_of_a_two_country_story(coder) -> None:
    coded = _code(coder, TWO_COUNTRIES + "On Tuesday the Estonian government rejected the quota plan.")
    reject = [e for e in _events(coded, "REJECT") if "Estonian government" in e.sentence]
    assert reject and _codes(reject[0].actor) == {"EST"} and _codes(reject[0].recipient) == {"LVA"}
    assert reject[0].recipient[0].resolved_by == "document_dyad"


def test_an_event_named_by_a_noun_does_not_take_the_other_country_of_a_two_country_story(coder) -> None:
    """"Estonian negotiations on the budget": an event noun is often background or about anyone, so only a
    verb's implicit recipient comes from the pair."""
    coded = _code(coder, TWO_COUNTRIES + "Estonian negotiations on the new budget continued in May.")
    assert any(e.event == "CONSULT" and "budget" in e.sentence for e in coded.events)
    for event in coded.events:
        assert "document_dyad" not in {a.resolved_by for a in event.recipient}, event


def test_a_party_in_a_two_country_story_does_not_take_the_other_country(coder) -> None:
    """A party or a parliament talks about home as often as abroad: no implicit recipient from the pair."""
    coded = _code(coder, TWO_COUNTRIES + "Estonia's Centre Party welcomed the talks.")
    for event in _events(coded, "SUPPORT"):
        assert "document_dyad" not in {a.resolved_by for a in event.recipient}


def test_a_domestic_source_takes_the_articles_country_as_its_implicit_recipient(coder) -> None:
    """In a story about one country, "the opposition rejected the plans" is aimed at home (a weak, marked
    fallback); a country the story names once in passing is no counterpart."""
    coded = _code(coder, "The Danish government published its budget on Monday, a week after a visit by the United "
                         "States trade secretary. Denmark's opposition parties rejected the plans on Tuesday. "
                         "A Danish economist called the budget sound.")
    reject = [e for e in _events(coded, "REJECT") if "opposition" in e.sentence]
    assert reject and _codes(reject[0].actor) == {"DNK"} and _codes(reject[0].recipient) == {"DNK"}
    assert reject[0].recipient[0].resolved_by == "article_country"


# --- status -----------------------------------------------------------------------------------------
def test_a_meeting_in_the_present_progressive_with_a_time_is_planned(coder) -> None:
    coded = _code(coder, "Norway's foreign minister is meeting officials from Iceland this week to discuss fishing.")
    assert {e.status for e in coded.events} == {"planned"}  # the meeting and its purpose


def test_are_to_meet_on_a_weekday_is_the_next_one(coder) -> None:
    coded = _code(coder, "The presidents of Chile and Peru are to meet in Santiago on Friday.")
    event = next(e for e in coded.events if e.event in ("CONSULT", "AGREE"))
    assert event.status == "planned" and event.date is not None and event.date.value == date(2027, 3, 12)
    assert event.date.ref is not None and event.date.ref in {t.id for t in coded.times}


def test_an_explicit_date_after_publication_is_planned(coder) -> None:
    coded = _code(coder, "Ghana and Togo hold talks in Accra on March 20, 2027.")
    event = next(e for e in coded.events if e.event in ("CONSULT", "AGREE"))
    assert event.status == "planned" and event.date is not None and event.date.value == date(2027, 3, 20)


def test_a_bare_month_in_an_untensed_clause_is_the_nearest_one(coder) -> None:
    """Published 10 March 2027: "meets in June" is June 2027 (planned), "held talks in June" June 2026."""
    coded = _code(coder, "The council of Baltic states looks at the Latvian proposal when it meets in Riga in June. "
                         "Estonia and Finland held talks in Tallinn in June.")
    meets = next(e for e in coded.events if e.trigger.startswith("meets"))
    assert meets.status == "planned" and meets.date is not None and meets.date.value == date(2027, 6, 1)
    talks = next(e for e in coded.events if e.event == "CONSULT" and e.trigger.startswith("held"))
    assert talks.status == "occurred" and talks.date is not None and talks.date.value == date(2026, 6, 1)


def test_an_event_noun_takes_the_modal_of_the_verb_it_complements(coder) -> None:
    coded = _code(coder, 'Up to a million Kenyan teachers could take part in strikes against the government. '
                         'Kenyan nurses held strikes against the government on Monday.')
    strikes = {("teachers" if "teachers" in e.sentence else "nurses"): e.status for e in _events(coded, "PROTEST")}
    assert strikes == {"teachers": "hypothetical", "nurses": "occurred"}, strikes


def test_a_condition_makes_an_act_hypothetical_but_not_a_threat(coder) -> None:
    coded = _code(coder, 'If they carry no papers, the Kenyan migrants are going to be detained. '
                         'Ghana threatened to expel Togolese diplomats if Togo closes the border.')
    assert all(e.status != "occurred" for e in _events(coded, "COERCE"))
    threat = _events(coded, "THREATEN")
    assert threat and threat[0].status == "occurred"


def test_an_agentless_arrest_is_done_by_the_police_of_the_place(coder) -> None:
    coded = _code(coder, 'Two British tourists were arrested in Nairobi on Monday. '
                         'Ten protesters have been charged with disorder by Kenyan prosecutors.')
    arrest = _events(coded, "COERCE")[0]
    assert _codes(arrest.actor) == {"KEN"} and arrest.actor[0].resolved_by == "implied_authority"
    assert _codes(arrest.recipient) == {"GBR"}
    charged = next(e for e in coded.events if e.trigger.startswith("charged"))
    assert all(a.resolved_by != "implied_authority" for a in charged.actor)  # the agent is named


def test_once_and_a_who_aside_tell_background(coder) -> None:
    coded = _code(coder, 'Senator Tom Vale once defended Kenya in the Senate. '
                         'Ruth Otieno, who resigned over the Ugandan war, criticised Kenya on Monday. '
                         'Amos Kibet, who resigned on Monday, criticised Uganda.')
    status = {(e.event, e.sentence.split()[0]): e.status for e in coded.events}
    assert status[("SUPPORT", "Senator")] == "historical" and status[("RETREAT", "Ruth")] == "historical", status
    assert status[("ACCUSE", "Ruth")] == "occurred" and status[("RETREAT", "Amos")] == "occurred", status


def test_a_year_long_before_publication_is_historical(coder) -> None:
    coded = _code(coder, "Iraq invaded Kuwait in 1990, the minister recalled.")
    event = _events(coded, "ASSAULT")[0]
    assert event.status == "historical"


# --- organisations, descriptions and pronouns that refer back -------------------------------------
def test_a_company_takes_the_country_its_description_gives_and_keeps_it_for_later_mentions(coder) -> None:
    coded = _code(coder, 'The Danish shipping giant Nordvik Lines has agreed to pay a fine of 2m euros. '
                         'The company said "the payments were a mistake". It said it "deeply regretted" them.')
    first = _speaker(coded, "payments were a mistake").speaker
    assert first is not None and first.name == "Nordvik Lines" and first.code == "DNK"
    assert first.resolved_by == "description"
    second = _speaker(coded, "deeply regretted").speaker
    assert second is not None and second.name == "Nordvik Lines" and second.resolved_by == "pronoun"


def test_an_organisation_whose_name_holds_a_country_is_of_that_country(coder) -> None:
    coded = _code(coder, 'The Muslim Council of Kenya criticised the new grain tariff on Monday. '
                         'The victims of the Indian Ocean storm which killed 40 fishermen were buried on Tuesday.')
    accuse = _events(coded, "ACCUSE")
    assert accuse and _codes(accuse[0].actor) == {"KEN"} and accuse[0].actor[0].resolved_by == "name_country"
    assert not any(a.code for e in coded.events for a in e.actor if "Ocean" in a.entity_text)


def test_a_name_after_a_business_word_is_a_company_not_a_place(coder) -> None:
    """ "Paris" after "carmaker" names a company; the story's city is elsewhere."""
    coded = _code(coder, 'The Japanese carmaker Paris Motors said "sales will recover next year".')
    speaker = _speaker(coded, "sales will recover").speaker
    assert speaker is not None and speaker.name == "Paris Motors" and speaker.code == "JPN"


def test_an_honorific_finds_a_family_name_written_first(coder) -> None:
    coded = _code(coder, 'Chinese Trade Minister Wen Haolin met his Danish counterpart in Beijing on Monday. '
                         'Mr. Wen said "both sides gained". Wen added that exports "must keep growing".')
    for words in ("both sides gained", "must keep growing"):
        speaker = _speaker(coded, words).speaker
        assert speaker is not None and speaker.name == "Wen Haolin" and speaker.code == "CHN", words


def test_a_surname_that_is_also_a_word_still_refers_to_the_person(coder) -> None:
    """ "Trump last week invited …": tagged a common noun, the surname still names the person met before."""
    coded = _code(coder, 'Donald Trump spoke in Ohio on Monday. Trump last week invited Russia to release the '
                         'emails.', published=date(2016, 7, 13))
    invited = _triggered(coded, "invited")
    assert invited and _codes(invited[0].actor) == {"USA"} and invited[0].actor[0].resolved_by == "surname"


def test_a_subject_pronoun_takes_the_main_clause_subject_not_a_reported_one(coder) -> None:
    """ "Ridley pledged that Hale is …. He also spoke …": "he" is Ridley, whose clause it was."""
    coded = _code(coder, 'Governor Tom Ridley spoke in Dayton on Monday. Ridley pledged that Senator Mark Hale '
                         '"really is" committed to free trade. He also spoke about the border wall, saying it '
                         'will be "as big as it needs to be."')
    speaker = _speaker(coded, "as big as it needs").speaker
    assert speaker is not None and speaker.name == "Tom Ridley"


def test_a_subject_pronoun_prefers_its_sentences_subject_to_a_nearer_possessor(coder) -> None:
    coded = _code(coder, "Finance Minister Karl Weber of Germany spoke on Monday. Former Kenyan president Daniel "
                         "Otieno backed Mr Weber's plan when he urged lenders to cancel the debts of poor countries.")
    urged = _triggered(coded, "urged")
    assert urged and _codes(urged[0].actor) == {"KEN"}


def test_a_person_named_inside_a_quotation_is_not_who_he_refers_to_after_it(coder) -> None:
    coded = _code(coder, 'Mayor Omar Haddad of Leeds spoke on Monday.\n\n"If Victor Crane wins, I will be barred '
                         'from the country," he said. He said he would visit before the vote.')
    speaker = _speaker(coded, "barred from the country").speaker
    assert speaker is not None and speaker.name == "Omar Haddad"


def test_a_person_of_a_country_is_of_that_country(coder) -> None:
    coded = _code(coder, 'Lena Vasko of Poland said the grain deal was "a fair one".')
    speaker = _speaker(coded, "a fair one").speaker
    assert speaker is not None and speaker.name == "Lena Vasko" and speaker.code == "POL"


def test_a_past_tense_verb_parsed_as_a_modifier_keeps_its_subject_and_a_day_is_no_quote(coder) -> None:
    """ "Senator X called Wednesday for Y to resign" is often parsed as a verbless noun phrase with
    "Wednesday" as the object of "called": X still asks, and "Wednesday" is not what X said."""
    coded = _code(coder, 'Donald Trump called Wednesday for federal judge Alma Perrin to step down.',
                  published=date(2016, 7, 13))
    request = _events(coded, "REQUEST")
    assert request and _codes(request[0].actor) == {"USA"}
    assert not [q for q in coded.quotes if q.text.strip() in ("Wednesday", "Tuesday")]


def test_a_participle_after_an_aside_is_the_verb_of_the_name_before_it(coder) -> None:
    """ "Ann Lee, for the Kenyan opposition, called on …" is parsed as a noun phrase with "called" as its
    modifier: Ann Lee still calls."""
    coded = _code(coder, "Ann Lee, for the Kenyan opposition, called on the finance minister to publish the accounts.")
    request = _events(coded, "REQUEST")
    assert request and [a.entity_text for a in request[0].actor] == ["Ann Lee"]


def test_a_speech_act_joined_to_a_reported_clause_is_the_reporters(coder) -> None:
    coded = _code(coder, 'Ann Lee said the bill "had the feel of a work in progress", and urged the Kenyan '
                         'government to hold a vote.')
    request = _events(coded, "REQUEST")
    assert request and [a.entity_text for a in request[0].actor] == ["Ann Lee"], request


def test_an_indefinite_description_introduces_someone_new(coder) -> None:
    """ "a Chinese official" after a named German minister is not the minister, and keeps China."""
    coded = _code(coder, 'German Defence Minister Karl Weissmann arrived in Shanghai on Monday. '
                         'A Chinese official said "the visit is welcome".')
    speaker = _speaker(coded, "visit is welcome").speaker
    assert speaker is not None and speaker.name != "Karl Weissmann" and speaker.code == "CHN"


def test_a_relative_pronoun_subject_is_the_noun_it_refers_to(coder) -> None:
    coded = _code(coder, 'German Foreign Minister Ilse Brandt, who on Tuesday praised Poland, flew to Rome.')
    support = _events(coded, "SUPPORT")
    assert support and _codes(support[0].actor) == {"DEU"} and _codes(support[0].recipient) == {"POL"}


def test_an_event_noun_after_after_does_not_take_the_clause_subject_as_its_source(coder) -> None:
    """ "after a meeting in Geneva, Russia criticised Ukraine": Russia is not known to have met anyone."""
    coded = _code(coder, 'After a meeting in Geneva, Russia criticised Ukraine over the gas deal.')
    assert not [e for e in _events(coded, "CONSULT") if "RUS" in _codes(e.actor)]
    assert [e for e in _events(coded, "ACCUSE") if _codes(e.actor) == {"RUS"}]


# --- senses of attack and strike ----------------------------------------------------------------------
def test_an_attack_on_an_idea_is_an_accusation_and_an_armed_one_stays_an_assault(coder) -> None:
    coded = _code(coder, 'Labour leader Rhona Gale attacked the Conservative spending plans on Monday. '
                         'Russian jets attacked rebel positions near Aleppo on Tuesday.')
    assert [e for e in _events(coded, "ACCUSE") if _codes(e.actor) == {"GBR"}]
    assert not [e for e in _events(coded, "ASSAULT") if "GBR" in _codes(e.actor)]
    assert [e for e in _events(coded, "ASSAULT") if _codes(e.actor) == {"RUS"}]


def test_an_attack_on_politicians_with_no_arms_is_an_accusation(coder) -> None:
    coded = _code(coder, 'Kenyan opposition leader Amos Kibet attacked the government over the budget on Monday. '
                         'Senator Tom Vale had a bitter clash with Kenyan ministers on Tuesday. '
                         'Gunmen attacked Kenyan Interior Minister Ruth Otieno in Nairobi on Wednesday.')
    accuse = {e.trigger for e in _events(coded, "ACCUSE")}
    assert {"attacked", "clash"} <= accuse, accuse
    assert [e for e in _events(coded, "ASSAULT") if "Gunmen" in e.sentence]


def test_who_faces_or_receives_an_act_is_its_recipient(coder) -> None:
    coded = _code(coder, 'Kenyan President Ruth Otieno faced criticism from Uganda on Monday. '
                         'Kenya has drawn condemnation from Tanzania. '
                         'The bank faced charges from the Justice Department.')
    accuse = [(_codes(e.actor), _codes(e.recipient)) for e in _events(coded, "ACCUSE")]
    assert ({"UGA"}, {"KEN"}) in accuse and ({"TZA"}, {"KEN"}) in accuse, accuse
    assert any(src == {"USA"} for src, _ in accuse), accuse  # a department standing for its government


def test_a_speech_act_in_a_message_is_addressed_to_whom_the_message_went(coder) -> None:
    coded = _code(coder, 'Kenyan opposition leader Amos Kibet wrote to Ugandan President Ruth Otieno demanding an '
                         'apology. Kenya sent a letter to Tanzania on Monday urging talks.')
    targets = [_codes(e.recipient) for e in _events(coded, "REQUEST")]
    assert {"UGA"} in targets and {"TZA"} in targets, targets


def test_an_event_noun_an_event_verb_is_about_is_not_done_by_its_subject(coder) -> None:
    coded = _code(coder, 'Uganda condemned the attack on Kenyan troops. Tanzania called for talks with Kenya. '
                         'Uganda launched an attack on Somalia on Monday. Rwanda sees the blockade of Kenyan ports '
                         'as a mistake.')
    assert all(not _codes(e.actor) - {None} for e in _events(coded, "COERCE"))
    assault = {e.trigger: _codes(e.actor) for e in _events(coded, "ASSAULT")}
    assert assault["attack"] == set() and assault["launched attack"] == {"UGA"}, assault
    talks = [e for e in _events(coded, "CONSULT")]
    assert talks and all(e.status != "occurred" and not _codes(e.actor) - {None} for e in talks)


def test_where_people_meet_is_not_whom_they_meet_but_a_visit_is(coder) -> None:
    coded = _code(coder, 'Kenyan and Ugandan leaders held talks in Brussels on Monday. '
                         'Norway\'s foreign minister visited Beijing on Tuesday.')
    consult = {e.trigger: _codes(e.recipient) for e in _events(coded, "CONSULT")}
    assert all("BEL" not in codes for codes in consult.values()), consult
    assert any(codes == {"CHN"} for codes in consult.values()), consult


def test_a_strike_among_unions_and_workers_is_a_labour_protest(coder) -> None:
    coded = _code(coder, 'British rail unions will ballot 40,000 workers on strikes over pensions, '
                         'the Transport Secretary said.')
    assert not _events(coded, "ASSAULT")
    protests = _events(coded, "PROTEST")
    assert protests and protests[0].mode == "strike"


def test_a_second_verb_shares_the_status_of_the_first(coder) -> None:
    """ "would meet … and discuss": the plan covers both verbs; a negation stays with its own verb."""
    coded = _code(coder, 'Poland said on Monday that its ministers will travel to Kyiv next week and discuss '
                         'grain exports with Ukraine. Hungary did not attack Slovakia but warned Austria.')
    assert all(e.status == "planned" for e in _events(coded, "CONSULT"))
    assert [e for e in _events(coded, "THREATEN") if e.status == "occurred" and _codes(e.actor) == {"HUN"}]


def test_that_time_places_an_event_in_the_past(coder) -> None:
    coded = _code(coder, '"At that time, the whole region applauded and thanked Norway," the envoy said.')
    support = _events(coded, "SUPPORT")
    assert support and all(e.status == "historical" for e in support)


# --- judgements in quotations -------------------------------------------------------------------------
def test_a_quotation_that_judges_a_named_actor_is_an_accusation_by_its_speaker(coder) -> None:
    coded = _code(coder, 'Danish Foreign Minister Lars Holm told reporters on Monday: "The Russian plan is an '
                         'ignorant gamble with our security."')
    accuse = _events(coded, "ACCUSE")
    assert accuse and _codes(accuse[0].actor) == {"DNK"} and _codes(accuse[0].recipient) == {"RUS"}
    assert accuse[0].rule == "arguments.json:quote_negative_words"


def test_a_negated_judgement_or_one_naming_nobody_codes_nothing(coder) -> None:
    coded = _code(coder, 'Danish Foreign Minister Lars Holm said: "Russia is not wrong to ask." '
                         'He added: "The weather was terrible."')
    assert not [e for e in coded.events if e.rule.startswith("arguments.json:quote_")]


def test_a_word_that_only_describes_a_noun_or_holds_under_a_condition_judges_no_one(coder) -> None:
    coded = _code(coder, 'Danish Foreign Minister Lars Holm spoke about Russia on Monday. He said: "Only the great '
                         'powers can stop it, and our friends in Norway know that." He added: "It would be '
                         'irresponsible if Russia let this chance slip." He said there was nothing wrong with '
                         'Russia\'s request.')
    assert not [e for e in coded.events if e.rule.startswith("arguments.json:quote_")], \
        [(e.trigger, e.rule) for e in coded.events]
    praised = _code(coder, 'Danish Foreign Minister Lars Holm said Norway was "in a unique position to help".')
    assert [e for e in _events(praised, "SUPPORT") if _codes(e.recipient) == {"NOR"}]


def test_must_in_a_reported_clause_asks_only_its_subject_and_only_someone(coder) -> None:
    coded = _code(coder, 'Danish Foreign Minister Lars Holm told the Berlingske newspaper that the result of the '
                         'vote should not be an increase in arms sales to Russia. Mr Holm also said Sweden '
                         'must close the port, which he said the Finnish government should also pay for.')
    asked = [e for e in _events(coded, "REQUEST") if e.rule == "arguments.json:obligation_modals"]
    assert {frozenset(_codes(e.recipient)) for e in asked} == {frozenset({"SWE"}), frozenset({"FIN"})}, \
        [(e.trigger, e.recipient) for e in asked]


def test_being_a_backer_or_a_critic_of_someone_is_a_stance_toward_them(coder) -> None:
    coded = _code(coder, 'Italy has been a staunch backer of Ukraine. Hungarian Prime Minister Pal Dorn, '
                         'a fierce critic of Brussels and the European Commission, spoke on Monday.')
    support = [e for e in _events(coded, "SUPPORT") if e.rule == "arguments.json:support_role_nouns"]
    assert support and _codes(support[0].actor) == {"ITA"} and _codes(support[0].recipient) == {"UKR"}
    accuse = [e for e in _events(coded, "ACCUSE") if e.rule == "arguments.json:opposition_role_nouns"]
    assert accuse and _codes(accuse[0].actor) == {"HUN"} and _codes(accuse[0].recipient) & {"EUR", "BEL"}


def test_the_actor_inside_the_role_nouns_phrase_is_the_target(coder) -> None:
    coded = _code(coder, "Norway remains a firm advocate of new loans for Moldova, officials said.")
    support = [e for e in _events(coded, "SUPPORT") if e.rule == "arguments.json:support_role_nouns"]
    assert support and _codes(support[0].actor) == {"NOR"} and _codes(support[0].recipient) == {"MDA"}


# --- words that are not acts --------------------------------------------------------------------------
def test_a_tourist_visit_is_no_event_and_a_trip_does_not_go_home(coder) -> None:
    """A journalist on holiday visiting Nice is no CONSULT; in a story about Kenya, "the minister's trip"
    is not a visit to Kenya (the article's own country is no implicit host)."""
    coded = _code(coder, "Kenya's parliament passed the budget on Tuesday. Kenyan ministers praised it and Kenya's "
                         "president signed it.\n\nAmina Odhiambo, a Kenyan journalist visiting Nice on holiday, "
                         "wrote about the vote. The finance minister's trip was cut short.")
    visits = [e for e in _events(coded, "CONSULT") if e.mode == "visit"]
    assert not [e for e in visits if "Nice" in e.sentence], visits
    for event in visits:
        assert "article_country" not in {a.resolved_by for a in event.recipient}, event


@pytest.mark.parametrize("sentence", [
    "Kenyan police were treating the blast as a terrorist attack, Kenyan radio reported.",
    "The Kenyan interior minister said he heard gunfire near the hotel.",
])
def test_who_treats_or_hears_an_attack_is_not_its_attacker(coder, sentence: str) -> None:
    for event in _events(_code(coder, sentence), "ASSAULT"):
        assert "KEN" not in _codes(event.actor), event


def test_striking_a_pact_is_agreeing(coder) -> None:
    coded = _code(coder, "Norway struck a debt relief pact with Ghana on Monday.")
    agree = _events(coded, "AGREE")
    assert agree and not _events(coded, "ASSAULT") and _codes(agree[0].recipient) == {"GHA"}


def test_free_access_is_no_release(coder) -> None:
    coded = _code(coder, "The two countries signed a protocol, allowing Kenyan goods made in partnership with Ugandan "
                         "firms free access to European markets.")
    assert _events(coded, "SUPPORT") and not _events(coded, "RETREAT")


def test_an_attack_with_a_verdict_is_an_accusation(coder) -> None:
    coded = _code(coder, "The plan has been attacked by the Greens as too little, too late.")
    assert not _events(coded, "ASSAULT") and _events(coded, "ACCUSE")


@pytest.mark.parametrize("sentence, kept", [
    ("The finance minister said his budget struck a balance between tax cuts and investment.", None),
    ("Jane Orr was selected on Monday to fight the Harbourside seat for the Greens.", None),
    ("The Kenyan interior ministry destroyed 37,000 files last year, auditors said.", None),
    ("Thousands of files were destroyed by the Kenyan interior ministry last year.", None),
    ("The opposition leader is expected to seize on those figures at question time.", None),
    ("Kenyan troops seized the airport on Monday.", "COERCE"),
])
def test_fixed_expressions_of_violent_verbs_are_no_violence(coder, sentence: str, kept: str | None) -> None:
    coded = _code(coder, sentence)
    violent = [e for e in coded.events if e.event in ("ASSAULT", "COERCE", "THREATEN")]
    assert [e.event for e in violent] == ([kept] if kept else []), [(e.event, e.trigger) for e in violent]


def test_demonstrate_that_is_showing_and_a_gerund_subject_is_a_topic(coder) -> None:
    coded = _code(coder, 'The results in Ohio demonstrate that Ohio voters distrust Congress. '
                         'Criticizing the Kenyan police will cost Senator Tom Vale votes. '
                         'Students demonstrated against the Kenyan government in Nairobi on Monday.')
    protests = _events(coded, "PROTEST")
    assert len(protests) == 1 and protests[0].trigger.startswith("demonstrated")
    assert not _events(coded, "ACCUSE")


def test_offering_an_opinion_to_no_one_is_no_promise(coder) -> None:
    coded = _code(coder, 'Senator Tom Vale offered his own assessment of the Kenyan election on Monday. '
                         'Norway offered Kenya a new trade deal on Tuesday.')
    agree = _events(coded, "AGREE")
    assert len(agree) == 1 and _codes(agree[0].recipient) == {"KEN"}, [(e.trigger, e.sentence) for e in agree]


def test_allowing_is_an_act_only_of_someone(coder) -> None:
    coded = _code(coder, 'The new Kenyan voting law has allowed thousands of students to vote early. '
                         'Egypt and Israel signed a trade protocol on Monday, allowing Egyptian goods free access '
                         'to Israeli markets. Kenya allowed Somali refugees to stay on Tuesday.')
    concede = _events(coded, "CONCEDE")
    assert len(concede) == 1 and _codes(concede[0].actor) == {"KEN"}, [(e.trigger, e.sentence) for e in concede]


def test_agreeing_with_a_view_is_no_agreement_and_its_judgement_is_coded(coder) -> None:
    coded = _code(coder, 'Senator Tom Vale said on Monday that he agrees Kenyan Governor Rick Dunn is a total liar. '
                         'Kenyan officials said they agree with the recommendation. I agree with Tom Vale. '
                         'Norway and Sweden agreed that talks on fishing will resume in May.')
    agree = _events(coded, "AGREE")
    assert len(agree) == 1 and _codes(agree[0].actor) == {"NOR", "SWE"}, [(e.trigger, e.sentence) for e in agree]
    assert [e for e in _events(coded, "ACCUSE") if "liar" in e.sentence]


def test_calling_for_someone_to_act_is_a_request_and_the_act_is_not_done(coder) -> None:
    coded = _code(coder, 'Senator Tom Vale called on Wednesday for Kenyan Justice Minister Amos Kibet to resign.')
    request = _events(coded, "REQUEST")
    assert request and _codes(request[0].recipient) == {"KEN"}
    assert all(e.status != "occurred" for e in _events(coded, "RETREAT"))


def test_a_warning_about_a_state_of_things_is_no_threat(coder) -> None:
    coded = _code(coder, 'Kenyan Finance Minister Amos Kibet warned there was a real risk of inflation. '
                         '"Lives could be lost if the dam fails," he warned. '
                         'Ghana warned that its troops would cross the border unless Togo withdrew.')
    threats = _events(coded, "THREATEN")
    assert len(threats) == 1 and _codes(threats[0].actor) == {"GHA"}, [(e.trigger, e.sentence) for e in threats]


def test_a_broadcaster_is_not_a_place_and_does_not_make_the_story_about_its_country(coder) -> None:
    coded = _code(coder, 'Kenyan Finance Minister Amos Kibet criticised the BBC over its reporting on Monday. '
                         'The BBC said "the budget would pass". Kibet spoke to the BBC on Tuesday.')
    accuse = _events(coded, "ACCUSE")
    assert accuse and _codes(accuse[0].recipient) == {"GBR"}, [(e.trigger, e.recipient) for e in accuse]
    assert _speaker(coded, "budget would pass").speaker.code == "GBR"


def test_fixed_expressions_with_event_nouns_are_no_events(coder) -> None:
    coded = _code(coder, 'Kenyan Interior Minister Amos Kibet took charge of the Ugandan refugee camps on Monday. '
                         'The Kenyan government put Kibet in charge of the prisons. '
                         'The Ugandan rebel leader is serving a life sentence in Kenya.')
    assert not [e for e in coded.events if e.event in ("ACCUSE", "SANCTION")], \
        [(e.event, e.trigger) for e in coded.events]


def test_a_means_of_a_hypothetical_act_is_hypothetical(coder) -> None:
    coded = _code(coder, 'By offering Sweden a seat on the council, Norway would show it is serious.')
    assert coded.events and all(e.status == "hypothetical" for e in coded.events)


def test_a_namesake_long_before_a_term_of_office_is_not_the_office_holder(coder) -> None:
    """A full name in a 1990 story is not matched to someone whose first term began decades later."""
    coded = _code(coder, 'Donald Trump said on Tuesday that "the casino will open in June".',
                  published=date(1990, 3, 6))
    speaker = _speaker(coded, "casino will open").speaker
    assert speaker is not None and speaker.resolved_by != "kb_person_out_of_office"
    later = _code(coder, 'Donald Trump said on Tuesday that "the wall will be built".', published=date(2016, 3, 8))
    assert _speaker(later, "wall will be built").speaker.code == "USA"  # a candidate shortly before office


def test_a_name_after_in_or_of_is_no_person(coder) -> None:
    """ "in" and "of" belong to role titles ("commander in chief") but introduce no one."""
    coded = _code(coder, 'Russian Deputy Foreign Minister Ivan Lebed arrived in Vienna on Monday for talks on '
                         'security in Europe. The Russian envoy said "the talks were frank".')
    speaker = _speaker(coded, "talks were frank").speaker
    assert speaker is not None and speaker.name == "Ivan Lebed" and speaker.code == "RUS"


def test_a_resignation_has_no_recipient_and_its_of_phrase_is_who_resigns(coder) -> None:
    """ "resigned over the war" names a reason and "as minister" a role, not someone the act is done to."""
    coded = _code(coder, 'Kenyan Defence Minister Amos Kibet resigned as minister on Monday over the war in Somalia. '
                         'The scandal forced the resignation of Ugandan Finance Minister Ruth Okello.')
    retreats = _events(coded, "RETREAT")
    assert len(retreats) == 2 and all(not e.recipient for e in retreats), [(e.trigger, e.recipient) for e in retreats]
    assert [_codes(e.actor) for e in retreats] == [{"KEN"}, {"UGA"}]


def test_a_campaign_rally_is_no_protest(coder) -> None:
    coded = _code(coder, 'Senator Rod Kessler spoke at a rally in Ohio on Tuesday. '
                         'Thousands of Kenyan students rallied against the Ugandan embassy on Monday.')
    protests = _events(coded, "PROTEST")
    assert len(protests) == 1 and "against" in protests[0].sentence, [(e.trigger, e.sentence) for e in protests]


def test_an_invitation_to_act_is_a_request_and_to_attend_an_offer(coder) -> None:
    coded = _code(coder, 'Kenya on Monday invited Uganda to release the detained fishermen. '
                         'Kenya on Tuesday invited Tanzania to attend the summit in Nairobi.')
    assert [(e.event, _codes(e.recipient)) for e in coded.events if e.trigger.startswith("invited")] == \
        [("REQUEST", {"UGA"}), ("AGREE", {"TZA"})]


def test_an_amount_of_money_is_no_attack(coder) -> None:
    coded = _code(coder, 'The Kenyan government gives pounds 150 for school books to families with one child, '
                         'or pounds 250 where families have three.')
    assert not _events(coded, "ASSAULT"), [(e.event, e.trigger) for e in coded.events]


def test_pressure_under_which_a_subject_acts_comes_from_whom_the_phrase_names(coder) -> None:
    coded = _code(coder, 'The Kenyan government is under pressure from Uganda to reopen the border. '
                         'Under mounting domestic pressure, Tanzanian officials said the border would stay shut.')
    requests = _events(coded, "REQUEST")
    assert [(_codes(e.actor), _codes(e.recipient)) for e in requests] == [({"UGA"}, {"KEN"})], \
        [(e.trigger, e.actor, e.recipient) for e in requests]


def test_the_object_of_accuse_praise_or_urge_does_what_the_complement_says(coder) -> None:
    """ "accused Uganda of shelling": Uganda shelled; "urged Uganda to withdraw": Uganda would withdraw;
    but "promised Kenya to withdraw": the one who promised withdraws."""
    coded = _code(coder, 'Kenya accused Uganda of shelling the border town on Monday. '
                         'Tanzania praised Rwanda for hosting the peace talks with Burundi. '
                         'Ethiopia urged Eritrea to withdraw its troops from the border. '
                         'Sudan promised Egypt to withdraw its troops from the border.')
    acts = {e.trigger.split()[0]: _codes(e.actor) for e in coded.events
            if e.event in ("ASSAULT", "CONSULT", "RETREAT")}
    assert acts.get("shelling") == {"UGA"} and acts.get("hosting") == {"RWA"}, acts
    withdrawals = [_codes(e.actor) for e in _events(coded, "RETREAT")]
    assert withdrawals == [{"ERI"}, {"SDN"}], withdrawals


def test_what_a_subject_causes_predicts_or_settles_is_not_its_act(coder) -> None:
    coded = _code(coder, "Kenya's cheap steel exports have prompted anti-dumping tariffs in Europe. "
                         "Kenyan Trade Minister Amos Kibet predicted a withdrawal of Ugandan troops. "
                         "The Kenyan firm paid a fine to settle the bribery charge.")
    assert not [e for e in coded.events if e.event in ("SANCTION", "RETREAT", "ACCUSE") and "KEN" in _codes(e.actor)], \
        [(e.event, e.trigger, _codes(e.actor)) for e in coded.events]


def test_an_unnamed_official_is_named_by_description_and_country(coder) -> None:
    """A quote by "a Kenyan official" says who spoke: a Kenyan official, not a blank speaker."""
    coded = _code(coder, '"The border will stay shut until the talks resume," a Kenyan official said on Monday.')
    speaker = _speaker(coded, "border will stay shut").speaker
    assert speaker is not None and speaker.name == "Kenyan official" and speaker.code == "KEN"


def test_a_bare_surname_without_accents_is_the_accented_name_on_file(coder) -> None:
    coded = _code(coder, 'Former Mexican President Felipe Calderón criticised the wall on Saturday. '
                         '"It is going to be completely useless," Calderon told reporters.',
                  published=date(2016, 2, 8))
    speaker = _speaker(coded, "completely useless").speaker
    assert speaker is not None and speaker.code == "MEX" and speaker.name and "Felipe" in speaker.name


def test_a_spokesman_of_a_named_person_is_not_another_person_the_word_fits(coder) -> None:
    coded = _code(coder, 'Kenyan President Amos Kibet will meet Ugandan President Ruth Okello on Friday. '
                         'Mr Kibet\'s official spokesman said: "The president meets her often."')
    speaker = _speaker(coded, "meets her often").speaker
    assert speaker is not None and speaker.name not in ("Ruth Okello", "Amos Kibet") and speaker.code == "KEN"


def test_two_accusations_between_different_people_of_one_country_stay_two_events(coder) -> None:
    coded = _code(coder, 'Kenyan opposition leader Ruth Okello accused Interior Minister Amos Kibet of lying '
                         'on Monday. '
                         'Kenyan judge Peter Mwangi accused the Kenyan police of torture on Monday.')
    pairs = sorted((e.actor[0].name or "", e.recipient[0].name or e.recipient[0].entity_text)
                   for e in _events(coded, "ACCUSE") if e.actor and e.recipient)
    assert ("Peter Mwangi", "Kenyan police") in pairs and ("Ruth Okello", "Amos Kibet") in pairs, pairs


def test_a_target_is_not_taken_from_a_background_phrase(coder) -> None:
    """ "defended the plan despite opposition from Japan": Japan opposes; it is not whom the defence is for."""
    coded = _code(coder, "Foreign Minister Ana Duarte of Portugal defended plans to lift the embargo on Morocco, "
                         "despite opposition from Spain and Italy.")
    defended = _triggered(coded, "defended")
    assert defended and not _codes(defended[0].recipient) & {"ESP", "ITA"}


def test_the_possessor_of_an_abduction_is_who_was_abducted(coder) -> None:
    coded = _code(coder, "Gunmen seized the Danish engineer Lars Holm in Mosul on Monday. Prime Minister Mette "
                         "Kjaer of Denmark condemned his abduction.")
    abduction = _triggered(coded, "abduction")
    assert abduction and "DNK" not in _codes(abduction[0].actor)


def test_the_possessor_of_an_arrest_of_someone_is_who_arrested(coder) -> None:
    coded = _code(coder, "Egypt condemned Israel's arrest of the Palestinian minister on Monday.")
    arrest = _triggered(coded, "arrest")
    assert arrest and _codes(arrest[0].actor) == {"ISR"}


def test_a_city_naming_a_summit_is_where_it_met_not_who_met(coder) -> None:
    """ "a Geneva summit": the city is the venue, not a party (a country naming one is: "a Kenya-Uganda summit")."""
    coded = _code(coder, "Leaving a Geneva summit on Monday, Prime Minister Mette Kjaer of Denmark said the "
                         "talks had gone well.")
    summit = [e for e in coded.events if e.trigger.endswith("summit")]
    assert summit and "CHE" not in _codes(summit[0].actor) and summit[0].event_loc is not None
    assert summit[0].event_loc.name == "Geneva"


def test_an_abbreviation_is_not_geocoded_to_a_town_of_that_old_name(coder) -> None:
    coded = _code(coder, "Mr Haddad confirmed Jordan shared information with the PA on Monday.")
    shared = _triggered(coded, "shared")
    assert shared and "CHN" not in _codes(shared[0].recipient)


def test_a_judgement_told_to_someone_judges_the_subject_not_the_listener(coder) -> None:
    """ 'told Kenyan MPs that X's remarks "show bias"': an ACCUSE of X, not of the MPs, on the day of telling."""
    coded = _code(coder, 'Ugandan opposition leader Ruth Okello told Kenyan MPs on Monday that Kenyan Interior '
                         'Minister Amos Kibet\'s comments "showed bias".')
    accusations = [e for e in _events(coded, "ACCUSE") if e.trigger == "bias"]
    assert accusations, [(e.event, e.trigger) for e in coded.events]
    assert [a.name for a in accusations[0].recipient] == ["Amos Kibet"]
    assert accusations[0].date is not None and accusations[0].date.value == date(2027, 3, 8)


def test_a_country_word_that_is_a_family_name_is_the_person(coder) -> None:
    """ "Mike Holland", "Mr Holland": a person, not the Netherlands."""
    coded = _code(coder, 'Welsh Liberal Democrat leader Mike Holland said the budget was "a disaster". '
                         '"Councils will have to cut services," Mr Holland said.')
    for words in ("a disaster", "cut services"):
        speaker = _speaker(coded, words).speaker
        assert speaker is not None and speaker.code != "NLD" and speaker.name and "Holland" in speaker.name


def test_they_refers_to_the_unnamed_group_just_before_not_a_body_named_inside_its_clause(coder) -> None:
    coded = _code(coder, "The Kenyan government wants a new runway at Nairobi airport. Opponents say the runway "
                         "cannot be paid for unless cash from the World Bank is used. They said this would break "
                         "the law.")
    speaker = _speaker(coded, "break the law").speaker
    assert speaker is None or speaker.code != "IGO", speaker


def test_whom_a_relative_clause_accuses_is_the_noun_it_describes(coder) -> None:
    coded = _code(coder, "Kenya expelled Ruth Okello, a Ugandan reporter whom Kenyan police had accused of "
                         "spying on the army of Tanzania.")
    accuse = _events(coded, "ACCUSE")
    assert accuse and [a.name for a in accuse[0].recipient] == ["Ruth Okello"], \
        [(e.event, [a.entity_text for a in e.recipient]) for e in accuse]


def test_a_meeting_takes_no_recipient_from_its_topic_or_its_background(coder) -> None:
    """ "A and B met …, after talks on a deal to halt the shelling of Kismayo": nobody met Kismayo."""
    coded = _code(coder, "President Amos Kibet of Kenya and President Ruth Okello of Uganda met in Addis Ababa on "
                         "Monday, after days of talks between the two countries on a deal to halt the shelling of "
                         "Kismayo in Somalia.")
    met = _triggered(coded, "met")
    assert met and _codes(met[0].actor) == {"KEN", "UGA"} and "SOM" not in _codes(met[0].recipient)


def test_an_abbreviation_defined_in_brackets_is_that_actor_later(coder) -> None:
    coded = _code(coder, "The Somali Federal Government (SFG) asked Kenya for help on Monday. Kenya later "
                         "shared information with the SFG about the attackers.")
    shared = _triggered(coded, "shared")
    assert shared and _codes(shared[0].recipient) == {"SOM"}, [(e.trigger, e.recipient) for e in coded.events]


def test_a_name_the_knowledge_base_lacks_takes_its_known_abbreviation(coder) -> None:
    coded = _code(coder, "The International Labor Office (ILO) repeated its demand on Monday that Kenya release "
                         "the detained union leaders.")
    demand = _events(coded, "REQUEST")
    assert demand and _codes(demand[0].actor) == {"UNO"}, [(e.event, e.actor) for e in coded.events]


def test_both_of_whom_is_the_noun_before_not_the_two_countries_of_the_story(coder) -> None:
    coded = _code(coder, "Kenya and Uganda signed a border deal on Monday. Only two Kenyan senators, both of whom "
                         "opposed the deal, criticised the government.")
    opposed = _triggered(coded, "opposed")
    assert opposed and _codes(opposed[0].actor) == {"KEN"}, [(e.trigger, e.actor) for e in coded.events]


def test_who_is_lashed_out_at_for_an_act_did_it(coder) -> None:
    coded = _code(coder, "President Amos Kibet of Kenya lashed out at Uganda on Monday for having shot down a "
                         "Kenyan helicopter.")
    shot = _triggered(coded, "shot")
    assert shot and _codes(shot[0].actor) == {"UGA"} and _codes(shot[0].recipient) == {"KEN"}


def test_an_attitude_toward_someone_is_held_by_the_subject_not_judged_by_the_reporter(coder) -> None:
    """ "X said Kenya was suspicious of Uganda's motives": Kenya distrusts Uganda; X judges nobody."""
    coded = _code(coder, "Foreign Minister Ana Duarte of Portugal said Kenya was suspicious of the motives of "
                         "Uganda in the talks. Tanzania is not critical of Uganda.")
    accuse = _events(coded, "ACCUSE")
    assert [(_codes(e.actor), _codes(e.recipient)) for e in accuse] == [({"KEN"}, {"UGA"})], \
        [(e.trigger, e.actor, e.recipient) for e in accuse]


def test_a_complaint_against_someone_with_a_body_targets_whom_it_is_against(coder) -> None:
    coded = _code(coder, "Kenya filed a complaint against Uganda with the United Nations on Monday.")
    complaint = _events(coded, "ACCUSE")
    assert complaint and _codes(complaint[0].recipient) == {"UGA"}, [(e.trigger, e.recipient) for e in complaint]


def test_a_clause_before_a_demand_with_its_own_object_is_not_what_is_demanded(coder) -> None:
    coded = _code(coder, "Kenya and Uganda want the budget to be capped at 1% - the African Union has urged an "
                         "increase to 2%.")
    urged = _triggered(coded, "urged")
    assert urged and not _codes(urged[0].recipient) & {"KEN", "UGA"}, [(e.trigger, e.recipient) for e in urged]


def test_talks_with_two_people_each_described_reach_both(coder) -> None:
    coded = _code(coder, "President Amos Kibet held talks with his Ugandan counterpart, Ruth Okello, and the "
                         "Tanzanian leader, Joseph Mrema, on Monday.")
    talks = _triggered(coded, "held")
    assert talks and {"UGA", "TZA"} <= _codes(talks[0].recipient), [(e.trigger, e.recipient) for e in talks]


def test_a_tour_of_named_places_does_not_go_to_the_storys_other_country(coder) -> None:
    coded = _code(coder, TWO_COUNTRIES + "Estonian Foreign Minister Kadri Tamm, touring Asian capitals, "
                                         "praised the talks on Tuesday.")
    tours = [e for e in coded.events if e.trigger.startswith("touring")]
    assert tours and all("LVA" not in _codes(t.recipient) for t in tours)
