"""Every integer the gait engine holds or computes stays within +-2**30.

On a 32-bit MicroPython port a larger int is a heap object: an allocation in the per-sample
path. CPython never overflows, so the engine's modules are recompiled here with every
arithmetic result (binary, unary and augmented operations) passed through a range check, then
driven with arbitrary input at +-16 g and +-2000 deg/s, real recordings bent out of shape, and
pathological constant signals. Whatever is stored in the engine's state is checked too.
"""

import ast
import importlib.util
import os
import random
import sys
import types
from array import array

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAIT = os.path.join(ROOT, "firmware", "footfall", "gait")
LIMIT = 1 << 30
# every module of the gait package, each after those it imports
MODULES = (
    "fixmath",
    "record",
    "strapdown",
    "pitch",
    "contact",
    "averaging",
    "steps",
    "offset",
    "accel_only",
    "stances",
    "engine",
)


class OutOfRange(AssertionError):
    pass


def _check(value):
    if type(value) is int and not -LIMIT <= value <= LIMIT:
        raise OutOfRange("integer %d is beyond +-2**30" % value)
    return value


class _Wrap(ast.NodeTransformer):
    def _call(self, node):
        return ast.copy_location(
            ast.Call(func=ast.Name("__chk__", ast.Load()), args=[node], keywords=[]), node
        )

    def visit_BinOp(self, node):
        self.generic_visit(node)
        return self._call(node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return self._call(node) if isinstance(node.op, ast.USub) else node

    def visit_AugAssign(self, node):
        # x op= y  ->  x = __chk__(x op y)
        self.generic_visit(node)
        load = ast.copy_location(_as_load(node.target), node)
        value = self._call(ast.copy_location(ast.BinOp(load, node.op, node.value), node))
        return ast.copy_location(ast.Assign([node.target], value), node)


def _as_load(target):
    t = ast.parse(ast.unparse(target), mode="eval").body
    return t


def load_checked_engine():
    """The gait package compiled with range checks, as a fresh package `checked_gait`."""
    pkg = types.ModuleType("checked_gait")
    pkg.__path__ = [GAIT]
    sys.modules["checked_gait"] = pkg
    for name in MODULES:
        path = os.path.join(GAIT, name + ".py")
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        tree = ast.fix_missing_locations(_Wrap().visit(tree))
        spec = importlib.util.spec_from_loader("checked_gait." + name, loader=None)
        mod = importlib.util.module_from_spec(spec)
        mod.__package__ = "checked_gait"
        mod.__dict__["__chk__"] = _check
        sys.modules[mod.__name__] = mod
        exec(compile(tree, path, "exec"), mod.__dict__)
        setattr(pkg, name, mod)
    return pkg.engine.GaitEngine


CheckedEngine = load_checked_engine()


def _state_ints(obj, seen=None):
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for v in vars(obj).values():
        if type(v) is int:
            yield v
        elif isinstance(v, (list, array)):
            yield from (x for x in v if type(x) is int)
        elif hasattr(v, "__dict__") and type(v).__module__.startswith("checked_gait"):
            yield from _state_ints(v, seen)


def _drive(rate, gyro, samples):
    eng = CheckedEngine(rate_hz=rate, gyro=gyro)
    rec = array("i", bytes(4 * 11))
    for k, (t, a, g) in enumerate(samples):
        if gyro:
            eng.update(t, a[0], a[1], a[2], g[0], g[1], g[2])
        else:
            eng.update(t, a[0], a[1], a[2])
        while eng.pop(rec):
            pass
        if k % 97 == 0:
            for v in _state_ints(eng):
                _check(v)
    eng.flush()
    for v in _state_ints(eng):
        _check(v)
    return eng


def _noise(rng, n, rate, level_mg, level_ddps):
    t = 0
    out = []
    for _ in range(n):
        t += max(1, int(1000 / rate + rng.randint(-1, 1)))
        if rng.random() < 0.002:
            t += rng.randint(50, 5000)  # a gap
        elif rng.random() < 0.004:
            t += rng.randint(5, 200)  # samples lost: a gap the engine bridges (offset.py)
        a = [max(-16000, min(16000, int(rng.gauss(0, level_mg)))) for _ in range(3)]
        a[2] = max(-16000, min(16000, a[2] + 1000))
        g = [max(-20000, min(20000, int(rng.gauss(0, level_ddps)))) for _ in range(3)]
        out.append((t, a, g))
    return out


def _extremes(rng, n, rate):
    # full-scale signals held for a long time, flipping now and then
    t = 0
    out = []
    a = [16000, -16000, 16000]
    g = [20000, 20000, -20000]
    for _ in range(n):
        t += max(1, 1000 // rate)
        if rng.random() < 0.01:
            a = [rng.choice((-16000, 16000, 0)) for _ in range(3)]
            g = [rng.choice((-20000, 20000, 0)) for _ in range(3)]
        out.append((t, a, g))
    return out


def _real(rng, rate):
    # a committed recording, rotated, scaled, clipped, resampled onto another clock and
    # started anywhere in its first half (standing, or in motion)
    import engine_cases

    # running, walking, or a slow walk (the offset learnt in walking, offset.py, runs there)
    name = rng.choice((engine_cases.RUN, engine_cases.WALK, engine_cases.SHUFFLE))
    r0, _, times, samples = engine_cases.load(name)
    scale = rng.uniform(0.5, 3.0)
    offset = [rng.randint(-200, 200) for _ in range(3)]  # an uncalibrated gyro, 0.1 deg/s
    perm = rng.sample(range(3), 3)
    signs = [rng.choice((-1, 1)) for _ in range(3)]
    step = max(1, round(r0 / rate))
    out = []
    for i in range(rng.randrange(len(times) // 2), len(times), step):
        a = [samples[6 * i + perm[k]] * signs[k] * scale for k in range(3)]
        g = [samples[6 * i + 3 + perm[k]] * signs[k] * scale + offset[k] for k in range(3)]
        a = [max(-16000, min(16000, int(x))) for x in a]
        g = [max(-20000, min(20000, int(x))) for x in g]
        out.append((times[i], a, g))
    return out


sys.path.insert(0, os.path.join(ROOT, "tests", "upy"))
os.environ.setdefault("FOOTFALL_TEST_DATA", os.path.join(ROOT, "tests", "data"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    rate=st.sampled_from((50, 100, 104, 200, 208, 400, 416)),
    gyro=st.booleans(),
    kind=st.sampled_from(("noise", "extremes", "real")),
    level=st.sampled_from((50, 1000, 16000)),
)
def test_every_integer_stays_within_2_pow_30(seed, rate, gyro, kind, level):
    rng = random.Random(seed)
    if kind == "noise":
        samples = _noise(rng, 1500, rate, level, level)
    elif kind == "extremes":
        samples = _extremes(rng, 2500, rate)
    else:
        samples = _real(rng, rate)
    _drive(rate, gyro, samples)


@pytest.mark.parametrize("rate", (100, 200, 400))
def test_an_offset_learnt_in_walking_stays_within_2_pow_30(rate):
    # walks started mid-stride with an unknown offset, so the frame tilts far every stride and
    # the offset is learnt from it all the way (offset.py): the largest the engine takes (50
    # deg/s) on the walk, 10 deg/s on the slow walk (whose steps 20 deg/s hides)
    import engine_cases

    for name, off in ((engine_cases.WALK, 500), (engine_cases.SHUFFLE, 100)):
        r0, _, times, samples = engine_cases.load(name)
        start = len(times) // 8
        out = []
        for i in range(start, len(times), max(1, round(r0 / rate))):
            a = [samples[6 * i + k] for k in range(3)]
            g = [samples[6 * i + 3 + k] + (off, -off, off)[k] for k in range(3)]
            out.append((times[i] - times[start], a, [max(-20000, min(20000, x)) for x in g]))
        eng = _drive(rate, True, out)
        # learnt in motion: moved from zero by most of it, and not taken for known
        assert max(abs(b) for b in eng._gbias) >= 7 * off and not eng._goff[3], list(eng._gbias)


def test_the_check_catches_an_overflow():
    # the instrumentation must be able to fail: a product beyond 2**30 is reported
    tree = _Wrap().visit(ast.parse("y = x * x"))
    code = compile(ast.fix_missing_locations(tree), "<t>", "exec")
    env = {"__chk__": _check, "x": 40000}
    try:
        exec(code, env)
    except OutOfRange:
        return
    raise AssertionError("40000 * 40000 passed the range check")


def test_every_module_of_the_engine_is_checked():
    names = {n[:-3] for n in os.listdir(GAIT) if n.endswith(".py") and n != "__init__.py"}
    assert names == set(MODULES)
    assert all(hasattr(sys.modules["checked_gait." + n], "__chk__") for n in MODULES)


def test_real_recordings_stay_in_range_unchanged():
    import engine_cases

    rate, gyro, times, samples = engine_cases.load(engine_cases.WALK)
    eng = _drive(
        rate,
        gyro,
        [
            (times[i], samples[6 * i : 6 * i + 3], samples[6 * i + 3 : 6 * i + 6])
            for i in range(len(times))
        ],
    )
    assert eng.strides_ > 5


@pytest.mark.parametrize("rate", (50, 100, 200, 400))
def test_a_bridged_gap_at_full_scale_stays_within_2_pow_30(rate):
    # lost packets (offset.py _bridge) stand in for each missing sample, a block at a time:
    # at full scale, the longest gap that is bridged, over and over, at every rate
    rng = random.Random(rate)
    period = max(1, 1000 // rate)
    bridged = max(150, 3000 // rate) // period * period  # the longest gap bridged
    t = 0
    out = []
    for i in range(1500):
        t += bridged if i % 5 == 4 else period
        a = [rng.choice((-16000, 16000)) for _ in range(3)]
        g = [rng.choice((-20000, 20000)) for _ in range(3)]
        out.append((t, a, g))
    _drive(rate, True, out)
