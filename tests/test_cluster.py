"""Extraction on a Dask cluster of two worker processes equals a one-process run."""

from __future__ import annotations

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from communique import cluster  # noqa: E402

ARTICLES = [
    {
        "id": "a1",
        "published": "2025-03-12",
        "text": "Le Niger et le Tchad resserrent leurs liens\n\nLe ministre nigérien des Affaires "
        "étrangères, Bakary Sangaré, a reçu mardi à Niamey son homologue tchadien Abderaman "
        "Koulamallah.",
    },
    {
        "id": "a2",
        "published": "2025-06-03",
        "text": "Visite officielle à Dakar\n\nLe président sénégalais a reçu lundi à Dakar le "
        "Premier ministre gambien, Mamadou Tangara. Les deux pays se sont engagés à "
        "construire un nouveau pont sur le fleuve.",
    },
    {"id": "a3", "text": ""},
    {
        "id": "a4",
        "text": "Entretiens à Lomé\n\nLe chef de la diplomatie togolaise Robert Dussey s'est "
        "entretenu jeudi à Lomé avec l'ambassadeur de France, Marc Fonbaustier.",
    },
]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        Client(local) as c,
    ):
        yield c


def test_bag_on_two_workers_equals_one_process(client, nlp_pipeline) -> None:
    bag = db.from_sequence(ARTICLES, npartitions=2)
    got = cluster.extract_bag(bag).compute()
    expected = [r.model_dump(mode="json") for r in nlp_pipeline.extract_many(ARTICLES)]
    assert got == expected
    # both workers did some of the work, each with its own model
    assert len(client.scheduler_info()["workers"]) == 2


def test_frames_from_a_dataframe(client) -> None:
    frame = dd.from_pandas(pd.DataFrame(ARTICLES), npartitions=2)
    records = cluster.extract_frame(frame).persist()
    tables = cluster.to_dask_frames(records)
    documents = tables["documents"].compute()
    assert sorted(documents["doc_id"]) == ["a1", "a2", "a3", "a4"]
    assert set(documents["status"]) == {"ok", "error"}  # the empty text is an error row
    people = tables["participants"].compute()
    assert "Bakary Sangaré" in set(people["name"])
    assert set(people["doc_id"]) <= {"a1", "a2", "a4"}
