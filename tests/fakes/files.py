"""open()s for tests: files that refuse writes when told to, as a full flash does (Opener,
FullFlash), and a flash whose power goes at a flush (CutFlash); the byte count of a folder,
and FIFO batches for a logger."""

import errno
import os
from array import array


class Opener:
    """Call like open(path, mode). A write raises OSError(error), ENOSPC unless told (EIO: a
    failing flash rather than a full one), when refuse(path, data) says so; everything else
    goes to the real file."""

    def __init__(self, refuse, error=errno.ENOSPC):
        self.refuse = refuse
        self.error = error
        self.failures = 0

    def __call__(self, path, mode):
        return _File(self, path, open(path, mode))


class FullFlash(Opener):
    """open() for a flash of `size` bytes: writes past it raise ENOSPC; removing files frees
    their bytes (the logger's own accounting is not used)."""

    def __init__(self, size):
        super().__init__(self._over)
        self.size = size

    def used(self, folder):
        return sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))

    def _over(self, path, data):
        return self.used(os.path.dirname(path)) + len(data) > self.size


class _File:
    def __init__(self, opener, path, f):
        self._opener = opener
        self._path = path
        self._f = f

    def write(self, data):
        if self._opener.refuse(self._path, data):
            self._opener.failures += 1
            e = self._opener.error
            raise OSError(e, "no space left on the flash" if e == errno.ENOSPC else "write failed")
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


class PowerCut(BaseException):
    """The board loses its power: no OSError, so nothing in the firmware catches it."""


class CutFlash:
    """open() for a flash that holds only what was flushed or closed: written bytes wait in RAM
    until then, as in a file system's cache, and opening a file for writing makes it (empty).
    The power goes at the flush or close for which cut(name, pending) returns a number: that
    many of the pending bytes still reach the flash (0 on littlefs, whose commits are whole;
    on FAT a flush cut half-way can write part of them). Then PowerCut is raised and no byte
    more reaches any file."""

    def __init__(self, cut):
        self.cut = cut
        self.dead = False
        self.files = []

    def __call__(self, path, mode):
        if self.dead:
            raise PowerCut()
        f = _CutFile(self, path, mode)
        self.files.append(f)
        return f

    def power_off(self):
        self.dead = True
        for f in self.files:
            f.f.close()  # what waited in RAM is gone
        raise PowerCut()


class _CutFile:
    def __init__(self, flash, path, mode):
        self.flash = flash
        self.name = os.path.basename(path)
        self.f = open(path, mode, buffering=0)
        self.pending = b""

    def write(self, data):
        if self.flash.dead:
            raise PowerCut()
        self.pending += bytes(data)
        return len(data)

    def read(self, *args):
        return self.f.read(*args)

    def flush(self):
        if self.flash.dead:
            raise PowerCut()
        if not self.pending:  # nothing to write (a file read, or flushed already)
            return
        keep = self.flash.cut(self.name, self.pending)
        if keep is not None:
            self.f.write(self.pending[:keep])
            self.flash.power_off()
        self.f.write(self.pending)
        self.pending = b""

    def close(self):
        if not self.f.closed:
            self.flush()
            self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def on_disk(folder):
    return sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))


def batches(n, size=20):
    """n samples at 208 Hz in FIFO batches: (times, samples, count)."""
    times = [k * 1000 // 208 for k in range(n)]
    values = [(k % 500) - 250 + 1000 * (a == 2) for k in range(n) for a in range(6)]
    for i in range(0, n, size):
        c = min(size, n - i)
        yield array("i", times[i : i + c]), array("h", values[6 * i : 6 * (i + c)]), c
