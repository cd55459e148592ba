"""notes.log: one line per problem or event, for whoever pulls the logs. Kept small: past
8 KB it becomes notes.old (replacing the one before) and a new notes.log starts."""

import os

from micropython import const

_NOTES_MAX = const(8192)


def _stat(path):
    # the file's size, 0 if there is none
    try:
        return os.stat(path)[6]
    except OSError:
        return 0


class Notes:
    def __init__(self, folder, opener=open):
        self.folder = folder
        self._open = opener
        self._f = None
        self._size = 0

    def write(self, text):
        """Append a line; returns how many bytes the folder grew by (OSError if it failed)."""
        log = self.folder + "/notes.log"
        try:
            if self._f is None:
                self._size = _stat(log)
                self._f = self._open(log, "ab")
            data = (text + "\n").encode()
            self._f.write(data)
            self._f.flush()
        except OSError:
            f = self._f
            self._f = None
            if f is not None:
                try:  # a file dropped unclosed would hold its handle (and flash) till reboot
                    f.close()
                except OSError:
                    pass
            raise
        self._size += len(data)
        if self._size < _NOTES_MAX:
            return len(data)
        self._f.close()
        self._f = None
        old = self.folder + "/notes.old"
        size = _stat(old)
        try:
            os.remove(old)
        except OSError:
            pass
        os.rename(log, old)
        return len(data) - size
