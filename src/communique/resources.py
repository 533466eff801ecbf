"""Rule and gazetteer files: where they live, how they are loaded and validated.

Each stage keeps its rules in one JSON file under `models/<lang>/` and describes the file's
shape with a pydantic model. A file that does not fit its model fails loudly with a
`RuleFileError` that names the file, the line and the key, so a curator can fix it.
"""

from __future__ import annotations

import json
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

logger = logging.getLogger(__name__)

MODELS_ENV = "COMMUNIQUE_MODELS_DIR"
"""Environment variable that overrides where the data folder is looked for."""

M = TypeVar("M", bound=BaseModel)


class RuleFileError(ValueError):
    """A rule or gazetteer file that is missing, not JSON, or not of the expected shape."""


class RuleModel(BaseModel):
    """Base of every rule-file schema: unknown keys are errors, `_comment` keys are notes."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def default_models_dir() -> Path:
    """The data folder: $COMMUNIQUE_MODELS_DIR, else the one in the wheel, else the repo's."""
    override = os.environ.get(MODELS_ENV)
    if override:
        return Path(override)
    packaged = Path(__file__).with_name("models")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "models"


def _strip_comments(value: Any) -> Any:
    """Drop `_comment` keys: JSON has no comments, so curators write them as keys."""
    if isinstance(value, dict):
        return {k: _strip_comments(v) for k, v in value.items() if not k.startswith("_comment")}
    if isinstance(value, list):
        return [_strip_comments(v) for v in value]
    return value


def load_rules(path: Path, schema: type[M]) -> M:
    """Load one JSON rule file and validate it against `schema`.

    Raises:
        RuleFileError: naming the file, line and key of the first problem.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read rule file ({exc.strerror})") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RuleFileError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    try:
        return schema.model_validate(_strip_comments(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc) or "<root>"
        line = _line_of(raw, loc)
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RuleFileError(f"{path}:{line}: key {key!r}: {err['msg']}{more}") from exc


def _line_of(raw: str, loc: tuple[Any, ...]) -> int:
    """Line number (1-based) of the value at `loc` in a JSON text, best effort."""
    try:
        pos = _JsonLocator(raw).find(loc)
    except (ValueError, IndexError):
        pos = 0
    return raw.count("\n", 0, pos) + 1


class _JsonLocator:
    """Walks a JSON text to the character offset of a value given by its path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()

    def _ws(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in " \t\r\n":
            i += 1
        return i

    def _skip(self, i: int) -> int:
        """Offset just past the value starting at `i`."""
        i = self._ws(i)
        _, end = self.decoder.raw_decode(self.text, i)
        return end

    def find(self, loc: tuple[Any, ...]) -> int:
        i = self._ws(0)
        for part in loc:
            ch = self.text[i]
            if ch == "{":
                i = self._ws(i + 1)
                while self.text[i] != "}":
                    key, i = self.decoder.raw_decode(self.text, i)
                    i = self._ws(self._ws(i) + 1)  # past ':'
                    if key == part:
                        break
                    i = self._ws(self._skip(i))
                    if self.text[i] == ",":
                        i = self._ws(i + 1)
                else:
                    return i
            elif ch == "[" and isinstance(part, int):
                i = self._ws(i + 1)
                for _ in range(part):
                    i = self._ws(self._skip(i))
                    if self.text[i] == ",":
                        i = self._ws(i + 1)
            else:
                return i
        return i


class Setting(RuleModel):
    """A named threshold with the reason for its value."""

    value: float | int | str | bool
    why: str


class Settings(RuleModel):
    """All tunable thresholds, by name (see `models/fr/settings.json`)."""

    settings: dict[str, Setting]

    def __getitem__(self, name: str) -> Any:
        return self.settings[name].value


@cache
def _cached(path: Path, schema: type[BaseModel]) -> BaseModel:
    logger.debug("loading %s", path)
    return load_rules(path, schema)


class Resources:
    """The data folder of one language, with cached, validated access to its files."""

    def __init__(self, models_dir: str | Path | None = None, lang: str = "fr") -> None:
        self.root = Path(models_dir) if models_dir else default_models_dir()
        self.lang = lang
        self.dir = self.root / lang
        if not self.dir.is_dir():
            raise RuleFileError(f"{self.dir}: data folder not found (set {MODELS_ENV}?)")
        self.settings: Settings = self.rules("settings", Settings)

    def path(self, name: str) -> Path:
        """Path of the data file `name` (without extension)."""
        return self.dir / f"{name}.json"

    def rules(self, name: str, schema: type[M]) -> M:
        """The validated content of data file `name`, loaded once per process."""
        return _cached(self.path(name).resolve(), schema)  # type: ignore[return-value]

    def setting(self, name: str) -> Any:
        """The value of a named threshold."""
        try:
            return self.settings[name]
        except KeyError:
            raise RuleFileError(f"{self.path('settings')}: missing setting {name!r}") from None
