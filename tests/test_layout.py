"""The architecture as the folder tree shows it: imports point one way, the public API works."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "communique"

# Lower layers never import higher ones; modules of one layer may import each other only inside
# the same package. interfaces → evaluation → analysis → store → pipeline/engine → extract →
# nlp, reading → lexicons → model, errors, config; the engine runs the pipeline.
LAYERS: dict[str, int] = {
    "model": 0, "errors": 0, "config": 0,
    "lexicons": 1,
    "nlp": 2, "reading": 2,
    "extract": 3,
    "pipeline": 4,
    "engine": 5,
    "store": 6,
    "analysis": 7,
    "evaluation": 8,
    "interfaces": 9,
    "__main__": 10,
}


def _unit(module: str) -> str:
    """The layer unit of a dotted module name under communique ("communique.extract.events" → "extract")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("communique"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("communique")]
    return found


def test_every_module_belongs_to_a_layer() -> None:
    units = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    assert units - {"__init__"} <= set(LAYERS), units - set(LAYERS)


def test_imports_point_down_the_layers() -> None:
    backwards = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel == Path("__init__.py"):
            continue  # the public API re-exports from every layer, lazily
        here = rel.parts[0].removesuffix(".py")
        for line, module in _imports(path):
            there = _unit(module)
            if there in ("", "__init__") and module == "communique":
                continue  # `from communique import __version__`
            if there != here and LAYERS[there] >= LAYERS[here]:
                backwards.append(f"{rel}:{line} imports {module}")
    assert not backwards, "imports pointing up or sideways:\n" + "\n".join(backwards)


def test_layer_test_catches_an_import_pointing_up(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from communique.interfaces.cli import app\n", encoding="utf-8")
    (line, module), = _imports(bad)
    assert LAYERS[_unit(module)] > LAYERS["extract"]


STORY = ("Ministers meet in Vienna\n\nThe foreign ministers of Austria and Hungary met in Vienna on Monday "
         "and agreed to open a new border crossing, officials said.\n")


def _examples() -> list[str]:
    """The package docstring's example and every ```python block of the README."""
    import communique

    readme = (PACKAGE.parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    doc_example = communique.__doc__.split("::", 1)[1].split("\n\n")[1]
    return [textwrap.dedent(doc_example), *blocks]


@pytest.mark.parametrize("n", range(2))
def test_the_documented_python_examples_run(n: int, tmp_path: Path) -> None:
    examples = _examples()
    assert len(examples) == 2, "a new example in the README: extend the range above"
    (tmp_path / "examples" / "articles").mkdir(parents=True)
    (tmp_path / "examples" / "articles" / "talks.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", examples[n]], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip(), "the example printed nothing"


def test_importing_the_package_does_not_load_spacy() -> None:
    run = subprocess.run([sys.executable, "-c", "import communique, sys; print('spacy' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


@pytest.mark.slow
def test_coder_with_two_processes_works_under_spawn() -> None:
    """macOS and Windows start worker processes by "spawn": everything sent to them must pickle."""
    script = (
        "import multiprocessing as mp\n"
        "mp.set_start_method('spawn', force=True)\n"
        "from communique import Coder, CoderConfig\n"
        "from communique.reading.read import RawDoc\n"
        "coder = Coder.load(CoderConfig(n_process=2, batch_size=1))\n"
        "docs = [RawDoc(source=f'{i}.txt', text=f'Talks {i}\\n\\nThe leaders of Chile and Peru met in Lima on '\n"
        "       f'day {i} and signed a trade deal, officials said.', origin='text', explicit={}) for i in range(4)]\n"
        "out = list(coder.code_stream(docs))\n"
        "print(sum(len(o.events) for o in out), len(out))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    events, articles = map(int, run.stdout.split())
    assert articles == 4 and events >= 4
