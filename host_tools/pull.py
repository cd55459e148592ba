"""`python -m host_tools pull --port PORT`: copy a board's logs and turn them into traces.

    python -m host_tools pull --port /dev/ttyACM0 [--out pulled] [--delete] [--no-restart]

Connecting stops the app (Ctrl-C; it closes its logs). Every file of the board's logs/ is
copied to OUT/raw/ unchanged; then, per session n:
  OUT/NAME_nnnnn.csv          the raw samples as footfall trace v1 (if raw logging was on)
  OUT/NAME_nnnnn.events.csv   the step events, byte for byte what the board wrote (but a
                              broken last line of a part, said and left out)
  OUT/NAME_nnnnn.json         the summary (none if the session never ended: power cut)
NAME is the board's (board.NAME). What is missing or cut is reported and skipped, saying
which it is: parts removed by the flash budget (it removes a session's oldest parts first),
part numbers missing after the first part there (never written, or removed out of order),
an empty raw part whose start a power cut interrupted, a raw block cut short, and
an events part whose last line is not a whole row (on FAT a flush cut half-way, or a write
the full flash took only part of): that line is dropped, the rest copied byte for byte.
--delete removes the pulled files from the board; afterwards the board is soft-reset so the
app runs again (unless --no-restart).
"""

import argparse
import os
import sys

import numpy as np

from . import ROOT
from .deploy import DeployError, Link
from .rawlogs import RawLogError, convert


def pull(port, out, delete=False, restart=True, folder="logs", log=print):
    """Copy folder/ off the board on port into out/raw/ and convert it; returns the paths."""
    raw_dir = os.path.join(out, "raw")
    for d in (out, raw_dir):  # before the app on the board is stopped
        if os.path.exists(d) and not os.path.isdir(d):
            raise OSError("--out %s: %s is a file; expected a folder for the logs" % (out, d))
    os.makedirs(raw_dir, exist_ok=True)
    link = Link(port)
    restarted = not restart
    try:
        name = link.exec(
            "try:\n import board\n print(board.NAME)\nexcept Exception:\n print('board')"
        ).strip()
        files = link.tree(folder)
        for path, size in sorted(files.items()):
            data = link.read(path)
            if len(data) != size:
                raise DeployError(
                    "%s: read %d bytes, the board lists %d" % (path, len(data), size)
                )
            with open(os.path.join(raw_dir, path.rsplit("/", 1)[-1]), "wb") as f:
                f.write(data)
        log(
            "copied %d files (%d bytes) from %s:%s"
            % (len(files), sum(files.values()), port, folder)
        )
        written, problems = convert(raw_dir, out, name or "board")
        for p in problems:
            log("note: %s" % p)
        if delete:  # session.txt stays: the numbers go on
            for path in files:
                if not path.endswith("/session.txt"):
                    link.remove(path)
            log("removed them from the board")
        if restart:
            restarted = True
            link.reset()
    finally:
        if not restarted:  # a copy that failed half-way: the board goes back to counting
            try:
                link.reset()
            except Exception:
                pass
        link.close()
    for p in written:
        log(p)
    return written


# ---- the sim board: what its IMU makes of a trace ------------------------------------
def sim_board():
    """boards/sim/board.py as a module on CPython (its chip fakes come from tests/)."""
    import importlib.util

    tests = os.path.join(ROOT, "tests")
    if tests not in sys.path:
        sys.path.append(tests)
    spec = importlib.util.spec_from_file_location(
        "sim_board", os.path.join(ROOT, "boards", "sim", "board.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sensor_trace(src, dst):
    """Write what the sim board's IMU makes of trace src (resampled to its 208 Hz, in its
    LSB steps at 16 g / 2000 dps) as a trace at 208 Hz: the app on the sim board sees
    exactly these samples, so replaying dst gives the board's events. Returns the count."""
    from array import array

    from .trace import write_trace

    board = sim_board()
    imu = board.build_imu(None, src, 0)
    buf = array("h", bytes(2 * 6 * 64))
    chunks = []
    while not board.done():
        n = imu.read_fifo(buf, 64)
        chunks.append(np.array(buf[: 6 * n], dtype=np.float64).reshape(n, 6))
    s = np.concatenate(chunks)
    rate = imu.rate_hz
    t = (np.arange(len(s)) * 1000) // rate  # the app's spacing: floor(k * 1000 / rate)
    meta = {
        "rate_hz": rate,
        "source": "%s as the sim board's IMU serves it" % os.path.basename(src),
    }
    write_trace(dst, t, s[:, :3], s[:, 3:] / 10.0, meta)
    return len(s)


def add_parser(subparsers):
    """Register `pull` on the host_tools argument parser."""
    p = subparsers.add_parser("pull", help="copy a board's logs and convert them to traces")
    _arguments(p)
    p.set_defaults(func=_run)
    return p


def _arguments(p):
    p.add_argument("--port", required=True, help="serial port (or a virtual board's pty)")
    p.add_argument("--out", default="pulled", help="folder for the logs (default pulled/)")
    p.add_argument("--delete", action="store_true", help="remove the logs from the board")
    p.add_argument("--no-restart", action="store_true", help="leave the app stopped")


def _run(args):
    pull(args.port, args.out, args.delete, not args.no_restart)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m host_tools.pull", description=__doc__)
    _arguments(p)
    try:
        return _run(p.parse_args(argv))
    except (DeployError, RawLogError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
