"""The file cache that holds whole public pages when there is no Redis (kraeftplan.pagecache).

Django's FileBasedCache compresses every value with zlib. The stored pages are gzip-compressed
already, so that costs time on every read and saves nothing: this one stores the pickled value
as it is. Everything else (expiry, atomic writes by rename, culling) is Django's (django-stubs
do not declare its private helpers, hence the type: ignore comments)."""

import pickle
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class UncompressedFileCache(FileBasedCache):
    # Django culls on every write: it lists the whole directory, which costs ~20 ms with
    # 20.000 stored pages (a public change leaves the old version's pages behind). Once a minute
    # per process is enough to keep the store near its size.
    CULL_EVERY_SECONDS = 60.0
    _last_cull = float("-inf")

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._last_cull < self.CULL_EVERY_SECONDS:
            return
        self._last_cull = now
        super()._cull()  # type: ignore[misc]

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            with open(self._key_to_file(key, version), "rb") as file:  # type: ignore[attr-defined]
                if not self._is_expired(file):  # type: ignore[attr-defined]
                    return pickle.load(file)
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            with open(self._key_to_file(key, version), "r+b") as file:  # type: ignore[attr-defined]
                locks.lock(file, locks.LOCK_EX)
                try:
                    if self._is_expired(file):  # type: ignore[attr-defined]
                        return False
                    value = pickle.load(file)
                    file.seek(0)
                    self._write_content(file, timeout, value)
                    file.truncate()
                    return True
                finally:
                    locks.unlock(file)
        except FileNotFoundError:
            return False
