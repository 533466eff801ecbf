"""Extraction over several processes, records in input order, memory bounded.

Each worker process has its own `Pipeline`: forked from the caller's (`extract_many` on Linux
from a single-threaded process: ready at once, models shared copy-on-write), else built once
in a spawned interpreter (a few seconds). It takes chunks of already coerced items and sends
back `record.model_dump(mode="json")` dicts; the parent re-validates them and yields them in
input order. `Pipeline.extract_many(n_process=N)` makes the calling process
one of the N: it works on chunks no worker has started yet whenever the next record in order
is not ready (while the workers load their models, and at the end of the input). A bounded
number of chunks is in flight, so the input iterator is consumed lazily and memory does not
grow with its length.

A worker that dies (segfault, out of memory) breaks the pool: the chunks in flight are rerun
one document at a time in a fresh pool, and a document that kills a worker again gets an
error record, so the batch goes on.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from .records import CommuniqueRecord
from .resources import Resources

if TYPE_CHECKING:
    from .pipeline import Item, Pipeline

logger = logging.getLogger(__name__)

START_METHOD = "spawn"
"""How workers start by default: a fresh interpreter that loads its own models."""

_inherited: Pipeline | None = None
"""The caller's pipeline while a forked pool starts: a forked worker uses it as is."""

Chunk = list[tuple["Item", list[str]]]


class WorkerError(RuntimeError):
    """Worker processes cannot start (not a problem of one document): the batch stops."""


_worker_pipeline: Pipeline | None = None
_worker_batch_size = 16


def _watch_parent(parent: int, every: float) -> None:
    """Exit the worker when its parent is gone (e.g. killed with SIGKILL): no orphans."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def _init_worker(init_kwargs: dict[str, Any], batch_size: int, parent: int, every: float) -> None:
    """Build the worker's pipeline once; Ctrl-C is the parent's business."""
    global _worker_pipeline, _worker_batch_size
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent, every), daemon=True).start()
    if _inherited is not None:  # forked from a process that had its pipeline loaded
        _worker_pipeline = _inherited
    else:
        from .pipeline import Pipeline

        _worker_pipeline = Pipeline(**init_kwargs)
    _worker_batch_size = batch_size


def _work(chunk: Chunk) -> list[dict[str, Any]]:
    """Extract one chunk in a worker; plain dicts travel cheaply between processes."""
    assert _worker_pipeline is not None, "worker not initialised"
    records = _worker_pipeline._extract_chunk(chunk, _worker_batch_size)
    return [record.model_dump(mode="json") for record in records]


def init_kwargs_of(pipeline: Pipeline) -> dict[str, Any]:
    """The arguments that rebuild `pipeline` in another process."""
    model = getattr(pipeline, "model", None)
    if not isinstance(model, str):
        meta = pipeline.nlp.meta
        model = f"{meta['lang']}_{meta['name']}"
    return {"model": model, "models_dir": str(pipeline.resources.root)}


def can_fork(setting: str) -> bool:
    """Whether workers may be forked from this process (setting `worker_start`).

    Forking shares the caller's loaded models, so a worker starts at once instead of loading
    them for seconds. It is safe only where `fork` is the platform's own way (Linux) and while
    this process runs a single thread: a lock held by another thread at the fork (a notebook
    kernel's, a progress bar's) would stay held in the child forever.
    """
    if setting == "spawn":
        return False
    return sys.platform.startswith("linux") and threading.active_count() == 1


class _Pool:
    """A process pool that can be rebuilt after a worker died."""

    def __init__(
        self,
        init_kwargs: dict[str, Any],
        resources: Resources,
        n_process: int,
        batch_size: int,
        *,
        inherit: Pipeline | None = None,
    ) -> None:
        self.args = (
            init_kwargs,
            batch_size,
            os.getpid(),
            float(resources.setting("worker_watchdog_seconds")),
        )
        self.n_process = n_process
        self.inherit = inherit
        self.start_setting = str(resources.setting("worker_start"))
        self.shutdown_seconds = float(resources.setting("worker_shutdown_seconds"))
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        global _inherited
        fork = self.inherit is not None and can_fork(self.start_setting)
        executor = ProcessPoolExecutor(
            max_workers=self.n_process,
            mp_context=multiprocessing.get_context("fork" if fork else START_METHOD),
            initializer=_init_worker,
            initargs=self.args,
        )
        if fork:
            # A fork context starts every worker on the first submit, before the executor's
            # own thread: do it now, with the pipeline to inherit in place.
            _inherited = self.inherit
            try:
                executor.submit(_work, []).result()
            finally:
                _inherited = None
        return executor

    def submit(self, chunk: Chunk) -> Future[list[dict[str, Any]]]:
        """The chunk's future; on a broken pool, one that fails like the others in flight."""
        try:
            return self.executor.submit(_work, chunk)
        except BrokenProcessPool as exc:
            failed: Future[list[dict[str, Any]]] = Future()
            failed.set_exception(exc)
            return failed

    def restart(self) -> None:
        """A fresh pool, checked: workers that cannot even start are fatal, not a document's fault.

        Raises:
            WorkerError: when a new worker dies before it can take a document.
        """
        self.close()
        self.executor = self._new()
        try:
            self.submit([]).result()  # runs the initializer: loads the models
        except BrokenProcessPool:
            self.close()
            raise WorkerError(
                "worker processes die on start-up (see their stderr); a script calling "
                "extract_many(n_process > 1) must do so under `if __name__ == '__main__':`"
            ) from None

    def close(self) -> None:
        executor = self.executor
        manager = getattr(executor, "_executor_manager_thread", None)
        executor.shutdown(wait=False, cancel_futures=True)
        # Idle workers exit on the shutdown sentinel; one busy on a chunk nobody wants any
        # more would delay the interpreter's exit, so stop it now.
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            if process.is_alive():
                process.terminate()
        # With the workers gone the executor's thread ends: wait for it, so that this process
        # is single-threaded again and may fork the workers of the next call (`can_fork`).
        if manager is not None:
            manager.join(self.shutdown_seconds)


def _crash_record(item: Item, warnings: list[str], message: str) -> dict[str, Any]:
    record = CommuniqueRecord(
        doc_id=item.doc_id, url=item.url, warnings=[*warnings, f"internal error: {message}"]
    )
    return record.model_dump(mode="json")


def _isolate(pool: _Pool, chunk: Chunk) -> list[dict[str, Any]]:
    """Rerun a chunk one document at a time after a worker died, to find the culprit."""
    out: list[dict[str, Any]] = []
    for item, warnings in chunk:
        try:
            out.extend(pool.submit([(item, warnings)]).result())
        except BrokenProcessPool:
            logger.error("a worker process died on doc %s", item.doc_id)
            out.append(_crash_record(item, warnings, "the worker process died on this document"))
            pool.restart()
    return out


class _Slot:
    """One chunk in flight: sent to the workers (`future`) or done here (`records`)."""

    __slots__ = ("chunk", "future", "records")

    def __init__(self, chunk: Chunk, future: Future[list[dict[str, Any]]] | None) -> None:
        self.chunk = chunk
        self.future = future
        self.records: list[CommuniqueRecord] | None = None


def _from_worker(chunk: Chunk, dicts: list[dict[str, Any]]) -> list[CommuniqueRecord]:
    """Records rebuilt from a worker's dicts, with the source text the worker did not send."""
    records = [CommuniqueRecord.model_validate(data) for data in dicts]
    if len(records) == len(chunk):
        for record, (item, _) in zip(records, chunk, strict=True):
            if item.error is None:
                record._source_text = item.text
    return records


def extract_in_workers(
    items: Iterable[str | Item | Mapping[str, Any]],
    *,
    n_process: int,
    batch_size: int = 16,
    model: str | None = None,
    models_dir: str | None = None,
) -> Iterator[CommuniqueRecord]:
    """`Pipeline.extract_many(items, n_process=...)` without loading the models in this process.

    For batch jobs whose parent only reads input and writes output: only the workers load
    spaCy. The records are those of `Pipeline(model=..., models_dir=...).extract_many`.
    """
    from .pipeline import DEFAULT_MODEL, _coerce_item

    coerced = (_coerce_item(item) for item in items)
    init_kwargs = {"model": model or DEFAULT_MODEL, "models_dir": models_dir}
    yield from extract_parallel(
        init_kwargs,
        Resources(models_dir),
        coerced,
        n_process=n_process,
        batch_size=batch_size,
    )


def extract_parallel(
    init_kwargs: dict[str, Any],
    resources: Resources,
    items: Iterable[tuple[Item, list[str]]],
    *,
    n_process: int,
    batch_size: int,
    local: Pipeline | None = None,
) -> Iterator[CommuniqueRecord]:
    """Records of coerced `items` extracted by `n_process` processes, in input order.

    With `local`, this process is one of the `n_process`: it starts `n_process - 1` workers and,
    whenever the next record in order is not ready, takes back a chunk no worker has started and
    extracts it itself. So it works while the workers load their models, and at the end of the
    input it does not wait idle for chunks still queued. Without `local`, all the work goes to
    `n_process` workers and a document that crashes the interpreter costs only itself.

    Args:
        init_kwargs: the `Pipeline` arguments each worker builds its pipeline with.
        resources: the data folder (for the settings).
        items: `(Item, warnings)` pairs from `pipeline._coerce_item`.
        n_process: processes that extract, this one included when `local` is given.
        batch_size: at most this many items per chunk (and per spaCy batch).
        local: this process's loaded pipeline, to take part in the work.
    """
    workers = n_process - 1 if local is not None else n_process
    if workers < 1:
        raise ValueError(f"n_process must be at least 2 here, got {n_process}")
    chunk_size = max(1, min(batch_size, int(resources.setting("parallel_chunk_docs"))))
    per_worker = int(resources.setting("batch_chunks_in_flight_per_worker"))
    window = workers * per_worker
    if local is not None:
        # The executor holds a worker's running chunk and `workers + 1` more in its call queue,
        # beyond reach; the caller's share must lie past those to be taken back.
        window += workers + 1 + int(resources.setting("parallel_caller_chunks"))
    iterator = iter(items)
    chunks = iter(lambda: list(itertools.islice(iterator, chunk_size)), [])
    pool = _Pool(init_kwargs, resources, workers, chunk_size, inherit=local)
    pending: deque[_Slot] = deque()

    # Done once a worker has loaded its models. Until then chunks are not sent: this process
    # extracts them in order, so its first records come at once, not after the workers' start.
    ready = pool.submit([]) if local is not None else None

    def fill() -> None:
        while len(pending) < window and (chunk := next(chunks, None)) is not None:
            send = ready is None or ready.done()
            pending.append(_Slot(chunk, pool.submit(chunk) if send else None))

    def take_back() -> bool:
        """Extract here the first chunk no worker has started; False when there is none."""
        assert local is not None
        for slot in pending:
            if slot.records is None and (slot.future is None or slot.future.cancel()):
                slot.records = local._extract_chunk(slot.chunk, chunk_size)
                return True
        return False

    def collect(slot: _Slot) -> list[CommuniqueRecord]:
        if slot.records is not None:
            return slot.records
        if slot.future is None:  # never sent (only with `local`, which takes those first)
            assert local is not None
            return local._extract_chunk(slot.chunk, chunk_size)
        try:
            return _from_worker(slot.chunk, slot.future.result())
        except BrokenProcessPool:
            logger.error("a worker process died; rerunning its documents one by one")
            pool.restart()
            records = _from_worker(slot.chunk, _isolate(pool, slot.chunk))
            for other in pending:  # the chunks lost with the old pool go to the new one
                lost = other.future
                if other is slot or other.records is not None or lost is None:
                    continue
                if lost.done() and not lost.cancelled() and lost.exception() is None:
                    continue
                other.future = pool.submit(other.chunk)
            return records

    try:
        fill()
        while pending:
            head = pending[0]
            done = head.records is not None or (head.future is not None and head.future.done())
            if not done and local is not None and take_back():
                continue
            records = collect(head)
            pending.popleft()
            fill()
            yield from records
    finally:
        pool.close()
