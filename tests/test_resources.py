import json
from pathlib import Path

import pytest

from communique.resources import Resources, RuleFileError, RuleModel, load_rules


class Cues(RuleModel):
    version: int
    cues: list[dict[str, str]]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cues.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_and_comments_are_ignored(tmp_path):
    path = write(tmp_path, json.dumps({"_comment": "why", "version": 1, "cues": [{"a": "b"}]}))
    assert load_rules(path, Cues).cues == [{"a": "b"}]


def test_bad_value_names_file_line_and_key(tmp_path):
    text = '{\n  "version": 1,\n  "cues": [\n    {"a": "b"},\n    {"a": 3}\n  ]\n}\n'
    with pytest.raises(RuleFileError) as err:
        load_rules(write(tmp_path, text), Cues)
    message = str(err.value)
    assert str(tmp_path / "cues.json") in message
    assert ":5:" in message
    assert "cues.1.a" in message


def test_unknown_key_is_an_error(tmp_path):
    text = '{\n  "version": 1,\n  "cues": [],\n  "cuse": []\n}\n'
    with pytest.raises(RuleFileError, match=r":4: key 'cuse'"):
        load_rules(write(tmp_path, text), Cues)


def test_broken_json_names_its_line(tmp_path):
    with pytest.raises(RuleFileError, match=r"cues.json:3: not valid JSON"):
        load_rules(write(tmp_path, '{\n  "version": 1,\n  "cues": [,]\n}'), Cues)


def test_missing_data_folder_fails_loudly(tmp_path):
    with pytest.raises(RuleFileError, match="data folder not found"):
        Resources(tmp_path / "nowhere")


def test_every_shipped_rule_file_is_valid_json():
    for path in (Path(__file__).resolve().parents[1] / "models" / "fr").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_settings_have_a_reason():
    res = Resources()
    for name, setting in res.settings.settings.items():
        assert setting.why.strip(), name
