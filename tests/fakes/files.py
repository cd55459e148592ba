"""An open() for tests whose files refuse writes when told to, as a full flash does."""

import errno


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
