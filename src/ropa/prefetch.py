"""Run an iterator a little ahead in a background thread.

Reading an export (pyarrow's CSV and Parquet readers, the loader's date parsing) and
checking the previous batch are independent, and pyarrow, numpy and most pandas kernels
release the GIL: reading one batch ahead lets the two overlap on a second core. At most
``depth`` items wait in the queue, plus the one being produced, so memory stays bounded.
Exceptions raised while producing are raised again where the item would have been
consumed, in order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_END = object()


class Prefetch(Generic[T]):
    """Iterate ``items`` in a daemon thread from construction on, ``depth`` items ahead."""

    def __init__(self, items: Iterable[T], depth: int = 1) -> None:
        self._queue: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(items,), daemon=True)
        self._thread.start()

    def _put(self, entry: tuple[bool, object]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, items: Iterable[T]) -> None:
        try:
            for item in items:
                if not self._put((True, item)):
                    return
            self._put((False, _END))
        except BaseException as exc:  # handed to the consumer, raised there
            self._put((False, exc))

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                ok, item = self._queue.get()
                if ok:
                    yield item  # type: ignore[misc]
                elif item is _END:
                    return
                else:
                    assert isinstance(item, BaseException)
                    raise item
        finally:
            self.close()

    def close(self) -> None:
        """Stop producing (the thread ends at its next item) and drop what waits."""
        self._stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join()
