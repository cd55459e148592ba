"""The log folder on the board's flash: its file names, and a size budget kept by deleting
the oldest files first.

Per session n:
  nnnnn_ppp.evt   step events, footfall.gait.record's CSV (HEADER in part 000 only)
  nnnnn_ppp.raw   raw samples, footfall.rawlog blocks (only when raw logging is on)
  nnnnn.sum       the session summary, JSON, written once at the session's end
  notes.log       what went wrong (bus errors, overruns, a full flash): footfall.notes
A gap in a session's part numbers is a removal (logger.py takes a number only once its file has
its first bytes), and the budget removes a session's parts of a kind oldest first, summaries
last. A file whose removal fails stays counted and first in line (tried again at the next
write); the copies aside (.tmp) that a cut during a replace leaves are deleted at start: `used`
stays the size of the folder. When the flash is full (ENOSPC, not another error) the oldest file
goes first.
"""

import os

from micropython import const

from . import rawlog

_MAX_FILES = const(200)
_ENOSPC = const(28)
_ENOENT = const(2)
_RESERVE = const(8192)  # bytes left free on the filesystem for everything else
_SUM = const(2)  # kinds of file, in their deletion order within a session: 0 raw, 1 evt
_EXT = ("raw", "evt", "sum")


def file_name(session, kind, part=0):
    if kind == _SUM:
        return "%05d.sum" % session
    return "%05d_%03d.%s" % (session, part, _EXT[kind])


def parse_name(name):
    """'00012_003.raw' -> (12, 0, 3); '00012.sum' -> (12, 2, 0); anything else -> None."""
    stem, dot, ext = name.partition(".")
    if not dot or ext not in _EXT:
        return None
    session, _, part = stem.partition("_")
    if not session.isdigit() or (part and not part.isdigit()) or (ext == "sum") == bool(part):
        return None
    return int(session), _EXT.index(ext), int(part or 0)


class LogFolder:
    def __init__(self, folder, budget, opener):
        self.folder = folder
        self.budget = budget
        self._open = opener
        self.used = 0  # bytes of every file in the folder
        self.session = 0  # the open session's number, or the last one
        self.errors = 0  # file operations that failed
        self.deleted = 0  # files removed to stay within the budget
        self.last_error = None
        self._closed = []  # (session, kind, part, size) of closed files, oldest first
        self._started = False
        self._full = False  # the last failed file operation found the flash full

    def _path(self, name):
        return self.folder + "/" + name

    # ---- start-up -----------------------------------------------------------------------
    def start(self):
        """Find the files already there and the next session number; make the folder."""
        if self._started:
            return self
        self._started = True
        try:
            os.mkdir(self.folder)
        except OSError:
            pass  # already there
        last = 0
        try:
            names = os.listdir(self.folder)
        except OSError as e:  # no flash to log to: the app still counts
            self._error("", e)
            names = ()
        for name in names:
            if name[:8] == "session.":
                # session.txt, and its copy aside: on FAT a cut between removing it and the
                # rename leaves only the copy (cut short, it holds a smaller number or none)
                try:  # the numbers go on after the files were pulled and removed
                    with self._open(self._path(name), "rb") as f:
                        last = max(last, int(f.read()))
                except (OSError, ValueError):
                    pass
            if name[-4:] == ".tmp" and self._remove(name):
                # a replace cut by a power loss: the file it replaces (if any) is whole;
                # never counted nor deleted later, it would take the budget's room for good
                continue
            size = self._size(name)
            self.used += size
            key = parse_name(name)
            if key is not None:
                self._closed.append((key[0], key[1], key[2], size))
                last = max(last, key[0])
        self._closed.sort()
        self.session = last
        try:
            st = os.statvfs(self.folder)
            room = self.used + st[0] * st[4] - _RESERVE
            if room < self.budget:
                self.budget = max(room, 4 * rawlog.block_size(6))
        except (OSError, AttributeError):
            pass
        return self

    def _size(self, name):
        try:
            return os.stat(self._path(name))[6]
        except OSError:
            return 0

    def _replace(self, name, data):
        # the whole file or nothing: written aside, then renamed (removed first for FAT)
        tmp = name + ".tmp"
        old = self._size(name) + self._size(tmp)
        ok = True
        try:
            with self._open(self._path(tmp), "wb") as f:
                f.write(data)
            try:
                os.rename(self._path(tmp), self._path(name))
            except OSError as e:
                try:
                    os.remove(self._path(name))
                except OSError:
                    # nothing to rename over: the rename's own error (a full flash) counts
                    raise e from None
                os.rename(self._path(tmp), self._path(name))
        except OSError as e:
            self._error(name, e)
            ok = False
        # a failure can leave the copy aside: counted until the next start deletes it
        self.used += self._size(name) + self._size(tmp) - old
        return ok

    def _room(self, need):
        # delete the oldest closed files until need fits in the budget
        while self.used + need > self.budget or len(self._closed) > _MAX_FILES:
            if not self._delete_oldest():
                return

    def _delete_oldest(self):
        if not self._closed:
            return False
        victim = self._closed[0]
        for c in self._closed:
            if c[1] != _SUM:  # summaries are tiny and kept longest
                victim = c
                break
        if not self._remove(file_name(victim[0], victim[1], victim[2])):
            return False  # still there and counted: kept first in line, tried at the next write
        self._closed.remove(victim)
        self.used -= victim[3]
        self.deleted += 1
        return True

    def _remove(self, name):
        # True when the file is gone (already gone counts: its bytes are free all the same)
        try:
            os.remove(self._path(name))
            return True
        except OSError as e:
            self._error(name, e)
            return e.errno == _ENOENT

    def _error(self, name, e):
        self.errors += 1
        self.last_error = "%s/%s: %s" % (self.folder, name, e)
        # only a full flash is helped by deleting: another error (a failing flash) keeps them
        self._full = e.errno == _ENOSPC
