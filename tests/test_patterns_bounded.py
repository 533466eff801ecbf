"""Every regex of the library, fed adversarial text, answers in bounded time.

Catastrophic backtracking (nested quantifiers, `(a+)+`, `\\s*$` searched over a long run)
turns one odd page into a hung batch. The patterns are collected from the modules (compiled at
import), from the stages and the sectioner (compiled from the rule files), and from the
literal patterns of `re.sub(r"...")`-style calls in the source; each runs `search`, `match`
and an exhausted `finditer` over long runs of letters, spaces, quotation marks, digits,
capitals, dots, apostrophes and their mixes.
"""

from __future__ import annotations

import ast
import importlib
import multiprocessing
import pkgutil
import re
import time
from pathlib import Path

import pytest

import communique

SRC = Path(communique.__file__).resolve().parent
N = 2000  # characters: a quadratic pattern costs ~4M steps here, a linear one ~2,000
BOUND_SECONDS = 0.5  # per pattern and input; linear patterns take well under 10 ms
WHOLE_CHECK_SECONDS = 240  # an exponential pattern never returns: the check runs in a child

# Quadratic on long runs, but only ever applied to short strings, so they are checked on
# BOUNDED_N characters: name -> where the bound comes from.
BOUNDED_N = 300
BOUNDED_INPUT = {
    "communique.stages.places.DATELINE_RIGHT": "the 60 characters after a place name",
    "stage:participants.honorific_tail_re": "a role's text, cut at the name",
    "stages/participants.py:(?i)(?:\\s+(?:et|ou|de|du|des|d['’]|à|au|aux|en|la|le|les))+\\s*$": (
        "a role's text, spaces collapsed"
    ),
    "sectioner.cues[6][1]": "lines of at most cue_line_max_chars (120), spaces collapsed",
    "sectioner.cues[27][1]": "lines of at most cue_line_max_chars (120), spaces collapsed",
}

ADVERSARIAL = {
    "letters": "a" * N,
    "accented": "é" * N,
    "capitals": "A" * N,
    "capital_words": "ABCD " * (N // 5),
    "name_words": "Jean " * (N // 5),
    "spaces": " " * N,
    "nbsp": "\u00a0" * N,
    "newlines": "\n" * N,
    "open_quotes": "«" * N,
    "quotes_spaced": "« " * (N // 2),
    "close_quotes": "»" * N,
    "straight_quotes": '"' * N,
    "curly": "“" * N,
    "digits": "1" * N,
    "digits_spaced": "12 " * (N // 3),
    "dots": "." * N,
    "dotted_caps": "A." * (N // 2),
    "apostrophes": "'" * N,
    "elisions": "l'" * (N // 2),
    "commas": ", " * (N // 2),
    "dashes": "-" * N,
    "brackets": "[" * N,
    "parens": "(" * N,
    "hashes": "#" * N,
    "stars": "*" * N,
    "words": "le ministre a reçu " * (N // 19),
    "title_words": "Le Ministre Des Affaires " * (N // 25),
    "links": "[a](" * (N // 4),
    "tags": "<a " * (N // 3),
    "mixed": "M. « A » l'A. 1er, " * (N // 19),
}


def _module_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    names = ["communique"] + [
        m.name for m in pkgutil.walk_packages([str(SRC)], prefix="communique.") if not m.ispkg
    ]
    for name in names:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{name}.{attr}"] = value
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, re.Pattern):
                        found[f"{name}.{attr}[{key!r}]"] = item
    return found


def _walk(obj: object, path: str, found: dict[str, re.Pattern[str]], seen: set[int], depth=0):
    """Patterns reachable from a stage object's attributes (dicts, lists, rule objects)."""
    if id(obj) in seen or depth > 5:
        return
    seen.add(id(obj))
    if isinstance(obj, re.Pattern):
        found[path] = obj
        return
    if isinstance(obj, str | bytes | int | float | bool) or obj is None:
        return
    if isinstance(obj, dict):
        for key, value in list(obj.items())[:5000]:
            _walk(value, f"{path}[{key!r}]", found, seen, depth + 1)
        return
    if isinstance(obj, list | tuple | set | frozenset):
        for i, value in enumerate(list(obj)[:5000]):
            _walk(value, f"{path}[{i}]", found, seen, depth + 1)
        return
    module = type(obj).__module__ or ""
    if not module.startswith("communique"):
        return  # spaCy's own objects (nlp, vocab) hold no communique pattern
    attrs = getattr(obj, "__dict__", None)
    if attrs is None:
        return
    for key, value in attrs.items():
        _walk(value, f"{path}.{key}", found, seen, depth + 1)


def _literal_patterns() -> dict[str, re.Pattern[str]]:
    """`re.sub(r"...", ...)`, `re.match(r"...")`... with a literal pattern, in the source."""
    found: dict[str, re.Pattern[str]] = {}
    funcs = {"sub", "subn", "match", "fullmatch", "search", "finditer", "findall", "split"}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in funcs
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                flags = 0
                for kw in node.keywords:
                    if kw.arg == "flags" and isinstance(kw.value, ast.Attribute):
                        flags |= getattr(re, kw.value.attr, 0)
                # Named by file and pattern text (not line: lines move with every edit).
                name = f"{path.relative_to(SRC)}:{node.args[0].value}"
                found[name] = re.compile(node.args[0].value, flags)
    return found


@pytest.fixture(scope="module")
def all_patterns(nlp_pipeline) -> dict[str, re.Pattern[str]]:
    found = _module_patterns()
    seen: set[int] = set()
    for name, stage in nlp_pipeline.stages:
        _walk(stage, f"stage:{name}", found, seen)
    _walk(nlp_pipeline.sectioner, "sectioner", found, seen)
    _walk(nlp_pipeline.published_finder, "published_finder", found, seen)
    found.update(_literal_patterns())
    return found


def test_patterns_are_found_in_every_stage(all_patterns):
    # A collector that finds nothing would make the bound below vacuous.
    prefixes = {name.split(".")[0].split(":")[0] for name in all_patterns}
    assert {"stage", "sectioner", "communique"} <= prefixes
    for stage in ("meeting", "dates", "places", "participants", "commitments", "quotes"):
        own = (f"stage:{stage}", f"communique.stages.{stage}.", f"stages/{stage}.py")
        assert any(name.startswith(own) for name in all_patterns), stage
    assert len(all_patterns) > 150


def _slowest(pattern: re.Pattern[str], n: int = N) -> tuple[float, str]:
    worst = (0.0, "")
    for label, text in ADVERSARIAL.items():
        subject = text[:n].lower() if pattern.flags & re.IGNORECASE else text[:n]
        start = time.perf_counter()
        pattern.search(subject)
        pattern.match(subject)
        for _ in pattern.finditer(subject):
            pass
        elapsed = time.perf_counter() - start
        if elapsed > worst[0]:
            worst = (elapsed, label)
        if elapsed > BOUND_SECONDS:
            break
    return worst


def _check(patterns: dict[str, re.Pattern[str]], queue) -> None:
    """Child process: report each pattern before running it, then the slow ones."""
    slow = {}
    for name, pattern in patterns.items():
        queue.put(("start", name))
        n = BOUNDED_N if name in BOUNDED_INPUT else N
        elapsed, label = _slowest(pattern, n)
        if elapsed > BOUND_SECONDS:
            slow[name] = (round(elapsed, 2), label, pattern.pattern[:120])
    queue.put(("done", slow))


def test_every_pattern_is_linear_on_adversarial_text(all_patterns):
    assert set(BOUNDED_INPUT) <= set(all_patterns), set(BOUNDED_INPUT) - set(all_patterns)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_check, args=(all_patterns, queue))
    child.start()
    deadline = time.monotonic() + WHOLE_CHECK_SECONDS
    current, slow = None, None
    while slow is None and time.monotonic() < deadline:
        try:
            kind, value = queue.get(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:  # queue.Empty: the deadline passed
            break
        if kind == "start":
            current = value
        else:
            slow = value
    if slow is None:
        child.kill()
        child.join()
        pytest.fail(f"pattern {current!r} did not finish: catastrophic backtracking")
    child.join()
    assert not slow, slow


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(a+)+$", "a" * 24 + "!"),
        # The menu_line cue of sections.json before it was made unambiguous: 12 items took 9 s.
        (r'(\s*[^|.!?«»"]{1,30}\s*\|){2,}\s*[^|.!?«»"]{1,30}', "Accueil | " * 11 + "fin."),
    ],
)
def test_the_bound_catches_catastrophic_backtracking(pattern, text):
    # The check above must be able to fail: known exponential patterns do.
    compiled = re.compile(pattern)
    start = time.perf_counter()
    compiled.fullmatch(text)
    assert time.perf_counter() - start > BOUND_SECONDS
