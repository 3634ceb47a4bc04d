"""Speakers resolved to full names and actor codes inside one invented story."""

from __future__ import annotations

from datetime import date

import pytest

STORY = """\
ROME (Reuters) – Croatian Deputy Foreign Minister Ivana Horvat met her Slovenian counterpart, Marko Novak, in Rome on Tuesday to discuss fishing rights.

"We want a fair deal for our fishermen," Horvat said after the meeting. She added that Zagreb was ready to compromise.

Novak said his government would study the proposal. "Nothing is decided yet," he added.

The Croatian diplomat later told reporters that talks would continue in March.

A spokeswoman for the Slovenian foreign ministry, Petra Kos, said the ministry welcomed the meeting. "It was useful," the spokeswoman said.

Novak's spokesman said the minister would brief parliament next week.
"""


@pytest.fixture(scope="module")
def quotes(coder):
    coded = coder.code_text(STORY, published=date(2024, 3, 6))
    return coded.quotes


def _by_text(quotes, fragment: str):
    return next(q for q in quotes if fragment in q.text)


@pytest.mark.parametrize("fragment, name, code", [
    ("fair deal", "Ivana Horvat", "HRV"),                 # surname after the quote
    ("ready to compromise", "Ivana Horvat", "HRV"),       # "She added"
    ("Nothing is decided", "Marko Novak", "SVN"),          # "he added" after another person spoke
    ("talks would continue", "Ivana Horvat", "HRV"),      # description "the Croatian diplomat"
    ("It was useful", "Petra Kos", "SVN"),                # bare title "the spokeswoman"
])
def test_speaker_resolves_to_full_name(quotes, fragment: str, name: str, code: str) -> None:
    quote = _by_text(quotes, fragment)
    assert quote.speaker is not None
    assert quote.speaker.name == name, (fragment, quote.speaker)
    assert quote.speaker.code == code
    assert quote.speaker.sector == "GOV"


def test_role_with_another_persons_name_is_not_that_person(quotes) -> None:
    quote = _by_text(quotes, "brief parliament")
    assert quote.speaker is not None
    assert quote.speaker.name != "Marko Novak"
    assert quote.speaker.code == "SVN" and quote.speaker.sector == "GOV"


def test_unresolvable_speaker_is_kept_unresolved(coder) -> None:
    coded = coder.code_text('"We will not move," a man in the crowd said on Monday.', published=date(2024, 3, 6))
    [quote] = coded.quotes
    assert quote.speaker is not None and quote.speaker.name is None and quote.speaker.code is None
    assert quote.speaker.resolved_by in ("unresolved", "title_only")


# --- national ties from the knowledge base, peerage and party words ---------------------------------
WESTMINSTER = """\
Ministers clashed over plans for new identity cards on Wednesday.

"The scheme will protect the public," Charles Clarke told MPs.

Lord Pennington, a former judge, said the plans went too far. "Liberty matters," he said.

Tory home affairs spokesman Gerald Ashworth said the cost was unknown.
"""

PARIS_STORY = """France's government raised fuel taxes on Monday. French farmers blocked roads near Paris and France's unions called a strike.

Tory foreign affairs spokesman Gerald Ashworth said the French plan was "a warning to Britain".
"""


@pytest.mark.parametrize("fragment, name, code", [
    ("protect the public", "Charles Clarke", "GBR"),   # a cabinet minister on file, named without a title
    ("went too far", "Pennington", "GBR"),             # a peer: "Lord" implies the UK
    ("warning to Britain", "Gerald Ashworth", "GBR"),  # a party word in the title, in a story about France
])
def test_uk_politicians_carry_their_country(coder, fragment: str, name: str, code: str) -> None:
    coded = coder.code_text(WESTMINSTER + PARIS_STORY, published=date(2005, 2, 2))
    quote = _by_text(coded.quotes, fragment)
    assert quote.speaker is not None and quote.speaker.name == name, quote.speaker
    assert quote.speaker.code == code


def test_a_spokesman_speaks_for_the_body_his_phrase_names_and_is_the_spokesman_later(coder) -> None:
    """In a story mostly about Moldova, "a spokesman for the Home Office" is British, and so is "the
    spokesman" who speaks next; a spokesman for the Moldovan embassy introduced later is Moldovan."""
    story = ("Moldova's government wants its citizens in Britain to be able to stay. Moldovan officials in "
             "Chisinau said on Monday that Moldova had not been consulted, and Moldova's president agreed.\n\n"
             'A spokesman for the Home Office said the plan was "fair and humane". "We will talk to every '
             'family," the spokesman said.\n\n'
             'A spokeswoman for the Moldovan embassy said: "We were not told."')
    coded = coder.code_text(story, published=date(2005, 2, 1))
    for fragment in ("fair and humane", "talk to every family"):
        quote = _by_text(coded.quotes, fragment)
        assert quote.speaker is not None and quote.speaker.code == "GBR", quote.speaker
    embassy = _by_text(coded.quotes, "were not told")
    assert embassy.speaker is not None and embassy.speaker.code == "MDA", embassy.speaker


def test_a_bare_national_office_names_its_holder_of_the_day(coder) -> None:
    """"the Home Secretary" with no name in the story is whoever held the office on the publication day;
    "the former Mexican president" is not the president of the day."""
    story = ("The government published its plans for identity cards on Tuesday. "
             '"The cards will make us safer," the Home Secretary told MPs.\n\n'
             'The former Mexican president said the wall was "a waste of money".')
    coded = coder.code_text(story, published=date(2005, 2, 1))
    home = _by_text(coded.quotes, "make us safer")
    assert home.speaker is not None and home.speaker.name == "Charles Clarke" and home.speaker.code == "GBR"
    assert home.speaker.resolved_by == "title_holder_kb"
    later = coder.code_text(story, published=date(2007, 7, 2))
    assert _by_text(later.quotes, "make us safer").speaker.name == "Jacqui Smith"
    former = _by_text(coded.quotes, "waste of money")
    assert former.speaker is not None and former.speaker.code == "MEX"
    assert former.speaker.name == "former Mexican president"  # named by its description, not by the KB


def test_an_unnamed_body_or_person_is_named_after_its_country(coder) -> None:
    story = ("Peru's government raised fuel prices on Monday. Peruvian unions called a strike in Lima.\n\n"
             '"The increase is necessary," the government said.\n\n'
             '"We will not back down," a spokesman said.')
    coded = coder.code_text(story, published=date(2024, 5, 6))
    body = _by_text(coded.quotes, "increase is necessary").speaker
    assert body is not None and body.name == "Peruvian government" and body.code == "PER"
    person = _by_text(coded.quotes, "not back down").speaker
    assert person is not None and person.name == "Peruvian spokesman" and person.code == "PER"


def test_a_description_named_by_the_apposition_after_it_is_that_person(coder) -> None:
    story = ('Chile and Peru opened trade talks in Santiago on Monday. "We are close to a deal," the trade '
             'minister, Rosa Quispe, said after the first round.')
    coded = coder.code_text(story, published=date(2024, 5, 6))
    speaker = _by_text(coded.quotes, "close to a deal").speaker
    assert speaker is not None and speaker.name == "Rosa Quispe"


def test_a_body_nobody_names_speaks_for_the_country_that_owns_it(coder) -> None:
    coded = coder.code_text('"We reject these claims," Kenya\'s mission to the United Nations said on Monday.',
                            published=date(2027, 3, 10))
    speaker = coded.quotes[0].speaker if coded.quotes else None
    assert speaker is not None and speaker.code == "KEN" and speaker.name == "Kenya's mission", speaker


def _speaker_of(coder, story: str, fragment: str):
    coded = coder.code_text(story, published=date(2024, 3, 6))
    speaker = _by_text(coded.quotes, fragment).speaker
    assert speaker is not None
    return speaker


WALSH_MET_HENDRY = "Irish Foreign Minister Sean Walsh met British envoy Tom Hendry in Dublin on Monday.\n\n"


@pytest.mark.parametrize(("story", "trigger", "side", "name"), [
    pytest.param(WALSH_MET_HENDRY + "Mr Walsh said having Mr Hendry visit him in Dublin was a good sign, and he "
                 "thanked the British government for its support.", "thanked", "actor", "Sean Walsh",
                 id="he is the subject of the clause that holds him, not of a nested one"),
    pytest.param(WALSH_MET_HENDRY + "Mr Walsh said that Mr Hendry had thanked him for the talks.",
                 "thanked", "recipient", "Sean Walsh", id="an object pronoun is never the subject of its verb"),
    pytest.param(WALSH_MET_HENDRY + "Mr Walsh said Mr Hendry was in a privileged position and said he should "
                 "apologise to Ireland.", "apologise", "actor", "Tom Hendry",
                 id="a pronoun in a reported clause can be that clause's subject"),
    pytest.param("Leeds talks\n\nMr Alan Moss met Mr Tom Reed in Leeds on Monday.\n\n"
                 'Mr Reed said: "It is significant that he is coming to Leeds on his first visit."',
                 "visit", "actor", "Alan Moss", id="a he inside a quotation is not its speaker"),
    pytest.param("Conservative spokesman Paul Reed criticised the plan on Monday.\n\nForeign Secretary Alan "
                 "Moss's Kenya trip is part of regular talks with African ministers. He will meet Kenyan Foreign "
                 "Minister Grace Wanjiru on Thursday.", "meet", "actor", "Alan Moss",
                 id="the owner of a sentence's subject is the next sentence's he"),
])
def test_whom_a_pronoun_in_an_event_names(coder, story: str, trigger: str, side: str, name: str) -> None:
    coded = coder.code_text(story, published=date(2024, 3, 6))
    [event] = _triggered_events(coded, trigger)
    assert [a.name for a in getattr(event, side)] == [name]


@pytest.mark.parametrize(("story", "fragment", "not_name"), [
    pytest.param('Prince Charles said he was "absolutely delighted" by the news on Thursday.\n\n'
                 'Liberal Democrat leader Charles Kennedy also welcomed the engagement.',
                 "absolutely delighted", "Charles Kennedy", id="a given name is no person named only later"),
    pytest.param("Campaign group chairman Ali Rahman accused the British home secretary of bias on Monday.\n\n"
                 '"We are tired of this," Mr Rahman said. '
                 '"The minister was misquoted," the prime minister\'s official spokesman said.',
                 "was misquoted", "Ali Rahman", id="a spokesman is not an untitled person named before"),
])
def test_who_a_description_in_a_story_does_not_name(coder, story: str, fragment: str, not_name: str) -> None:
    assert _speaker_of(coder, story, fragment).name != not_name


def test_a_possessor_does_not_stand_in_for_a_role_that_is_the_subject(coder) -> None:
    story = ("Foreign Secretary Alan Moss met reporters on Monday.\n\n"
             "Mr Reed's budget was a disgrace, the Tory leader said. "
             "He went on to accuse Mr Reed of wasting money.")
    coded = coder.code_text(story, published=date(2024, 3, 6))
    [accusation] = _triggered_events(coded, "accuse")
    assert all(a.name != "Reed" and "Reed" not in (a.entity_text or "") for a in accusation.actor)


def _triggered_events(coded, words: str):
    return [e for e in coded.events if e.trigger.startswith(words)]


@pytest.mark.parametrize(("story", "fragment", "name"), [
    pytest.param("Saudi Prince Faisal Bin Nasser criticised the oil deal on Monday.\n\n"
                 '"This deal is a mistake," tweeted Prince Faisal, a nephew of the late king.',
                 "deal is a mistake", "Faisal Bin Nasser", id="a given name alone is the person named before"),
    pytest.param("Slovak President Marek Halas met ministers in Bratislava on Monday.\n\n"
                 "The ministers stand behind President Halas's opposition to the treaty.\n\n"
                 '"We will not sign it this year," the President said.',
                 "We will not sign", "Marek Halas", id="a title inside a possessor is no second person"),
    pytest.param("Foreign Secretary Helen Marsh set out the treaty plan in London on Monday.\n\n"
                 "Shadow foreign secretary Tom Barker called it a mistake.\n\n"
                 '"We will sign it this spring," the foreign secretary said.',
                 "sign it this spring", "Helen Marsh", id="a shadow office holder is not the office holder"),
    pytest.param("Ohio's senator, Mrs Mary Dunne, spoke in Dayton on Monday. Her husband, Mr Paul Dunne, a former "
                 "governor of the state, spoke in Toledo.\n\n"
                 '"We will win this state," Mrs. Dunne said.',
                 "win this state", "Mary Dunne", id="an honorific picks the person of its gender"),
    pytest.param("Labour campaign begins\n\nCabinet minister Tom Reed chaired the meeting on Monday.\n\n"
                 "Mr Reed has run the party's past campaigns but Mr Alan Ward is taking that role this time. "
                 'It will not be a "battle bus" campaign, he said.',
                 "battle bus", "Alan Ward", id="he is the subject of the last main clause, even a conjoined one"),
    pytest.param("Minister welcomes deal\n\nIrish Foreign Minister Sean Walsh welcomed the fishing deal on Monday. "
                 '"This will make a real difference to our fishermen," he said. "I warmly applaud the efforts of '
                 'both Norway and Iceland. "This spirit of cooperation will, I hope, lead to more measures."',
                 "warmly applaud", "Sean Walsh", id="a quote running on in the first person is the last speaker's"),
])
def test_who_a_description_or_pronoun_in_a_story_names(coder, story: str, fragment: str, name: str) -> None:
    assert _speaker_of(coder, story, fragment).name == name


CANDIDATE_STORY = ("Dalton enters Senate race\n\nRick Dalton of Ohio launched a bid for the Senate on Monday. "
                   "Dalton promised lower taxes, and Dalton attacked the governor's budget. Critics said Dalton "
                   "had no experience.\n\n")


@pytest.mark.parametrize(("quote", "description", "is_dalton"), [
    ("I will win in November", "the billionaire", True),  # how stories vary the name of their subject
    ("The budget is balanced", "the spokesman", False),  # a role held by someone the story does not name
])
def test_a_description_that_fits_no_office_is_the_storys_central_person(coder, quote: str, description: str,
                                                                         is_dalton: bool) -> None:
    speaker = _speaker_of(coder, CANDIDATE_STORY + f'"{quote}," {description} said.', quote)
    assert (speaker.name == "Rick Dalton") is is_dalton


def test_a_company_introduced_by_its_country_and_then_named_is_of_that_country(coder) -> None:
    story = ("Dutch firm faces Bolivian land row\n\nBolivian officials said they would seize land owned by a "
             "Dutch company. Officials in Santa Cruz said farms owned by the Van Dam Group would be taken. "
             "The Bolivian government said the farms were idle.\n\n"
             "The Van Dam Group said it had not been told of any seizure.")
    speaker = _speaker_of(coder, story, "not been told")
    assert speaker.code == "NLD"


def test_a_name_after_a_no_break_space_is_still_the_speakers_full_name(coder) -> None:
    """Scraped pages put no-break spaces after abbreviated titles; the speaker is the named person all the same
    (the abbreviated title is no part of the name), and the quote's offsets still point into the text as given."""
    story = ("On Sunday, Republican vice-presidential nominee\u00a0Gov.\u00a0Mike Pence (R-IN) said his state "
             "would build the new bridge.")
    quote = next(q for q in coder.code_text(story).quotes if "new bridge" in q.text)
    assert quote.speaker.name == "Mike Pence"
    assert story[quote.start:quote.end] == quote.text


@pytest.mark.parametrize(("sentence", "name", "code"), [
    ("Sen. Tom Reyes said the bill would fail.", "Tom Reyes", "USA"),  # a US senator
    ("Lt. Gen. Mark Holt said the bill would fail.", "Mark Holt", None),  # a general of no stated army
])
def test_an_abbreviated_title_is_a_role_not_part_of_the_name(coder, sentence: str, name: str, code: str | None) -> None:
    speaker = coder.code_text(sentence).quotes[0].speaker
    assert (speaker.name, speaker.code) == (name, code)


@pytest.mark.parametrize(("story", "fragment", "name", "code"), [
    # an office's usual country ("senator" -> USA) does not overrule the one the story gives its holder
    ("Peruvian senator Ana Ruiz arrived in Lima on Monday. The senator said the law was unfair.", "unfair",
     "Ana Ruiz", "PER"),
    ("The Italian attorney general, Marco Bellini, arrived on Monday. The attorney general said the law was unfair.",
     "unfair", "Marco Bellini", "ITA"),
    # a stance is no nationality
    ("Anti-Russian Labour MP Jane Kerr said the sanctions were too weak.", "too weak", "Jane Kerr", "GBR"),
])
def test_who_a_description_names_when_the_story_gives_a_nationality(coder, story: str, fragment: str, name: str,
                                                                    code: str) -> None:
    speaker = _speaker_of(coder, story, fragment)
    assert (speaker.name, speaker.code) == (name, code)


def test_a_description_is_not_the_person_its_own_clause_names(coder) -> None:
    story = ("Tom Hale is to stand against Labour MP Jane Kerr at the election. The Dunmore MP accused Ms Kerr of "
             "being a stooge.")
    coded = coder.code_text(story)
    accuse = next(e for e in coded.events if e.trigger == "accused")
    assert all(a.name != "Jane Kerr" for a in accuse.actor)


@pytest.mark.parametrize(("story", "fragment", "code"), [
    # a second description joined to an apposition by "and a"
    ('"Their aim is clear," Michael Hale, a senior fellow at the Dunmore Institute and a former United States '
     'ambassador to Russia, said of the network.', "aim is clear", "USA"),
    # a body named after its leader serves the leader's country; "in" counts for such a body
    ("Chile's president Jorge Soto told Chilean ministers in Santiago that Chile would host the summit. Chilean "
     "officials said Peru's president Ana Ruiz would not attend. Officials in the Ruiz administration said the "
     "summit was a failure.", "was a failure", "PER"),
    # a group of officials serves the body its "of" phrase names
    ("Finance ministers of the G8 said the debt plan was fair.", "was fair", "IGO"),
    # the party-and-state tag of a US politician
    ("Ellen Marsh (D-N.J.) said the sanctions bill was fair.", "was fair", "USA"),
    # a country in the object of a relative clause is no nationality; a side led is
    ("Tom Hale, who opposed the Chile deal last summer, said the bill was fair.", "was fair", None),
    ("Anton Belov, who led the Russian side, said the talks were useful.", "were useful", "RUS"),
    # a one-word party name is the party of a country the story names, not of a foreign one
    ("Peru's parliament debated the fishing deal on Monday. Conservatives in parliament say the quota is unfair.",
     "quota is unfair", None),
    ("Britain's parliament debated the fishing deal on Monday. Conservatives in parliament say the quota is "
     "unfair.", "quota is unfair", "GBR"),
])
def test_the_country_the_words_around_a_speaker_give(coder, story: str, fragment: str, code: str | None) -> None:
    assert _speaker_of(coder, story, fragment).code == code


def test_a_religious_group_is_no_organisation_of_the_storys_country(coder) -> None:
    """ "Jews" and "Muslims" are groups of believers (REL), not organisations that take the country a story is
    about."""
    story = ("British ministers met in London. The British government said the memorial would open in London. "
             "Jews and Muslims said the memorial was overdue.")
    speaker = _speaker_of(coder, story, "was overdue")
    assert speaker.code is None and speaker.sector == "REL"

