"""The two board backends: driven through fake `bluetooth` and `ubluepy` modules, and
type-checked with mypy against the MicroPython stubs of their ports.

The stubs of different ports install the same module names, so each lives in its own folder:
  .venv/bin/pip install --target .venv/mpy-stubs/esp32 micropython-esp32-stubs==1.29.0.post1
  .venv/bin/pip install --target .venv/mpy-stubs/nrf micropython-nrf-stubs==1.29.0.post1
(or point FOOTFALL_MPY_STUBS at a folder holding esp32/ and nrf/).
"""

import importlib
import os
import subprocess
import sys
import types

import pytest
from footfall.ble import gatt
from footfall.ble.peripheral import RscPeripheral
from footfall.ble.settings import Settings
from footfall.live import LiveMetrics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLE = os.path.join(ROOT, "firmware", "footfall", "ble")


# ---- bluetooth (ESP32 and other ports) ------------------------------------------------------
class FakeBLE:
    def __init__(self):
        self.calls = []
        self.values = {}
        self.table = None

    def active(self, on=None):
        self.calls.append(("active", on))

    def config(self, **kw):
        self.calls.append(("config", kw))

    def irq(self, handler):
        self.handler = handler

    def gatts_register_services(self, table):
        self.table = table
        next_handle = iter(range(10, 100, 3))
        return tuple(tuple(next(next_handle) for _ in chars) for _, chars in table)

    def gatts_write(self, handle, data, send_update=False):
        self.values[handle] = bytes(data)
        self.calls.append(("write", handle, bytes(data), send_update))

    def gatts_read(self, handle):
        return self.values.get(handle, b"")

    def gatts_indicate(self, conn, handle):
        self.calls.append(("indicate", conn, handle, self.values[handle]))

    def gap_advertise(self, interval_us, adv_data=None, resp_data=None):
        self.calls.append(("advertise", interval_us, bytes(adv_data), bytes(resp_data)))


@pytest.fixture
def bluetooth_radio(monkeypatch):
    fake = types.ModuleType("bluetooth")
    fake.BLE = FakeBLE
    fake.UUID = lambda v: ("UUID", v)
    monkeypatch.setitem(sys.modules, "bluetooth", fake)
    monkeypatch.delitem(sys.modules, "footfall.ble.radio_bluetooth", raising=False)
    return importlib.import_module("footfall.ble.radio_bluetooth")


def test_bluetooth_backend_maps_the_interface(bluetooth_radio, tmp_path):
    ble = FakeBLE()
    per = RscPeripheral(bluetooth_radio.BluetoothRadio(ble), Settings(str(tmp_path / "s"))).start()
    assert ble.table[0] == (
        ("UUID", 0x1814),
        (
            (("UUID", 0x2A53), gatt.NOTIFY),
            (("UUID", 0x2A54), gatt.READ),
            (("UUID", 0x2A5D), gatt.READ),
            (("UUID", 0x2A55), gatt.WRITE | gatt.INDICATE),
        ),
    )
    h = per.handles
    assert ble.values[h[gatt.RSC_FEATURE]] == b"\x1f\x00"
    assert ble.calls[-1][0] == "advertise"
    ble.handler(1, (7, 0, b"\x00" * 6))  # _IRQ_CENTRAL_CONNECT
    live = LiveMetrics().second(1000)
    per.tick(1000, live)
    assert (
        "write",
        h[gatt.RSC_MEASUREMENT],
        b"\x02\x00\x00\x00\x00\x00\x00\x00",
        True,
    ) in ble.calls  # send_update: the stack notifies subscribed clients only
    ble.values[h[gatt.SC_CONTROL_POINT]] = b"\x04"
    ble.handler(3, (7, h[gatt.SC_CONTROL_POINT]))  # _IRQ_GATTS_WRITE
    assert ble.calls[-1] == ("indicate", 7, h[gatt.SC_CONTROL_POINT], b"\x10\x04\x01\x02")
    ble.handler(2, (7, 0, b"\x00" * 6))  # _IRQ_CENTRAL_DISCONNECT
    assert per.conn is None and ble.calls[-1][0] == "advertise"


# ---- ubluepy (nRF) --------------------------------------------------------------------------
def fake_ubluepy():
    m = types.ModuleType("ubluepy")
    state = {"next": 12, "adv": []}

    class Characteristic:
        PROP_READ, PROP_WRITE, PROP_NOTIFY, PROP_INDICATE, ATTR_CCCD = 2, 8, 16, 32, 1

        def __init__(self, uuid, props=0, attrs=0):
            self.uuid_, self.props, self.attrs, self.sent = uuid, props, attrs, []

        def properties(self):
            return self.props

        def write(self, data):
            self.sent.append(bytes(data))

        def __repr__(self):
            return "Characteristic(handle: 0x%02x, conn_handle: 0xffff)" % self.handle

    class Service:
        def __init__(self, uuid):
            self.chars = []

        def addCharacteristic(self, c):  # noqa: N802 (ubluepy's name)
            c.handle = state["next"]
            state["next"] += 3
            self.chars.append(c)

    class Peripheral:
        def addService(self, s):  # noqa: N802
            pass

        def setConnectionHandler(self, f):  # noqa: N802
            state["handler"] = f

        def advertise(self, **kw):
            state["adv"].append(kw)

    m.Characteristic, m.Service, m.Peripheral = Characteristic, Service, Peripheral
    m.UUID = lambda v: ("UUID", v)
    m.constants = types.SimpleNamespace(
        EVT_GAP_CONNECTED=16, EVT_GAP_DISCONNECTED=17, EVT_GATTS_WRITE=80
    )
    return m, state


def test_ubluepy_backend_maps_the_interface(monkeypatch, tmp_path):
    fake, state = fake_ubluepy()
    monkeypatch.setitem(sys.modules, "ubluepy", fake)
    monkeypatch.delitem(sys.modules, "footfall.ble.radio_ubluepy", raising=False)
    mod = importlib.import_module("footfall.ble.radio_ubluepy")
    radio = mod.UbluepyRadio()
    per = RscPeripheral(radio, Settings(str(tmp_path / "s"))).start()
    h = per.handles
    assert h[:3] == (12, 15, 18)  # read back from repr()
    cp = radio._chars[h[gatt.SC_CONTROL_POINT]]
    assert cp.props == gatt.WRITE | gatt.NOTIFY and cp.attrs == 1  # no indications in ubluepy
    assert radio._chars[h[gatt.RSC_FEATURE]].sent == [b"\x1f\x00"]
    assert state["adv"][-1]["data"] == per._adv  # the exact advertising payload
    state["handler"](16, 5, None)
    per.tick(1000, LiveMetrics().second(1000))
    assert radio._chars[h[gatt.RSC_MEASUREMENT]].sent[-1][0] == 0x02
    state["handler"](80, h[gatt.SC_CONTROL_POINT], bytearray(b"\x99"))
    assert cp.sent[-1] == b"\x10\x99\x02"
    state["handler"](80, h[gatt.SC_CONTROL_POINT] + 1, bytearray(b"\x01\x00"))  # a CCCD write
    assert cp.sent[-1] == b"\x10\x99\x02"
    state["handler"](17, 5, None)
    assert per.conn is None and len(state["adv"]) == 2


# ---- mypy against the port stubs ---------------------------------------------------------------
def stubs_dir(port):
    base = os.environ.get("FOOTFALL_MPY_STUBS", os.path.join(ROOT, ".venv", "mpy-stubs"))
    path = os.path.join(base, port)
    if not os.path.exists(os.path.join(path, "stdlib", "VERSIONS")):
        pytest.skip(
            "MicroPython %s stubs not installed: .venv/bin/pip install --target "
            ".venv/mpy-stubs/%s micropython-%s-stubs" % (port, port, port)
        )
    pytest.importorskip("mypy", reason="mypy is not installed: .venv/bin/pip install mypy")
    return path


def run_mypy(port, files, tmp_path):
    stubs = stubs_dir(port)
    ini = tmp_path / "mypy.ini"
    ini.write_text(
        "[mypy]\nmypy_path = %s:%s\ncustom_typeshed_dir = %s\nno_site_packages = True\n"
        "check_untyped_defs = True\nwarn_unused_ignores = True\n"
        "[mypy-_mpy_shed.*,bluetooth]\nignore_errors = True\n"  # the stubs' own slips
        "[mypy-footfall.gait.*]\nfollow_imports = skip\n"
        % (stubs, os.path.join(ROOT, "firmware"), stubs)
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ini),
            "--cache-dir",
            str(tmp_path / "cache"),
        ]
        + files,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done.returncode, done.stdout + done.stderr


PURE = [
    os.path.join(BLE, m + ".py")
    for m in ("rsc", "control", "adv", "form", "info", "gatt", "settings", "peripheral")
]
PURE.append(os.path.join(ROOT, "firmware", "footfall", "live.py"))


@pytest.mark.parametrize("port, backend", [("esp32", "radio_bluetooth"), ("nrf", "radio_ubluepy")])
def test_backend_and_pure_modules_type_check_against_the_port_stubs(port, backend, tmp_path):
    code, out = run_mypy(port, [os.path.join(BLE, backend + ".py")] + PURE, tmp_path)
    assert code == 0, out


@pytest.mark.parametrize(
    "port, backend, good, bad",
    [
        ("esp32", "radio_bluetooth", "gatts_indicate(conn, handle)", "gatts_indicate(conn)"),
        ("nrf", "radio_ubluepy", "self._periph.advertise(", "self._periph.advertize("),
    ],
)
def test_the_type_check_catches_a_wrong_call(port, backend, good, bad, tmp_path):
    with open(os.path.join(BLE, backend + ".py")) as f:
        text = f.read()
    assert good in text
    broken = tmp_path / ("broken_" + backend + ".py")
    broken.write_text(text.replace(good, bad))
    code, out = run_mypy(port, [str(broken)], tmp_path)
    assert code != 0 and "broken_" in out, out
