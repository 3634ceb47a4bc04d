"""PolNeAR evaluation: reading brat standoff, the metric arithmetic, and floors on a committed mini set."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.errors import EvalDataError
from communique.evaluation.polnear import QuoteEvalReport, evaluate_polnear, gold_head, read_polnear
from communique.extract.quotes import QuoteCandidate

MINI = Path(__file__).parent / "fixtures" / "polnear_mini"

TEXT = ("Harbour row deepens.\n\n"
        "\u201cWe will not give up the port,\u201d Rehn said. Brandt said the offer was final.\n\n"
        "\u201cIt is over,\u201d the envoy said, \u201cfor now.\u201d\n")


def span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def ann_line(tid: str, label: str, text: str, *parts: tuple[int, int]) -> str:
    ranges = ";".join(f"{s} {e}" for s, e in parts)
    return f"{tid}\t{label} {ranges}\t{' '.join(text[s:e] for s, e in parts)}"


def write_split(root: Path, text: str, lines: list[str], name: str = "art", annotator: str = "a1") -> Path:
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(parents=True, exist_ok=True)
    (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / f"{name}_{annotator}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture()
def split(tmp_path: Path) -> Path:
    t = TEXT
    q1, rehn = span(t, "\u201cWe will not give up the port,\u201d"), span(t, "Rehn")
    indirect, brandt = span(t, "the offer was final"), span(t, "Brandt")
    q2a, q2b = span(t, "\u201cIt is over,\u201d"), span(t, "\u201cfor now.\u201d")
    envoy = span(t, "the envoy")
    said = [span(t, "said", k) for k in range(3)]
    lines = [
        ann_line("T1", "Content", t, q1), ann_line("T2", "Source", t, rehn), ann_line("T3", "Cue", t, said[0]),
        ann_line("T4", "Attribution", t, said[0]), "E1\tAttribution:T4 Content:T1 Source:T2 Cue:T3",
        ann_line("T5", "Content", t, indirect), ann_line("T6", "Source", t, brandt),
        ann_line("T7", "Cue", t, said[1]), ann_line("T8", "Attribution", t, said[1]),
        "E2\tAttribution:T8 Content:T5 Source:T6 Cue:T7",
        # one attribution, two quoted stretches around its cue: two gold direct units
        ann_line("T9", "Content", t, q2a, q2b), ann_line("T10", "Source", t, envoy),
        ann_line("T11", "Cue", t, said[2]), ann_line("T12", "Attribution", t, said[2]),
        "E3\tAttribution:T12 Content:T9 Source:T10 Cue:T11",
        ann_line("T13", "Discard", t, span(t, "Harbour row deepens.")),
    ]
    return write_split(tmp_path / "dev", t, lines)


def candidate(kind: str, where: tuple[int, int], speaker: tuple[int, int] | None,
              context: tuple[int, int] | None = None) -> QuoteCandidate:
    return QuoteCandidate(kind=kind, start=where[0], end=where[1], cue=None, speaker=speaker, speaker_head=None,
                          context=context, confidence=0.9, continues_previous=False)


def test_reads_units_heads_and_directness(split: Path):
    (article,) = read_polnear(split)
    t = article.text
    units = sorted(article.units, key=lambda u: u.hull)
    assert [(t[u.hull[0]:u.hull[1]], u.direct) for u in units] == [
        ("\u201cWe will not give up the port,\u201d", True),
        ("the offer was final", False),
        ("\u201cIt is over,\u201d", True),
        ("\u201cfor now.\u201d", True),
    ]
    assert [t[u.head[0]:u.head[1]] for u in units] == ["Rehn", "Brandt", "envoy", "envoy"]


def test_metrics_one_found_one_missed(split: Path):
    t = TEXT
    rehn = span(t, "Rehn")

    def extract(text: str) -> list[QuoteCandidate]:
        assert text == t
        return [
            candidate("direct", span(t, "\u201cWe will not give up the port,\u201d"), rehn),  # right
            candidate("direct", span(t, "\u201cIt is over,\u201d"), rehn),  # found, wrong speaker
            candidate("direct", span(t, "Harbour row deepens."), None),  # not a quote
            candidate("partial", span(t, "final"), span(t, "Brandt"), context=span(t, "the offer was final")),
        ]

    calls: list[tuple[int, int]] = []
    report = evaluate_polnear(split, extract, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]
    assert (report.articles, report.direct_gold, report.direct_pred) == (1, 3, 3)
    assert report.direct_overlap.precision == pytest.approx(2 / 3, abs=1e-3)
    assert report.direct_overlap.recall == pytest.approx(2 / 3, abs=1e-3)
    assert report.direct_exact.matched_gold == 2
    assert report.direct_speaker_accuracy == 0.5 and report.direct_speaker_pairs == 2
    assert report.direct_end_to_end.recall == pytest.approx(1 / 3, abs=1e-3)
    assert report.direct_end_to_end.precision == pytest.approx(1 / 3, abs=1e-3)
    # all attributions: 4 units; the partial counts with its context
    assert (report.all_gold, report.all_pred) == (4, 4)
    assert report.all_overlap.recall == 0.75 and report.all_overlap.precision == 0.75
    assert report.all_speaker_accuracy == pytest.approx(2 / 3, abs=1e-3)
    assert report.paragraphs == 3 and report.paragraphs_per_second > 0


def test_recall_half_when_one_of_two_quotes_found(tmp_path: Path):
    t = "\u201cYes,\u201d Ana said.\n\n\u201cNo,\u201d Ben said.\n"
    lines = [ann_line("T1", "Content", t, span(t, "\u201cYes,\u201d")), ann_line("T2", "Source", t, span(t, "Ana")),
             ann_line("T3", "Cue", t, span(t, "said")), "E1\tAttribution:T3 Content:T1 Source:T2 Cue:T3",
             ann_line("T4", "Content", t, span(t, "\u201cNo,\u201d")), ann_line("T5", "Source", t, span(t, "Ben")),
             ann_line("T6", "Cue", t, span(t, "said", 1)), "E2\tAttribution:T6 Content:T4 Source:T5 Cue:T6"]
    root = write_split(tmp_path / "s", t, lines)
    found = [candidate("direct", span(t, "\u201cYes,\u201d"), span(t, "Ana"))]
    report = evaluate_polnear(root, lambda text: found)
    assert report.direct_end_to_end.recall == 0.5 and report.direct_end_to_end.precision == 1.0
    assert report.direct_end_to_end.f1 == pytest.approx(2 / 3, abs=1e-3)
    assert report.direct_exact.f1 == report.direct_overlap.f1


def test_exact_match_ignores_quote_marks_and_punctuation(tmp_path: Path):
    t = "He said: \u201cWe are ready.\u201d\n"
    lines = [ann_line("T1", "Content", t, span(t, "\u201cWe are ready.\u201d")),
             ann_line("T2", "Cue", t, span(t, "said")), "E1\tAttribution-no-source:T2 Content:T1 Cue:T2"]
    root = write_split(tmp_path / "s", t, lines)
    report = evaluate_polnear(root, lambda text: [candidate("direct", span(text, "We are ready"), None)])
    assert report.direct_exact.f1 == 1.0
    # no gold Source and no predicted speaker: right end to end, but not counted in speaker accuracy
    assert report.direct_end_to_end.f1 == 1.0 and report.direct_speaker_pairs == 0


def test_annotation_text_with_newline_and_several_annotators(tmp_path: Path):
    t = "\u201cFirst line.\n\nSecond line,\u201d Kim said.\n"
    quote = (0, t.index("line,\u201d") + 6)
    lines = [f"T1\tContent {quote[0]} {quote[1]}\t{t[quote[0]:quote[1]]}", ann_line("T2", "Source", t, span(t, "Kim")),
             ann_line("T3", "Cue", t, span(t, "said")), "E1\tAttribution:T3 Content:T1 Source:T2 Cue:T3"]
    root = write_split(tmp_path / "s", t, lines, annotator="aa")
    (root / "attributions" / "art_zz.ann").write_text("", encoding="utf-8")  # a second annotator's file
    (article,) = read_polnear(root)
    assert len(article.units) == 1 and article.units[0].hull == quote


@pytest.mark.parametrize("source, head", [
    ("Kenneth Baer, a former official who runs a consultancy", "Baer"),
    ("a spokesman for the Russian Foreign Ministry", "spokesman"),
    ("Lavrov's spokesman", "spokesman"),
    ("Rep. Jim Clyburn (D-S.C.), the assistant leader", "Clyburn"),
    ("he", "he"),
    ("Trump himself", "Trump"),
    ("Mr. Obama.", "Obama"),
])
def test_gold_head(source: str, head: str):
    s, e = gold_head(source, (0, len(source)))
    assert source[s:e] == head


def test_missing_folder_raises_e050(tmp_path: Path):
    with pytest.raises(EvalDataError) as err:
        read_polnear(tmp_path / "nowhere")
    assert err.value.code == "E050" and "nowhere" in str(err.value)


def test_folder_without_attributions_raises(tmp_path: Path):
    (tmp_path / "text").mkdir()
    with pytest.raises(EvalDataError, match="attributions"):
        read_polnear(tmp_path)


@pytest.mark.parametrize("line, message", [
    ("T1\tContent ten twenty\tx", "bad offsets"),
    ("T1\tContent 5 500\tx", "outside the text"),
    ("E1\tAttribution:T9 Content:T8", "not defined"),
    ("E1\tAttribution", "bad role"),
])
def test_malformed_annotation_raises(tmp_path: Path, line: str, message: str):
    root = write_split(tmp_path / "s", "Short text here.\n", [line])
    with pytest.raises(EvalDataError, match=message) as err:
        read_polnear(root)
    assert "art_a1.ann:1" in str(err.value)


def test_report_dict_and_table(split: Path):
    report = evaluate_polnear(split, lambda text: [], limit=1)
    assert isinstance(report, QuoteEvalReport)
    data = report.to_dict()
    assert data["direct_end_to_end"]["f1"] == 0.0 and data["articles"] == 1
    table = report.format()
    assert "direct quotes, end-to-end" in table and "all attributions, overlap" in table


def test_floors_on_committed_mini_set():
    from communique.extract.quotes import extract_quotes
    from communique.lexicons.cues import CueLexicon
    from communique.nlp.load import load_spacy

    nlp, cues = load_spacy(), CueLexicon.load()
    report = evaluate_polnear(MINI, lambda text: extract_quotes(nlp(text), cues))
    assert report.articles == 7 and report.direct_gold >= 25
    assert report.direct_end_to_end.f1 >= 0.95, report.format()
    assert report.all_overlap.f1 >= 0.90, report.format()
