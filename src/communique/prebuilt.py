"""A prebuilt compiled form of spaCy's French `token_match` regex, to cut the cold start.

spaCy's French tokenizer keeps one 1.4 MB regex of hyphenated and elided words; Python takes
several seconds to compile it, once when `spacy.lang.fr` is imported and, from `re`'s cache,
for the model's tokenizer: the largest part of the start-up of a process. The compiled form
(the `_sre` code `re` builds from the pattern) ships in the package as
`prebuilt/fr_token_match.bin`, built with `python -m communique.prebuilt`; `seed_regex_cache`
puts it in `re`'s cache so that `re.compile(pattern)` finds it ready.

Nothing depends on it for correctness: the file is used only by the Python version and `re`
engine that built it, for exactly the pattern it holds (the whole pattern is stored and is
the cache key); otherwise, or on any error, `re` compiles the pattern as usual.
"""

from __future__ import annotations

import array
import json
import logging
import re
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PREBUILT = Path(__file__).with_name("prebuilt") / "fr_token_match.bin"
_FORMAT = 1


def _engine() -> dict[str, Any]:
    """What a compiled form depends on: Python minor version and `re` engine code format."""
    import _sre
    from re import _compiler  # type: ignore[attr-defined]

    return {
        "format": _FORMAT,
        "python": list(sys.version_info[:2]),
        "magic": getattr(_compiler, "MAGIC", None),
        "codesize": _sre.CODESIZE,
    }


def build(pattern: str, path: Path = PREBUILT) -> None:
    """Compile `pattern` as `re` does and write its code next to it (a development step)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in parsed.state.groupdict.items():
        indexgroup[i] = name
    header = {
        **_engine(),
        "flags": parsed.state.flags,
        "groups": parsed.state.groups - 1,
        "groupindex": dict(parsed.state.groupdict),
        "indexgroup": indexgroup,
        "pattern_chars": len(pattern),
    }
    body = pattern.encode("utf-8") + b"\0" + array.array("I", code).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + zlib.compress(body, 9))


@cache
def _load(path: Path) -> tuple[str, re.Pattern[str]] | None:
    """The pattern and its compiled form from a prebuilt file, or None when unusable."""
    import _sre

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    first, _, packed = raw.partition(b"\n")
    header = json.loads(first)
    if any(header.get(k) != v for k, v in _engine().items()):
        logger.debug("%s: built for another Python or re engine; not used", path)
        return None
    text, _, code_bytes = zlib.decompress(packed).partition(b"\0")
    pattern = text.decode("utf-8")
    code = array.array("I")
    code.frombytes(code_bytes)
    compiled = _sre.compile(
        pattern,
        header["flags"],
        code.tolist(),
        header["groups"],
        header["groupindex"],
        tuple(header["indexgroup"]),
    )
    return pattern, compiled


def seed_regex_cache(path: Path = PREBUILT) -> bool:
    """Put the prebuilt compiled regex in `re`'s cache; True when it is there.

    Called before spaCy imports its French tokenizer data and before it loads the model's
    tokenizer: both compile the same pattern with `re.compile(pattern)`.
    """
    try:
        loaded = _load(path)
        if loaded is None:
            return False
        pattern, compiled = loaded
        cache_ = getattr(re, "_cache", None)
        if not isinstance(cache_, dict):
            return False
        cache_[(str, pattern, 0)] = compiled
        return re.compile(pattern) is compiled
    except Exception:  # an optimisation only: never a reason to fail
        logger.debug("prebuilt regex not used", exc_info=True)
        return False


def main() -> None:
    """Rebuild the prebuilt file from the installed spaCy (`python -m communique.prebuilt`)."""
    import spacy.lang.fr.tokenizer_exceptions as fr_exceptions

    pattern = fr_exceptions.TOKEN_MATCH.__self__.pattern
    build(pattern)
    _load.cache_clear()
    print(f"wrote {PREBUILT} ({PREBUILT.stat().st_size:,} bytes); usable: {seed_regex_cache()}")


if __name__ == "__main__":
    main()
