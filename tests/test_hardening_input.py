"""Issue #14, items 2, 6, 7, 8 and 10: messy input and hostile values fail alone, with coded errors.

All stories are invented.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.interfaces import cli
from communique.model import CodedArticle, Failure
from communique.reading.clean import CleaningRules, prepare_article
from communique.reading.read import RawDoc, ReadOptions, decode, read_target
from communique.store.store import Store

CITIES = ["Oslo", "Vienna", "Geneva", "Ankara", "Warsaw", "Madrid"]


def _story(n: int, city: str) -> str:
    return (f"Envoys meet in {city} for round {n} of talks\n\n"
            f"{city.upper()} (Reuters) – Diplomats from Germany and Poland met in {city} on Tuesday for the "
            f"{n}th round of talks on energy transit, the German foreign ministry said.\n\n"
            f"\"We made progress on round {n},\" said Deputy Foreign Minister Klara Brandt.\n")


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, coder) -> CliRunner:
    """The CLI in-process with the session's coder, in this process (no worker pool)."""
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    monkeypatch.setattr("communique.engine.load_coder", lambda *a, **k: coder)
    return CliRunner()


def _long_article(chars: int) -> str:
    paragraph = ("The ministers of Freedonia and Sylvania met again on Monday to discuss the border, "
                 "officials said, and agreed to meet once more next week in the capital. ")
    return "A very long report\n\n" + "\n\n".join([paragraph * 3] * (chars // (len(paragraph) * 3) + 1))


# --- 2: long texts and per-article failures ------------------------------------------------------


def test_long_article_is_recorded_and_the_others_stored(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n, city in enumerate(CITIES[:5]):
        (folder / f"{n:02d}.txt").write_text(_story(n, city), encoding="utf-8")
    (folder / "03-long.txt").write_text(_long_article(1_500_000), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    result = runner.invoke(cli.app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, (SystemExit, type(None)))
    assert "[E110]" in result.stderr and "03-long.txt" in result.stderr
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 5
        assert [(f.code, Path(f.item).name) for f in store.failures()] == [("E110", "03-long.txt")]
    again = runner.invoke(cli.app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert again.exit_code == 1 and "5 already stored" in again.stdout


class _Boom:
    """An event stage that raises on one article (a stand-in for any bug in a stage)."""

    def __init__(self, real, word: str) -> None:
        self.real, self.word = real, word

    def __call__(self, doc, actors, quotes, article, *rest):
        if self.word in article.body:
            raise ZeroDivisionError("a stage bug")
        return self.real(doc, actors, quotes, article, *rest)

    def __getattr__(self, name: str):
        return getattr(self.real, name)


def test_a_stage_that_raises_fails_only_its_article(coder) -> None:
    broken = dataclasses.replace(coder, events=_Boom(coder.events, "Madrid"))
    docs = [RawDoc(source=f"{city}.txt", text=_story(n, city), origin="text", headline_line=True)
            for n, city in enumerate(CITIES)]
    results = list(broken.code_stream(docs))
    assert [type(r).__name__ for r in results] == ["CodedArticle"] * 5 + ["Failure"]
    failure = results[-1]
    assert isinstance(failure, Failure) and failure.code == "E200" and "extract stage" in failure.message
    assert "ZeroDivisionError" in failure.message and failure.item == "Madrid.txt"


class _BrokenParser:
    """An nlp whose pipe raises when a batch holds a word; everything else is the real pipeline."""

    def __init__(self, nlp, word: str) -> None:
        self.nlp, self.word = nlp, word

    def pipe(self, texts, **kwargs):
        for out in self.nlp.pipe(texts, **kwargs):
            doc = out[0] if kwargs.get("as_tuples") else out
            if self.word in doc.text:
                raise RuntimeError("parser crashed")
            yield out

    def __call__(self, text):
        return self.nlp(text)

    def __getattr__(self, name: str):
        return getattr(self.nlp, name)


def test_a_parser_crash_fails_only_its_article(coder) -> None:
    broken = dataclasses.replace(coder, nlp=_BrokenParser(coder.nlp, "Geneva"))
    docs = [RawDoc(source=f"{city}.txt", text=_story(n, city), origin="text", headline_line=True)
            for n, city in enumerate(CITIES)]
    results = list(broken.code_stream(docs))
    kinds = {r.article.source if isinstance(r, CodedArticle) else r.item: type(r).__name__ for r in results}
    assert kinds == {f"{c}.txt": "Failure" if c == "Geneva" else "CodedArticle" for c in CITIES}
    [failure] = [r for r in results if isinstance(r, Failure)]
    assert failure.code == "E200" and "parse stage" in failure.message


# --- 6: decoding ---------------------------------------------------------------------------------


def test_one_bad_byte_keeps_utf8_and_is_recorded(tmp_path: Path, coder) -> None:
    text = ("Talks in Zürich\n\nZÜRICH (Reuters) – Le président Müller met Señora Peña in Zürich on Monday, "
            "officials said. The délégation agreed to meet again.\n")
    data = text.encode("utf-8")
    cut = data.index(b" officials")
    path = tmp_path / "bad.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    [doc] = list(read_target(str(path)))
    assert isinstance(doc, RawDoc) and "Müller" in doc.text and "Señora Peña" in doc.text and "Ã" not in doc.text
    assert doc.encoding.startswith("utf-8 (1 invalid byte")
    [repair] = doc.repairs
    assert doc.text[repair.start:repair.end] == "\ufffd" and repair.before == "ff"
    coded = coder.code(doc)
    assert any(r.kind == "invalid_utf8_bytes" and r.start == repair.start for r in coded.article.repairs)
    assert coded.article.metadata_sources["encoding"] == doc.encoding


def test_other_encodings_are_named_not_mojibake() -> None:
    western = "Le président Müller a rencontré son homologue à Zürich pour des négociations. " * 3
    decoded = decode(western.encode("cp1252"), "x", ReadOptions())
    assert decoded.text == western and decoded.encoding == "cp1252" and not decoded.repairs
    central = "Zaključci sastanka u Beogradu: ministri su se složili, rekao je Šešelj. " * 3
    decoded = decode(central.encode("cp1250"), "x", ReadOptions())
    assert decoded.text == central and decoded.encoding == "cp1250"


# --- 7: option values ----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--batch-size", "0"], ["--batch-size", "-1"], ["--n-process", "0"],
                                  ["--max-bytes", "-1"], ["--workers", "0"], ["--workers", "1000"],
                                  ["--n-process", "1000"]])
def test_bad_ingest_values_are_usage_errors(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    story = tmp_path / "a.txt"
    story.write_text(_story(1, "Oslo"), encoding="utf-8")
    result = runner.invoke(cli.app, ["ingest", str(story), "--db", str(tmp_path / "x.duckdb"), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.duckdb").exists()


def test_missing_folders_are_named(runner: CliRunner, tmp_path: Path) -> None:
    story = tmp_path / "a.txt"
    story.write_text(_story(1, "Oslo"), encoding="utf-8")
    result = runner.invoke(cli.app, ["ingest", str(story), "--db", str(tmp_path / "nowhere" / "x.duckdb")])
    assert result.exit_code == 2 and "does not exist" in result.stderr and "another communique" not in result.stderr
    db = tmp_path / "x.duckdb"
    assert runner.invoke(cli.app, ["ingest", str(story), "--db", str(db), "--workers", "1"]).exit_code == 0
    for command in (["export", "--format", "csv", "--out", str(tmp_path / "no" / "e.csv")],
                    ["network", "--out", str(tmp_path / "no" / "n.json")],
                    ["dyad", "DEU", "POL", "--plot", str(tmp_path / "no" / "d.png")]):
        result = runner.invoke(cli.app, [*command, "--db", str(db)])
        assert result.exit_code == 2 and "does not exist" in result.output and result.exception is not None
        assert isinstance(result.exception, SystemExit), command


# --- 8: escape sequences -------------------------------------------------------------------------


def test_tables_strip_terminal_escapes(runner: CliRunner, tmp_path: Path) -> None:
    hostile = ("Envoys meet in Oslo\n\nOSLO (Reuters) – Diplomats from Germany and Poland met in Oslo on "
               "Tuesday, the ministry said.\n\n\"We made \x1b]0;pwned\x07progress \x1b[2J[bold]today[/bold],\" said "
               "Deputy Foreign Minister Klara Brandt.\n")
    story = tmp_path / "hostile.txt"
    story.write_text(hostile, encoding="utf-8")
    coded = runner.invoke(cli.app, ["code", str(story)])
    assert coded.exit_code == 0, coded.output
    assert "progress" in coded.stdout and "\x1b" not in coded.stdout and "\x07" not in coded.stdout
    assert "[bold]" in coded.stdout  # story text is shown as text, never as markup
    db = tmp_path / "h.duckdb"
    assert runner.invoke(cli.app, ["ingest", str(story), "--db", str(db), "--workers", "1"]).exit_code == 0
    listed = runner.invoke(cli.app, ["quotes", "--db", str(db)])
    assert "progress" in listed.stdout and "\x1b" not in listed.stdout


# --- 10: stats and credits -----------------------------------------------------------------------


def test_stats_say_what_events_counts(runner: CliRunner, tmp_path: Path) -> None:
    story = tmp_path / "a.txt"
    story.write_text(_story(1, "Oslo"), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert runner.invoke(cli.app, ["ingest", str(story), "--db", str(db), "--workers", "1"]).exit_code == 0
    shown = runner.invoke(cli.app, ["stats", "--db", str(db)])
    assert "by status" in shown.stdout and "every status" in shown.stdout and "--status all" in shown.stdout


CREDIT_LINES = {
    "(Reporting by Anna Kessler, with Piotr Nowak in Warsaw; Lena Brandt, Omar Haddad and Jin Park in Brussels; "
    "Sofia Reyes in Madrid; French version Claire Dubois and Marc Lenoir, edited by Hugo Martin)": [
        ("Anna Kessler", "reporting", "Warsaw"), ("Piotr Nowak", "reporting", "Warsaw"),
        ("Lena Brandt", "reporting", "Brussels"), ("Omar Haddad", "reporting", "Brussels"),
        ("Jin Park", "reporting", "Brussels"), ("Sofia Reyes", "reporting", "Madrid"),
        ("Claire Dubois", "translation", None), ("Marc Lenoir", "translation", None),
        ("Hugo Martin", "editing", None)],
    "(Reporting by Dara Quinn in Dublin and Tomas Berg in Oslo; Additional reporting by Ines Costa in Lisbon; "
    "Writing by Paul Weller; Editing by Mia Lang and Rob Stone)": [
        ("Dara Quinn", "reporting", "Dublin"), ("Tomas Berg", "reporting", "Oslo"),
        ("Ines Costa", "additional reporting", "Lisbon"), ("Paul Weller", "writing", None),
        ("Mia Lang", "editing", None), ("Rob Stone", "editing", None)],
    "(Reporting by Ana Lima in Brasilia, Writing by Karl Frey, Translated by Eva Horn, Editing by Sue Bell)": [
        ("Ana Lima", "reporting", "Brasilia"), ("Karl Frey", "writing", None), ("Eva Horn", "translation", None),
        ("Sue Bell", "editing", None)],
}


@pytest.mark.parametrize("line", list(CREDIT_LINES))
def test_credits_give_every_person_with_role_and_city(line: str) -> None:
    text = ("Talks resume\n\nOSLO (Reuters) – Diplomats from Germany and Poland met in Oslo on Tuesday for "
            f"talks on energy transit, the German foreign ministry said.\n\n{line}\n")
    article, _ = prepare_article(RawDoc(source="x", text=text, origin="text", headline_line=True),
                                 CleaningRules.load())
    assert [(c.name, c.role, c.place) for c in article.credits] == CREDIT_LINES[line]
    assert line not in article.body


def test_progress_total_counts_files_and_lines(tmp_path: Path) -> None:
    from communique.reading.read import count_items

    (tmp_path / "a.txt").write_text(_story(1, "Oslo"), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps({"text": _story(n, "Riga")}) for n in range(3)) + "\n",
                                      encoding="utf-8")
    assert count_items([str(tmp_path)]) == 4
    assert count_items([str(tmp_path), "-"]) is None
