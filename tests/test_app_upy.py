"""The whole app on the MicroPython unix port with the sim board, from the compiled firmware
`make deploy BOARD=sim` stages: the board's events equal the host replay of its raw log and
of the source trace; ten minutes run in the footprint of the code plus 64 KB of heap; and
the per-batch path allocates nothing (heap_lock)."""

import glob
import os
import subprocess

import numpy as np
import pytest

from host_tools.deploy import stage
from host_tools.pull import sensor_trace
from host_tools.rawlogs import convert
from host_tools.replay import replay_file
from host_tools.trace import read_trace, write_trace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICROPYTHON = os.path.join(ROOT, ".venv", "bin", "micropython")
DATASETS = os.environ.get("DATASETS") or os.path.join(ROOT, "..", "shared", "datasets")
SIM_RUN = os.path.join(ROOT, "host_tools", "upy", "sim_run.py")
DATA_HEAP = 64 * 1024

pytestmark = pytest.mark.skipif(
    not os.path.exists(MICROPYTHON), reason="the MicroPython unix port is not installed"
)


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """The sim board's files as `make deploy BOARD=sim` builds them (compiled .mpy)."""
    out = str(tmp_path_factory.mktemp("stage") / "sim")
    stage("sim", out)
    return out


def unix_port(stage_dir, trace, logs, heap, *args):
    env = dict(
        os.environ,
        MICROPYPATH=stage_dir,
        FOOTFALL_SIM_TRACE=trace,
        FOOTFALL_SIM_SPEED="0",
        FOOTFALL_SIM_RECORD="raw",
        FOOTFALL_SIM_LOG_DIR=logs,
        FOOTFALL_SIM_LOG_BUDGET=str(64 * 1024 * 1024),
        FOOTFALL_SIM_SETTINGS=logs + ".settings.json",
    )
    r = subprocess.run(
        [MICROPYTHON, "-X", "heapsize=%d" % heap, SIM_RUN, *args],
        cwd=stage_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0 and "MemoryError" not in r.stdout, r.stdout + r.stderr
    return r.stdout.splitlines()[-1].split()


def footprint(stage_dir, trace, logs):
    words = unix_port(stage_dir, trace, logs, 4 * 1024 * 1024, "--footprint")
    assert words[0] == "footprint"
    return int(words[1])


def run_and_compare(tmp_path, stage_dir, source):
    """Run the app on the unix port over source in code + 64 KB; compare its events with
    the host replays of its raw log and of the source as the sim IMU serves it."""
    logs = str(tmp_path / "logs")
    code = footprint(stage_dir, source, str(tmp_path / "measure"))
    words = unix_port(stage_dir, source, logs, code + DATA_HEAP)
    assert words[0] == "run"
    peak, steps, crashes, bus, overruns, log_errors, sessions = map(int, words[2:])
    assert (crashes, bus, overruns, log_errors, sessions) == (0, 0, 0, 0, 1)
    written, problems = convert(logs, str(tmp_path / "pulled"), "sim")
    assert problems == []
    board_events = (tmp_path / "pulled" / "sim_00001.events.csv").read_text()
    replay_file(str(tmp_path / "pulled" / "sim_00001.csv"), str(tmp_path / "a.csv"))
    assert (tmp_path / "a.csv").read_text() == board_events
    sensor = str(tmp_path / "sensor.csv")
    sensor_trace(source, sensor)
    replay_file(sensor, str(tmp_path / "b.csv"))
    assert (tmp_path / "b.csv").read_text() == board_events
    pulled = read_trace(str(tmp_path / "pulled" / "sim_00001.csv"))
    want = read_trace(sensor)
    assert np.array_equal(pulled.acc_mg, want.acc_mg) and np.array_equal(
        pulled.gyro_dps, want.gyro_dps
    )
    # the same times, but for the last read: the fake chip stops at the end of the trace while
    # the clock goes on, and the app rightly pulls that batch's times towards the read time
    assert np.array_equal(pulled.t_ms[:-21], want.t_ms[:-21])
    assert steps == 2 * (len(board_events.splitlines()) - 1)
    return code, peak, steps


def test_app_on_the_unix_port_gives_the_host_replay_events(tmp_path, staged):
    from fakes.recorded import trace_path

    code, peak, steps = run_and_compare(tmp_path, staged, trace_path("run"))
    assert steps > 20
    assert code < peak <= code + DATA_HEAP


def _ten_minutes(folder):
    """Real PyShoe trials one after the other (1 s apart) until 10 minutes are reached."""
    src = os.path.join(DATASETS, "pyshoe_vicon")
    if not os.path.isdir(src):
        pytest.skip("needs ../shared/datasets/pyshoe_vicon (the shared datasets) for 10 minutes")
    from host_tools.datasets import convert as convert_dataset

    convert_dataset(src, str(folder))
    t, acc, gyro, offset = [], [], [], 0.0
    for path in sorted(glob.glob(str(folder / "pyshoe_*.csv"))):
        if path.endswith(".truth.csv"):
            continue
        tr = read_trace(path)
        t.append(tr.t_ms + offset)
        acc.append(tr.acc_mg)
        gyro.append(tr.gyro_dps)
        offset = t[-1][-1] + 1000.0
        if offset >= 600000:
            break
    out = str(folder / "ten_minutes.csv")
    write_trace(
        out, np.concatenate(t), np.concatenate(acc), np.concatenate(gyro), {"rate_hz": 200}
    )
    return out


def test_ten_minutes_run_in_the_code_plus_64k(tmp_path, staged):
    source = _ten_minutes(tmp_path / "traces")
    code, peak, steps = run_and_compare(tmp_path, staged, source)
    assert steps > 500
    print(
        "code %d bytes, peak in use %d bytes (data %d), %d steps"
        % (code, peak, peak - code, steps)
    )


# For the scripts below: the app's per-batch path wrapped in heap_lock, counting batches
# (count[0]) and samples (count[1]); a MemoryError under the lock would count as a crash.
LOCK_BATCHES = """
plain = app.batch
count = [0, 0]


def locked(n, t):
    micropython.heap_lock()
    try:
        plain(n, t)
    finally:
        micropython.heap_unlock()
    count[0] += 1
    count[1] += n


app.batch = locked
"""

NOALLOC = (
    """
import micropython
import board
from footfall.app import App

board.VERBOSE = False
app = App(board, record="raw")
"""
    + LOCK_BATCHES
    + """
app.run()
app.close("end")
print("locked", count[0], count[1], app.logger.used, app.live.steps, app.crashes)
"""
)


def sim_script(tmp_path, code, tag):
    """Run code on the unix port with the sim board fed the running excerpt (logs in
    tmp_path/logs); returns the numbers it printed after tag."""
    from fakes.recorded import trace_path

    if not os.path.exists(MICROPYTHON):
        pytest.skip("the MicroPython unix port is not installed")
    env = dict(
        os.environ,
        MICROPYPATH=os.pathsep.join(
            [os.path.join(ROOT, p) for p in ("firmware", "tests", os.path.join("boards", "sim"))]
        ),
        FOOTFALL_SIM_TRACE=trace_path("run"),
        FOOTFALL_SIM_SPEED="0",
        FOOTFALL_SIM_LOG_DIR=str(tmp_path / "logs"),
        FOOTFALL_SIM_SETTINGS=str(tmp_path / "s.json"),
    )
    r = subprocess.run(
        [MICROPYTHON, "-X", "heapsize=2M", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    words = r.stdout.split()
    return [int(w) for w in words[words.index(tag) + 1 :]]


def test_the_per_batch_path_allocates_nothing(tmp_path):
    batches, samples, logged, steps, crashes = sim_script(tmp_path, NOALLOC, "locked")
    assert crashes == 0  # a MemoryError under the lock would have been caught as a crash
    assert batches > 150 and samples > 3500  # the whole trace went through locked batches
    assert logged > 40000 and steps > 20  # raw blocks were written inside the lock
