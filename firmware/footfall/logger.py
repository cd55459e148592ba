"""A session's logs on the board's flash: step events, raw samples, the summary, notes.

The files, their names and the size budget are logfolder.py's. Files are only ever appended
to, in whole blocks (raw) or lines flushed once a second (events), and a closed file is never
written again: a power cut loses at most the last block and every earlier file stays readable.
Parts roll over at a fixed size so that the budget can drop old data a part at a time, and a
write that fails closes its part and is tried once more in a new part; on a full flash the
oldest file goes first, and the summary too is tried once more. A part number is taken only
once its file has its first bytes, so a gap in a session's numbers is a removal.
"""

import os

from micropython import const

from . import rawlog
from .gait.record import HEADER
from .logfolder import LogFolder, file_name
from .notes import Notes

_RAW = const(0)  # kinds of file, as logfolder.py numbers them
_EVT = const(1)
_SUM = const(2)
_EVT_PART = const(32768)
_RAW_PART = const(65536)


class Logger(LogFolder):
    def __init__(self, folder="logs", budget=262144, opener=open):
        LogFolder.__init__(self, folder, budget, opener)
        self.recording = False  # a session is open
        self.dropped = 0  # raw blocks or event lines lost to failed writes
        self._part = [None, None]  # open [file, part, bytes] for _RAW and _EVT
        self._next = [0, 0]  # the next part number of each
        self._block = None
        self._notes = Notes(folder, opener)

    def start(self):
        """LogFolder.start, then the parts sized to the budget."""
        LogFolder.start(self)
        # parts small enough that the budget holds several: old data goes a part at a time
        self._max = (
            min(_RAW_PART, max(self.budget // 8, 2 * rawlog.block_size(6))),
            min(_EVT_PART, max(self.budget // 16, 1024)),
        )
        return self

    # ---- sessions -----------------------------------------------------------------------
    def open_session(self, rate_hz, axes, raw, start=(0, 0, 0, 0, 0, 0)):
        """Start session files (raw samples too if raw, their headers with what the engine
        starts from: its gyro offset and gravity, 6 ints); returns the session number."""
        self.close_session(None)
        self.session += 1
        self._replace("session.txt", str(self.session).encode())
        self.recording = True
        self._rate = rate_hz
        self._axes = axes
        self._start = start
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
            first = rawlog.header(self._rate, self._axes, self.session, part, self._start)
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
