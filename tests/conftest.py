"""Shared fixtures: one pipeline per test session (loading spaCy is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

import communique

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def nlp_pipeline() -> communique.Pipeline:
    return communique.Pipeline()
