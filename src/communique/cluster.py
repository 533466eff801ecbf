"""Extraction on a Dask cluster (extra `dask`): the model is loaded once per worker process.

    from dask.distributed import Client
    import dask.bag as db
    from communique import cluster

    client = Client("tcp://scheduler:8786")            # or LocalCluster() on one machine
    items = db.read_text("s3://bucket/archive/*.jsonl").map(json.loads)
    records = cluster.extract_bag(items).persist()      # dicts: record.model_dump(mode="json")
    frames = cluster.to_dask_frames(records)            # the tables of `communique.tables`
    frames["participants"].groupby("country_code").size().compute()

Workers need communique installed (with its French model) in the same version as the client.
Items are what `Pipeline.extract_many` takes: texts or mappings with `id`, `text`,
`published`, `url`. Each partition is extracted in order, in one worker, with the worker's own
pipeline, so the records equal those of a one-process run.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .records import CommuniqueRecord
from .tables import TABLES, record_rows

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

    from .pipeline import Pipeline

# One pipeline per worker process and pipeline settings: spaCy's model costs seconds and
# hundreds of MB to load, so it must never be loaded per partition or per task.
_PIPELINES: dict[str, Pipeline] = {}
_LOCK = threading.Lock()


def _require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("communique.cluster needs dask: pip install 'communique[dask]'") from None


def worker_pipeline(**pipeline_kwargs: Any) -> Pipeline:
    """The pipeline of this process for these settings, built on first use."""
    key = json.dumps(pipeline_kwargs, sort_keys=True, default=str)
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        with _LOCK:  # a Dask worker runs several task threads
            pipeline = _PIPELINES.get(key)
            if pipeline is None:
                from .pipeline import Pipeline

                pipeline = Pipeline(**pipeline_kwargs)
                _PIPELINES[key] = pipeline
    return pipeline


def extract_partition(
    items: Iterable[Any], pipeline_kwargs: dict[str, Any], batch_size: int
) -> list[dict[str, Any]]:
    """Records (JSON dicts) of one partition, in order, one per item."""
    pipeline = worker_pipeline(**pipeline_kwargs)
    return [
        record.model_dump(mode="json")
        for record in pipeline.extract_many(list(items), batch_size=batch_size)
    ]


def extract_bag(
    items: dask.bag.Bag, *, batch_size: int = 16, **pipeline_kwargs: Any
) -> dask.bag.Bag:
    """A bag of records (JSON dicts) from a bag of items; lazy, like every Dask bag.

    Args:
        items: texts or mappings with `id`, `text`, optional `published` and `url`.
        batch_size: documents per spaCy batch inside a partition.
        **pipeline_kwargs: passed to `Pipeline` on each worker (e.g. `models_dir`).
    """
    _require_dask()
    return items.map_partitions(extract_partition, pipeline_kwargs, batch_size)


def extract_frame(
    frame: dask.dataframe.DataFrame,
    *,
    text: str = "text",
    doc_id: str = "id",
    published: str | None = "published",
    url: str | None = "url",
    batch_size: int = 16,
    **pipeline_kwargs: Any,
) -> dask.bag.Bag:
    """A bag of records (JSON dicts) from a Dask DataFrame with one article per row.

    Columns named by `published` and `url` are used when present.
    """
    _require_dask()
    wanted = {"text": text, "id": doc_id}
    for key, column in (("published", published), ("url", url)):
        if column and column in frame.columns:
            wanted[key] = column

    def rows(part: Any) -> list[dict[str, Any]]:
        return [
            {key: _plain(row[column]) for key, column in wanted.items()}
            for _, row in part.iterrows()
        ]

    return extract_bag(_frame_items(frame, rows), batch_size=batch_size, **pipeline_kwargs)


def _frame_items(frame: dask.dataframe.DataFrame, rows: Any) -> dask.bag.Bag:
    """The rows of each DataFrame partition as item mappings, one bag partition each."""
    import dask.bag as db

    return db.from_delayed([_delayed_rows(part, rows) for part in frame.to_delayed()])


def _delayed_rows(part: Any, rows: Any) -> Any:
    import dask

    return dask.delayed(rows)(part)


def _plain(value: Any) -> Any:
    """A pandas cell as a plain Python value (NaN/NaT -> None, Timestamp -> date)."""
    try:
        import pandas as pd

        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, pd.Timestamp):
            return value.date()
    except (ImportError, TypeError, ValueError):
        pass
    return value


def table_rows(records: Iterable[dict[str, Any]], table: str) -> list[dict[str, Any]]:
    """The rows of one table of the layout for a partition of records (JSON dicts)."""
    out: list[dict[str, Any]] = []
    for data in records:
        record = CommuniqueRecord.model_validate(data)
        out.extend(record_rows(record)[table])  # a record without doc_id: ValueError
    return out


def to_dask_frames(records: dask.bag.Bag) -> dict[str, dask.dataframe.DataFrame]:
    """The tables of `communique.tables` as Dask DataFrames, from a bag of records.

    Each table is computed from the bag: `persist()` the bag first so that the extraction
    runs once, not once per table. Records must carry a doc_id (items with `id`).
    """
    _require_dask()
    import pandas as pd

    frames = {}
    for table, columns in TABLES.items():
        meta = pd.DataFrame({c.name: pd.Series(dtype="object") for c in columns})
        frames[table] = records.map_partitions(table_rows, table).to_dataframe(meta=meta)
    return frames
