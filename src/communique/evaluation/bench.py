"""Benchmark: communique end to end against plain spaCy on the same texts, in one run.

The baseline is what a user would otherwise run: the full spaCy pipeline over every text
with ``nlp.pipe(n_process=2)``. communique runs as ``communique ingest`` into a fresh
store (reading, cleaning, prefilter, parse, quotes, events, near-duplicate linking,
storage, clustering). Both run as child processes of this one, one after the other, so
they see the same machine; the ratio of their throughputs is the figure that matters,
since absolute speed depends on the machine and on what else it is doing.

Peak memory is the largest sum of resident set sizes over a child's whole process tree
(spaCy and communique workers included), sampled every 50 ms. Cold start is the wall
time of ``communique code`` on one article, imports and model loading included.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from communique.errors import InputError

TEXT_SUFFIXES = (".txt", ".text")
BASELINE_BATCH = 64  # spaCy's nlp.pipe is fastest with batches of 32–256 texts
# the ingest summary line (see cli._print_ingest_summary)
SUMMARY = re.compile(r"This run: (\d+) articles stored .*?, (\d+) already stored, (\d+) failed")


@dataclass(frozen=True, slots=True)
class RunStats:
    """One measured child process tree."""

    label: str
    articles: int
    words: int
    seconds: float
    peak_rss_mb: float
    exit_code: int
    stored: int | None = None  # articles an ingest run stored
    skipped: int | None = None  # exact copies of articles already stored (same content hash)
    failed: int | None = None  # items an ingest run could not code

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class BenchReport:
    """Rounds of baseline and communique runs, their throughput ratio, cold start and optional memory scaling.

    With several rounds the ratio is the median of the rounds' ratios: on a shared machine
    the load drifts during a run, and alternating the order of the two sides from round
    to round keeps the drift from favouring either.
    """

    corpus: str
    rounds: list[tuple[RunStats, RunStats]]  # (baseline, communique) per round
    cold_start_s: float
    scaled: RunStats | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def baseline(self) -> RunStats:
        return self.rounds[0][0]

    @property
    def communique(self) -> RunStats:
        return self.rounds[0][1]

    @property
    def ratios(self) -> list[float]:
        return [ours.articles_per_s / base.articles_per_s if base.articles_per_s else 0.0 for base, ours in self.rounds]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def memory_growth(self) -> float | None:
        """Peak memory of the scaled corpus relative to the plain one (1.0 = flat; the smallest plain peak)."""
        plain = min(ours.peak_rss_mb for _, ours in self.rounds)
        if self.scaled is None or not plain:
            return None
        return self.scaled.peak_rss_mb / plain

    def to_dict(self) -> dict[str, object]:
        runs = [run for pair in self.rounds for run in pair] + ([self.scaled] if self.scaled else [])
        return {
            "corpus": self.corpus,
            "runs": [asdict(r) | {"articles_per_s": r.articles_per_s, "words_per_s": r.words_per_s} for r in runs],
            "ratio": self.ratio, "ratios": self.ratios, "cold_start_s": self.cold_start_s,
            "memory_growth": self.memory_growth, "notes": self.notes,
        }


def corpus_files(corpus: Path, limit: int | None = None) -> list[Path]:
    """The corpus's text files in a stable order (every subfolder), at most ``limit``."""
    if not corpus.is_dir():
        raise InputError("no corpus folder here (give --corpus DIR with text files)", item=str(corpus))
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise InputError("the corpus folder has no .txt files", item=str(corpus))
    return files[:limit] if limit else files


def read_text(path: Path) -> str:
    """A corpus file's text for the baseline and word counts (UTF-8, else Latin-1 as many old corpora are)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def measure(label: str, cmd: Sequence[str], articles: int, words: int, *, summarised: bool = False) -> RunStats:
    """Run ``cmd`` to completion, timing it and sampling its process tree's memory.

    With ``summarised`` the command is an ingest whose summary line must account for every article.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = _PeakMemory(proc.pid)
    peak.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    peak.stop()
    stats = RunStats(label, articles, words, seconds, peak.peak_mb, proc.returncode)
    if proc.returncode == 0 and not summarised:
        return stats
    summary = SUMMARY.search(" ".join(stdout.decode("utf-8", "replace").split()))
    if proc.returncode not in (0, 1) or (summarised and summary is None):  # 1 = some items failed
        tail = " | ".join(stderr.decode("utf-8", "replace").strip().splitlines()[-5:])
        raise RuntimeError(f"{label} did not finish (exit {proc.returncode}): {tail}")
    if summary is None:
        return stats
    stored, skipped, failed = (int(g) for g in summary.groups())
    if stored + skipped + failed < articles:
        raise RuntimeError(f"{label} stopped early: {stored} stored, {skipped} copies, {failed} failed of {articles}")
    return dataclasses.replace(stats, stored=stored, skipped=skipped, failed=failed)


class _PeakMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
            except psutil.NoSuchProcess:
                return
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def baseline_command(file_list: Path, n_process: int, batch_size: int, model: str | None) -> list[str]:
    """The baseline child: plain ``nlp.pipe`` of the full pipeline (see `baseline_main`)."""
    cmd = [sys.executable, "-m", "communique.evaluation.bench", str(file_list), str(n_process), str(batch_size)]
    return cmd + ([model] if model else [])


def baseline_main(argv: Sequence[str]) -> None:
    """Entry of the baseline child: FILE_LIST N_PROCESS BATCH_SIZE [MODEL]."""
    from communique.nlp.load import load_spacy

    paths = [Path(line) for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line]
    nlp = load_spacy(argv[3] if len(argv) > 3 else None)
    for _ in nlp.pipe((read_text(p) for p in paths), n_process=int(argv[1]), batch_size=int(argv[2])):
        pass


def run_bench(corpus: Path, *, limit: int | None = None, workers: int = 2, n_process: int = 2,
              batch_size: int = 64, model: str | None = None, scale: int = 0, rounds: int = 1,
              progress: Callable[[str], None] = lambda _: None) -> BenchReport:
    """``rounds`` of baseline and communique ingest (alternating which goes first), cold start and
    (with ``scale`` > 1) the memory check."""
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    files = corpus_files(corpus, limit)
    words = sum(len(read_text(p).split()) for p in files)
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
        work = Path(tmp)
        file_list = work / "files.txt"
        file_list.write_text("\n".join(str(p.resolve()) for p in files), encoding="utf-8")
        slice_dir = _link_corpus(files, work / "corpus")
        pairs: list[tuple[RunStats, RunStats]] = []
        for k in range(rounds):
            tag = f" #{k + 1}" if rounds > 1 else ""

            def baseline(tag: str) -> RunStats:
                progress(f"baseline{tag}: spaCy nlp.pipe(n_process={n_process}) over {len(files)} articles")
                return measure(f"spaCy{tag}", baseline_command(file_list, n_process, BASELINE_BATCH, model),
                               len(files), words)

            def ours(tag: str, k: int) -> RunStats:
                progress(f"communique{tag}: ingest --workers {workers} over the same {len(files)} articles")
                return measure(f"communique{tag}", _ingest_command(slice_dir, work / f"bench{k}.duckdb", workers,
                                                                   batch_size, model),
                               len(files), words, summarised=True)

            if k % 2 == 0:
                base = baseline(tag)
                pairs.append((base, ours(tag, k)))
            else:
                mine = ours(tag, k)
                pairs.append((baseline(tag), mine))
        progress("cold start: communique code on one article")
        cold = measure("cold start", [sys.executable, "-m", "communique", "code", str(files[0]), "--format",
                                      "json"] + (["--model", model] if model else []), 1, 0)
        scaled = None
        if scale > 1:
            big = _scaled_corpus(files, work / f"corpus-x{scale}", scale)
            progress(f"memory check: ingest of the corpus repeated {scale}× as different articles")
            scaled = measure(f"communique ×{scale}", _ingest_command(big, work / "scaled.duckdb", workers,
                                                                            batch_size, model),
                             len(files) * scale, words * scale, summarised=True)
    return BenchReport(str(corpus), pairs, cold.seconds, scaled)


def _ingest_command(corpus: Path, db: Path, workers: int, batch_size: int, model: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "communique", "ingest", str(corpus), "--db", str(db), "--workers", str(workers),
           "--batch-size", str(batch_size)]
    return cmd + (["--model", model] if model else [])


def _link_corpus(files: list[Path], folder: Path) -> Path:
    """The selected files as a folder of symlinks, so ``ingest`` reads exactly the baseline's texts."""
    folder.mkdir()
    for i, path in enumerate(files):
        (folder / f"{i:06d}-{path.name}").symlink_to(path.resolve())
    return folder


def _scaled_corpus(files: list[Path], folder: Path, times: int) -> Path:
    """The corpus ``times`` over, each copy made a different article by a numbered headline line."""
    folder.mkdir()
    for copy in range(times):
        for i, path in enumerate(files):
            text = read_text(path)
            headline, _, rest = text.partition("\n")
            (folder / f"{copy}-{i:06d}.txt").write_text(f"{headline} (part {copy + 1})\n{rest}", encoding="utf-8")
    return folder


if __name__ == "__main__":
    baseline_main(sys.argv[1:])
