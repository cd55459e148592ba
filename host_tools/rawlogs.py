"""A board's log folder (footfall.logger) into traces, events and summaries on the laptop.

`convert(folder, out, board)` turns every session of a copied logs/ folder into
NAME_nnnnn.csv (footfall trace v1 from the raw samples), NAME_nnnnn.events.csv (the board's
events, byte for byte) and NAME_nnnnn.json (the summary), and says what is missing or cut:
see host_tools/pull.py, which copies the folder off a board and calls it.
"""

import json
import os
import struct

import numpy as np

from . import ROOT  # noqa: F401  (puts firmware/ on sys.path)
from .outfiles import atomic_write
from .trace import format_gyro_offset, write_trace

_OLD_HEADERS = {1: 16, 2: 24}  # bytes of the older raw log headers, by version


class RawLogError(ValueError):
    pass


def decode_raw(data, name="raw log"):
    """One raw log file (footfall.rawlog) -> (header dict, t_ms, samples (n, axes), problems).

    A block cut short at the end (power cut) is left out and named in problems."""
    from footfall import rawlog

    short = header_cut(data)
    if short:
        raise RawLogError(
            "%s: an empty raw part (%d of %d header bytes)" % (name, len(data), len(data) + short)
        )
    if data[:5] != rawlog.MAGIC:
        raise RawLogError("%s: not a footfall raw log (no FFRAW header)" % name)
    version, rate, axes, per_block, session, part = struct.unpack_from("<BHBHHH", data, 5)
    if not 1 <= version <= rawlog.VERSION or axes not in (3, 6) or not per_block or not rate:
        raise RawLogError(
            "%s: raw log version %d at %d Hz with %d axes, %d samples a block: expected "
            "version 1 to %d, a rate above 0, 3 or 6 axes"
            % (name, version, rate, axes, per_block, rawlog.VERSION)
        )
    pos = _OLD_HEADERS.get(version, rawlog.HEADER_SIZE)
    # version 1 has no gyro offset, versions 1 and 2 no gravity: their sessions' engines
    # started from none
    offset = (0, 0, 0) if version == 1 else struct.unpack_from("<3h", data, 16)
    gravity = (0, 0, 0) if version <= 2 else struct.unpack_from("<3h", data, 22)
    head = {
        "rate_hz": rate,
        "axes": axes,
        "session": session,
        "part": part,
        "gyro_offset": tuple(offset),
        "gravity_mg": tuple(gravity),
    }
    size = rawlog.block_size(axes, per_block)
    times, samples, problems = [], [], []
    while pos < len(data):
        where = "%s at byte %d" % (name, pos)
        if len(data) - pos < size:
            problems.append(
                "%s: last block cut short (%d of %d bytes)" % (where, len(data) - pos, size)
            )
            break
        magic, count, t0 = struct.unpack_from("<2sHi", data, pos)
        if magic != rawlog.BLOCK_MAGIC or not 1 <= count <= per_block:
            problems.append(
                "%s: not a block (magic %r, count %d); rest skipped" % (where, magic, count)
            )
            break
        deltas = np.frombuffer(data, np.uint8, count, pos + rawlog.BLOCK_HEAD).astype(np.int64)
        deltas[0] = 0
        times.append(t0 + np.cumsum(deltas))
        values = np.frombuffer(data, "<i2", count * axes, pos + rawlog.BLOCK_HEAD + per_block)
        samples.append(values.reshape(count, axes))
        pos += size
    t = np.concatenate(times) if times else np.zeros(0, np.int64)
    s = np.concatenate(samples) if samples else np.zeros((0, axes), np.int16)
    return head, t, s, problems


def header_cut(data):
    """How many bytes a raw part lacks of its header when it ends inside it (0 if it does not,
    or is no raw log at all): the logger writes the header first, so such a part is empty."""
    from footfall import rawlog

    if data[:5] != rawlog.MAGIC[: len(data)]:
        return 0
    need = _OLD_HEADERS.get(data[5] if len(data) > 5 else 0, rawlog.HEADER_SIZE)
    return max(need - len(data), 0)


def group(names):
    """{session: {"raw": [(part, name)], "evt": [...], "sum": name or None}} from file names."""
    from footfall.logfolder import parse_name

    sessions = {}
    for name in names:
        key = parse_name(name)
        if key is None:
            continue
        n, kind, part = key
        s = sessions.setdefault(n, {"raw": [], "evt": [], "sum": None})
        if kind == 2:
            s["sum"] = name
        else:
            s[("raw", "evt")[kind]].append((part, name))
    for s in sessions.values():
        s["raw"].sort()
        s["evt"].sort()
    return sessions


def convert(folder, out, board="board"):
    """Turn the log files in folder (as pulled) into traces, events and summaries in out.
    Returns (written paths, problems)."""
    from footfall.gait.record import HEADER

    written, problems = [], []
    os.makedirs(out, exist_ok=True)
    for n, s in sorted(group(os.listdir(folder)).items()):
        stem = os.path.join(out, "%s_%05d" % (board, n))
        problems += _missing(n, s)
        if s["evt"]:
            text, cut, bad = _events_text(folder, s["evt"], HEADER)
            problems += cut
            if bad:
                problems.append(bad)
            else:
                # the header is in part 000 only, which the budget may have removed, or a
                # power cut may have left without it (dropped above as a cut line)
                if not text.startswith(HEADER + "\n"):
                    text = HEADER + "\n" + text
                atomic_write(stem + ".events.csv", text)
                written.append(stem + ".events.csv")
        if s["raw"]:
            path, more = _trace(folder, s["raw"], stem + ".csv", n, board, s["sum"] is None)
            problems += more
            if path:
                written.append(path)
        if s["sum"]:
            # a power cut while the summary was written leaves it cut short: said, not fatal,
            # so the sessions after it are still converted
            try:
                summary = json.loads(_read(folder, s["sum"]))
            except ValueError as e:
                problems.append("%s: not a JSON summary (%s); skipped" % (s["sum"], e))
            else:
                text = json.dumps(summary, indent=1, sort_keys=True) + "\n"
                atomic_write(stem + ".json", text)
                written.append(stem + ".json")
        else:
            problems.append("session %d: no summary (still open, or the power was cut)" % n)
    return written, problems


def _missing(n, s):
    """What is said of a session's part numbers missing below its last part of each kind.

    The logger takes a number only once the part has its first bytes, and the budget removes
    a session's parts of a kind oldest first: its gaps come before the first part there. A
    gap after it is something else, worded to be true of each: firmware from before that rule
    skipped the number of a part whose first write failed, and left a file whose removal
    failed while it removed newer ones; or a file was removed by hand."""
    oldest, between = [], []
    for kind in ("evt", "raw"):
        have = [p for p, _ in s[kind]]
        for p in range(max(have, default=-1)):
            if p not in have:
                (oldest if p < have[0] else between).append("%s %03d" % (kind, p))
    said = []
    if oldest:
        said.append("session %d: parts %s were removed (flash budget)" % (n, ", ".join(oldest)))
    if between:
        said.append(
            "session %d: parts %s are missing after the first part there: never written (a "
            "write failed as the part began, see notes.log) or removed out of order (the flash "
            "budget removes the oldest first)" % (n, ", ".join(between))
        )
    return said


def _events_text(folder, parts, header):
    """The event parts joined as text, and what is wrong: (text, problems, None), or
    (None, problems, why nothing can be written).

    A part's last line that is not a whole row (no line end, or not as many cells as the
    header) is a write cut short: on FAT a flush cut half-way by a power loss, or a line the
    full flash took only part of (its part closed, the line written again in the next). It is
    dropped and said: copied, it would make the events CSV unreadable from there on. A line
    without its end may hold any bytes (flash never written); other bytes must be text."""
    texts, problems = [], []
    cells = header.count(",") + 1
    for _, name in parts:
        data = _read(folder, name)
        end = data.rfind(b"\n") + 1
        if end < len(data):
            line = data.count(b"\n") + 1
            _dropped(problems, name, line, "%d bytes without a line end" % (len(data) - end))
            data = data[:end]
        try:
            text = data.decode()
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            why = "not text (byte 0x%02x)" % data[e.start]
            return None, problems, "%s:%d: %s; events not written" % (name, line, why)
        start = text.rfind("\n", 0, len(text) - 1) + 1  # the last line, with its line end
        if text and text.count(",", start) + 1 != cells:
            why = "%d of %d cells" % (text.count(",", start) + 1, cells)
            _dropped(problems, name, text.count("\n", 0, start) + 1, why)
            text = text[:start]
        texts.append(text)
    return "".join(texts), problems, None


def _dropped(problems, name, line, why):
    problems.append(
        "%s:%d: last line is not a whole row (%s): a write cut short (power loss or full "
        "flash); dropped" % (name, line, why)
    )


def _read(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def _trace(folder, parts, path, session, board, open_ended):
    problems, ts, ss, head = [], [], [], None
    for i, (_, name) in enumerate(parts):
        data = _read(folder, name)
        short = header_cut(data)
        if short and open_ended and i == len(parts) - 1:
            # the logger writes a part's header and flushes it before any block: a session
            # that never ended whose last part ends in its header lost its power right there
            problems.append(
                "%s: an empty raw part (%d of %d header bytes), cut by a power loss as it was "
                "started; nothing lost beyond it (at most the block meant for it)"
                % (name, len(data), len(data) + short)
            )
            continue
        try:
            head, t, s, more = decode_raw(data, name)
        except RawLogError as e:
            problems.append(str(e))
            continue
        problems += more
        ts.append(t)
        ss.append(s)
    if head is None or not sum(len(t) for t in ts):
        return None, problems
    t = np.concatenate(ts)
    s = np.concatenate(ss).astype(np.float64)
    if np.any(np.diff(t) <= 0):
        problems.append("session %d: sample times do not increase; trace not written" % session)
        return None, problems
    gyro = s[:, 3:6] / 10.0 if head["axes"] == 6 else None
    meta = {
        "rate_hz": head["rate_hz"],
        "source": "%s session %d (pulled raw log)" % (board, session),
    }
    if gyro is not None and any(head["gyro_offset"]):
        meta["gyro_offset"] = format_gyro_offset(head["gyro_offset"])
    if any(head["gravity_mg"]):
        meta["gravity_mg"] = "%d,%d,%d" % head["gravity_mg"]
    write_trace(path, t, s[:, 0:3], gyro, meta)
    return path, problems
