"""Sample times from FIFO read times (footfall.stamp): exact spacing when the reads agree,
bounded correction when the IMU's clock runs fast or slow, a new line after a gap, and
always increasing."""

from array import array

from footfall.stamp import RESYNC_MS, Stamper
from hypothesis import given, settings
from hypothesis import strategies as st


def imu_reads(rate, ppm, polls, poll_ms, jitter=()):
    """(n, read time) per poll for an IMU whose clock is off by ppm: the samples it took by
    each read (a read happens poll_ms after the last, plus jitter)."""
    taken = 0
    t = 0
    out = []
    for k in range(polls):
        t += poll_ms + (jitter[k % len(jitter)] if jitter else 0)
        total = int(t * rate * (1 + ppm / 1e6) / 1000)
        out.append((total - taken, t))
        taken = total
    return out


def stamp_all(rate, reads):
    s = Stamper(rate)
    buf = array("i", bytes(4 * 1024))
    times = []
    for n, t in reads:
        s.stamp(buf, n, t)
        times += list(buf[:n])
    return s, times


def test_on_time_reads_give_exact_spacing():
    s, times = stamp_all(208, imu_reads(208, 0, 300, 100))
    first = times[0]
    assert [t - first for t in times] == [k * 1000 // 208 for k in range(len(times))]
    assert s.resyncs == 1 and s.slewed_ms == 0


def test_a_fast_or_slow_imu_clock_is_followed():
    for ppm in (-30000, -10000, 10000, 30000):  # +-3 %: worse than the datasheets allow
        reads = imu_reads(208, ppm, 600, 100)
        s, times = stamp_all(208, reads)
        n = len(times)
        span = times[-1] - times[0]
        true_span = (n - 1) * 1000 / (208 * (1 + ppm / 1e6))
        assert abs(span - true_span) < 25, (ppm, span, true_span)  # 1 min: within 25 ms
        assert abs(times[-1] - reads[-1][1]) <= 30  # and near the read time at the end
        assert s.resyncs == 1


def test_a_gap_starts_a_new_line_at_the_read_time():
    reads = imu_reads(208, 0, 50, 100)  # 5 s, then 5 s of samples lost (an overrun)
    later = [(n, t + 10000) for n, t in imu_reads(208, 0, 50, 100)]
    s, times = stamp_all(208, reads + later)
    assert s.resyncs == 2
    k = sum(n for n, _ in reads)
    assert times[k] - times[k - 1] > 4000  # the engine sees the gap
    assert abs(times[-1] - later[-1][1]) <= 5


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([52, 100, 104, 200, 208, 416]),
    st.lists(
        st.tuples(st.integers(0, 64), st.integers(-3 * RESYNC_MS, 3 * RESYNC_MS)),
        min_size=1,
        max_size=80,
    ),
)
def test_times_always_increase(rate, batches):
    # any batch sizes and any read-time jumps, even backwards: times still increase
    s = Stamper(rate)
    buf = array("i", bytes(4 * 64))
    t = 1000
    last = None
    for n, dt in batches:
        t += dt
        s.stamp(buf, n, t)
        for v in buf[:n]:
            assert last is None or v > last
            last = v
