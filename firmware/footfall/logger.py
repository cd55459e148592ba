"""Session logs on the board's flash, within a size budget: the oldest files go first.

Per session n, in one folder:
  nnnnn_ppp.evt   step events, footfall.gait.record's CSV (HEADER in part 000 only)
  nnnnn_ppp.raw   raw samples, footfall.rawlog blocks (only when raw logging is on)
  nnnnn.sum       the session summary, JSON, written once at the session's end
  notes.log       what went wrong (bus errors, overruns, a full flash): footfall.notes
Files are only ever appended to, in whole blocks (raw) or lines flushed once a second
(events), and a closed file is never written again: a power cut loses at most the last
block and every earlier file stays readable. Parts roll over at a fixed size so that the
budget can drop old data a part at a time, and a write that fails closes its part and is
tried once more in a new part; when the flash is full (ENOSPC, not another error) the oldest
file goes first, and the summary too is tried once more.
A part number is taken only once its file has its first bytes, so a gap in a session's
numbers is a removal, and the budget removes a session's parts of a kind oldest first: its
gaps start at part 000. A file whose removal fails stays counted and first in line (tried
again at the next write); the copies aside (.tmp) that a cut during a replace leaves are
deleted at start: `used` stays the size of the folder.
"""

import os

from micropython import const

from . import rawlog
from .gait.record import HEADER
from .notes import Notes

_EVT_PART = const(32768)
_RAW_PART = const(65536)
_MAX_FILES = const(200)
_ENOSPC = const(28)
_ENOENT = const(2)
_RESERVE = const(8192)  # bytes left free on the filesystem for everything else
_RAW, _EVT, _SUM = 0, 1, 2  # deletion order within a session
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


class Logger:
    def __init__(self, folder="logs", budget=262144, opener=open):
        self.folder = folder
        self.budget = budget
        self._open = opener
        self.used = 0  # bytes of every file in the folder
        self.session = 0  # the open session's number, or the last one
        self.recording = False  # a session is open
        self.errors = 0  # file operations that failed
        self.deleted = 0  # files removed to stay within the budget
        self.dropped = 0  # raw blocks or event lines lost to failed writes
        self.last_error = None
        self._closed = []  # (session, kind, part, size) of closed files, oldest first
        self._part = [None, None]  # open [file, part, bytes] for _RAW and _EVT
        self._next = [0, 0]  # the next part number of each
        self._block = None
        self._notes = Notes(folder, opener)
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
        # parts small enough that the budget holds several: old data goes a part at a time
        self._max = (
            min(_RAW_PART, max(self.budget // 8, 2 * rawlog.block_size(6))),
            min(_EVT_PART, max(self.budget // 16, 1024)),
        )
        return self

    def _size(self, name):
        try:
            return os.stat(self._path(name))[6]
        except OSError:
            return 0

    # ---- sessions -----------------------------------------------------------------------
    def open_session(self, rate_hz, axes, raw, gyro_offset=(0, 0, 0)):
        """Start session files (raw samples too if raw, their headers with the gyro offset
        the engine starts from); returns the session number."""
        self.close_session(None)
        self.session += 1
        self._replace("session.txt", str(self.session).encode())
        self.recording = True
        self._rate = rate_hz
        self._axes = axes
        self._offset = gyro_offset
        self._next[_RAW] = self._next[_EVT] = 0
        self._block = rawlog.RawBlock(axes, self._write_block) if raw else None
        self._part[_EVT] = self._new_part(_EVT)
        if raw:
            self._part[_RAW] = self._new_part(_RAW)
        return self.session

    def event(self, line):
        """Append one events-CSV line (without its newline)."""
        if self.recording and not self._write(_EVT, (line + "\n").encode(), self._max[_EVT]):
            self.dropped += 1

    def raw(self, times, samples, count):
        """Add a FIFO batch to the raw log (no allocation unless a block is written)."""
        if self._block is not None:
            self._block.add(times, samples, count)

    def flush(self):
        """Push the event lines to the flash (once a second)."""
        p = self._part[_EVT]
        if p is not None:
            try:
                p[0].flush()
            except OSError as e:
                self._failed(_EVT, e)

    def close_session(self, summary):
        """Write the last raw block, close the files, write the summary text (if any)."""
        if not self.recording:
            return
        if self._block is not None:
            self._block.emit()
            self._block = None
        self._close(_RAW)
        self._close(_EVT)
        self.recording = False
        if summary is None:
            return
        name = file_name(self.session, _SUM)
        data = summary.encode()
        self._room(len(data))
        ok = self._replace(name, data)
        if not ok and self._full and self._delete_oldest():
            # the summary says what the session was: on a full flash the oldest file makes room
            ok = self._replace(name, data)
        if ok:
            self._closed.append((self.session, _SUM, 0, len(data)))

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

    def note(self, text):
        """One line to notes.log (kept under 8 KB, the previous 8 KB in notes.old)."""
        try:
            self.used += self._notes.write(text)
        except OSError as e:
            self._error("notes.log", e)

    # ---- files --------------------------------------------------------------------------
    def _new_part(self, kind):
        """Open the next part file of kind and write its first bytes (CSV or raw header)."""
        part = self._next[kind]
        name = file_name(self.session, kind, part)
        if kind == _RAW:
            first = rawlog.header(self._rate, self._axes, self.session, part, self._offset)
        else:
            first = (HEADER + "\n").encode() if part == 0 else b""
        self._room(len(first))
        f = None
        try:
            f = self._open(self._path(name), "wb")
            f.write(first)
            f.flush()
        except OSError as e:
            self._error(name, e)
            try:  # nothing but a part of a header: not worth keeping
                if f is not None:
                    f.close()
                os.remove(self._path(name))
            except OSError:
                pass
            if self._full:
                self._delete_oldest()
            return None
        self.used += len(first)
        self._next[kind] = part + 1  # only now: a number is skipped only by a removal
        return [f, part, len(first)]

    def _write(self, kind, data, part_max, flush=False):
        # append to the open part (a new one past part_max); on failure once more
        for _ in range(2):
            p = self._part[kind]
            if p is not None and p[2] + len(data) > part_max:
                self._close(kind)
                p = None
            if p is None:
                p = self._part[kind] = self._new_part(kind)
                if p is None:
                    continue
            self._room(len(data))
            try:
                p[0].write(data)
                if flush:
                    p[0].flush()
            except OSError as e:
                self._failed(kind, e)
                continue
            p[2] += len(data)
            self.used += len(data)
            return True
        return False

    def _write_block(self, head, deltas, samples):
        # RawBlock's sink: one whole block, flushed (three buffers, nothing allocated)
        rest = len(deltas) + 2 * len(samples)
        self._room(len(head) + rest)
        if not self._write(_RAW, head, self._max[_RAW] - rest):
            self.dropped += 1
            return
        p = self._part[_RAW]
        try:
            p[0].write(deltas)
            p[0].write(samples)
            p[0].flush()
        except OSError as e:
            self._failed(_RAW, e)
            self.dropped += 1
            return
        p[2] += rest
        self.used += rest

    def _failed(self, kind, e):
        # a failed write: close its part (a torn block stays at the end of its own file)
        # and, if the flash is full, free the oldest file; the next write opens a new part
        p = self._part[kind]
        self._error(file_name(self.session, kind, p[1] if p else 0), e)
        self._close(kind)
        if self._full:
            self._delete_oldest()

    def _close(self, kind):
        p = self._part[kind]
        if p is None:
            return
        self._part[kind] = None
        name = file_name(self.session, kind, p[1])
        try:
            p[0].close()
        except OSError as e:
            self._error(name, e)
        size = self._size(name)  # what really reached the flash
        self.used += size - p[2]
        self._closed.append((self.session, kind, p[1], size))

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
