"""`monitor` without a radio: fake bleak classes in front of the simulated insole, so the
monitor's scanning, decoding, logging and calibration meet the real firmware code."""

import argparse
import asyncio
import csv
import os
from array import array
from types import SimpleNamespace

import pytest
from footfall.ble import adv as ADV
from footfall.ble import central
from footfall.ble.peripheral import RscPeripheral
from footfall.ble.settings import Settings
from footfall.ble.sim_central import SimCentral
from footfall.ble.sim_radio import SimRadio
from footfall.gait import record as R
from footfall.live import LiveMetrics

from host_tools import monitor
from host_tools.monitor_rows import RSC_SERVICE, classify, sig_uuid

INSOLE = "F0:0D:FA:11:00:01"


class World:
    """The simulated insole on a runner: one stride of 2 m every 667 ms, one tick a second."""

    def __init__(self, tmp_path):
        self.t = 0
        self.radio = SimRadio(clock=lambda: self.t)
        self.live = LiveMetrics()
        self.per = RscPeripheral(self.radio, Settings(str(tmp_path / "s.json"))).start()
        self._rec = array("i", [R.UNKNOWN] * R.N_FIELDS)
        self._next = 500

    def tick(self):
        self.t += 1000
        rec = self._rec
        while self._next <= self.t:
            rec[R.IC_MS], rec[R.GCT_MS], rec[R.STRIKE] = self._next, 240, R.STRIKE_HEEL
            rec[R.CADENCE], rec[R.STRIDE_MM], rec[R.SPEED_MMPS] = 1800, 2000, 3000
            rec[R.ACTIVITY], rec[R.IMPACT_MG] = R.RUNNING, 2500
            self.live.add(rec)
            self._next += 667
        self.live.second(self.t)
        self.per.tick(self.t, self.live)

    async def run(self):
        while True:
            self.tick()
            await asyncio.sleep(0.002)

    def advertisement(self):
        data = self.radio.adv_data + self.radio.resp_data
        ads = dict(central.iter_ad(data))
        mfr = ads.get(ADV.AD_MANUFACTURER)
        device = SimpleNamespace(address=INSOLE, name=None)
        uuids = [sig_uuid(0x1814)] if ADV.AD_UUID16_COMPLETE in ads else []
        return device, SimpleNamespace(
            local_name=ads.get(ADV.AD_NAME_COMPLETE, b"").decode(),
            service_uuids=uuids,
            manufacturer_data={mfr[0] | mfr[1] << 8: mfr[2:]} if mfr else {},
            rssi=-50,
        )


def fake_scanner(world, others=(), error=None):
    class Scanner:
        def __init__(self, detection_callback):
            self.cb = detection_callback

        async def __aenter__(self):
            if error is not None:
                raise error
            self.task = asyncio.create_task(self._feed())
            return self

        async def _feed(self):
            while True:
                for device, adv in others:
                    self.cb(device, adv)
                if world is not None and world.radio.advertising:
                    self.cb(*world.advertisement())
                await asyncio.sleep(0.003)

        async def __aexit__(self, *exc):
            self.task.cancel()

    return Scanner


def fake_client(world):
    class Central(SimCentral):
        callbacks = {}

        def on_pdu(self, pdu):
            super().on_pdu(pdu)
            if pdu[0] in (0x1B, 0x1D):
                cb = self.callbacks.get(pdu[1] | pdu[2] << 8)
                if cb is not None:
                    cb(None, bytearray(pdu[3:]))

    def short(uuid):
        u = str(uuid).lower()
        return int(u[4:8], 16) if u.endswith("-0000-1000-8000-00805f9b34fb") else u

    class Client:
        def __init__(self, address):
            assert address == INSOLE
            self.central = Central(world.radio)
            self.services = SimpleNamespace(get_characteristic=self._find)

        def _find(self, uuid):
            try:
                return self.central.handle(short(uuid))
            except KeyError:
                return None

        async def __aenter__(self):
            self.central.connect()
            self.central.discover()
            return self

        async def __aexit__(self, *exc):
            self.central.disconnect()

        async def read_gatt_char(self, uuid):
            return bytearray(self.central.read(short(uuid)))

        async def start_notify(self, uuid, callback):
            u = short(uuid)
            self.central.callbacks[self.central.handle(u)] = callback
            self.central.subscribe(u, notify=u != 0x2A55, indicate=u == 0x2A55)

        async def write_gatt_char(self, uuid, data, response=False):
            assert response  # the control point needs a write with response
            self.central.write(short(uuid), data)

    return Client


def args(**kw):
    base = dict(
        address=None, scan_seconds=0.05, seconds=0.15, csv=None, listen=False, calibrate=None
    )
    base.update(kw)
    return argparse.Namespace(**base)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_classify():
    assert classify("Stryd", {}, [RSC_SERVICE.upper()]) == ("rsc", None)
    assert classify("Footfall", {}, []) == ("footfall", None)
    assert classify("Lamp", {0x004C: b"\x02\x15"}, []) == (None, None)
    assert classify(None, {0xFFFF: b"\x01"}, []) == (None, None)  # not our layout


async def _with_world(world, coro):
    runner = asyncio.create_task(world.run())
    try:
        return await coro
    finally:
        runner.cancel()


def test_finds_connects_prints_and_logs(tmp_path):
    world = World(tmp_path)
    stryd = (
        SimpleNamespace(address="AA:BB", name="Stryd"),
        SimpleNamespace(
            local_name="Stryd", service_uuids=[RSC_SERVICE], manufacturer_data={}, rssi=-70
        ),
    )
    lines = []
    log = str(tmp_path / "m.csv")
    code = asyncio.run(
        _with_world(
            world,
            monitor.run(
                args(csv=log), fake_scanner(world, [stryd]), fake_client(world), lines.append
            ),
        )
    )
    assert code == 0
    assert any(line.startswith("found rsc AA:BB") for line in lines)
    (insole,) = [line for line in lines if line.startswith("found footfall " + INSOLE)]
    assert ": broadcast v1, " in insole  # decoded from the scan response
    assert "RSC features 0x001f, sensor location 2" in lines[2]
    rows = read_csv(log)
    assert len(rows) >= 3
    last = rows[-1]
    assert (last["speed_mps"], last["cadence_spm"], last["stride_m"], last["running"]) == (
        "3.0",
        "180",
        "2.0",
        "1",
    )
    assert float(last["distance_m"]) == pytest.approx(world.per.settings.total_dm / 10, abs=7)
    assert last["heel_pct"] == "100" and last["contact_ms"] == "240"
    assert "3.00 m/s  180 spm  run   stride 2.00 m" in lines[-1]


def test_calibration_through_the_control_point(tmp_path):
    world = World(tmp_path)

    async def run_60_seconds():
        start = world.t
        while world.t < start + 60000:
            await asyncio.sleep(0.002)

    lines = []
    measured_m = 60 * 2.0 * 1000 / 667  # what the insole counts in those 60 s
    code = asyncio.run(
        _with_world(
            world,
            monitor.run(
                args(calibrate=round(measured_m * 1.1), seconds=0.05),
                fake_scanner(world),
                fake_client(world),
                lines.append,
                wait_done=run_60_seconds,
            ),
        )
    )
    assert code == 0
    assert any("calibration started" in line for line in lines)
    assert any("calibration sent" in line for line in lines)
    measured, known, factor = world.per.last_calibration
    assert factor == pytest.approx(1100, abs=30)  # one tick of slack between the two clocks
    assert world.per.settings.stride_factor == factor


def test_listen_decodes_the_broadcast_without_connecting(tmp_path):
    world = World(tmp_path)
    lines = []
    log = str(tmp_path / "b.csv")
    code = asyncio.run(
        _with_world(
            world,
            monitor.run(
                args(listen=True, seconds=0.1, csv=log), fake_scanner(world), None, lines.append
            ),
        )
    )
    assert code == 0 and world.per.connections == 0
    rows = read_csv(log)
    assert len(rows) >= 3 and {r["source"] for r in rows} == {"broadcast"}
    assert rows[-1]["heel_pct"] == "100" and int(rows[-1]["steps"]) > 0
    assert int(rows[-1]["steps"]) <= world.live.steps


def test_no_sensor_found_is_an_error(tmp_path):
    with pytest.raises(RuntimeError, match="no running sensor found"):
        asyncio.run(monitor.run(args(), fake_scanner(None), fake_client(None), print))


def test_no_adapter_is_said_plainly(capsys):
    scanner = fake_scanner(None, error=FileNotFoundError(2, "No such file or directory"))
    with pytest.raises(monitor.NoAdapterError, match="no Bluetooth adapter found"):
        asyncio.run(monitor.run(args(), scanner, fake_client(None), print))


@pytest.mark.skipif(
    os.path.isdir("/sys/class/bluetooth") and os.listdir("/sys/class/bluetooth"),
    reason="this machine has a Bluetooth adapter",
)
def test_real_bleak_without_an_adapter_exits_non_zero(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    monitor.add_parser(parser.add_subparsers(dest="command", required=True))
    log = tmp_path / "m.csv"
    a = parser.parse_args(["monitor", "--scan-seconds", "1", "--csv", str(log)])
    code = a.func(a)
    err = capsys.readouterr().err
    assert code == 3, err
    assert "no Bluetooth adapter found" in err
    assert not log.exists()  # nothing half-written


def test_a_new_log_never_overwrites_an_earlier_one(tmp_path):
    from host_tools.monitor_rows import CsvLog

    path = tmp_path / "logs" / "monitor.csv"
    said = []
    first = CsvLog(str(path), said.append)
    first.write({"time_s": 1})
    first.close()
    second = CsvLog(str(path), said.append)
    second.write({"time_s": 2})
    second.close()
    assert [r["time_s"] for r in read_csv(str(path))] == ["1"]
    assert second.path == str(tmp_path / "logs" / "monitor_2.csv")
    assert [r["time_s"] for r in read_csv(second.path)] == ["2"]
    assert said == ["%s exists: logging to %s" % (path, second.path)]


@pytest.mark.parametrize("distance", [0.0, -400.0, float("nan"), float("inf")])
def test_a_calibration_distance_that_is_not_one_is_refused_before_connecting(distance):
    with pytest.raises(ValueError, match="--calibrate: expected a distance in metres above 0"):
        monitor.check_args(args(calibrate=distance))


def test_a_log_under_a_file_or_onto_a_folder_is_refused_before_scanning(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        monitor.check_args(args(csv=str(tmp_path / "f" / "sub" / "m.csv")))
    with pytest.raises(ValueError, match="it is a folder"):
        monitor.check_args(args(csv=str(tmp_path)))
    monitor.check_args(args(csv=str(tmp_path / "new" / "m.csv")))  # made with the first row
    assert not (tmp_path / "new").exists()


def test_no_adapter_when_connecting_to_an_address_is_said_plainly():
    class Client:
        def __init__(self, address):
            pass

        async def __aenter__(self):
            raise FileNotFoundError(2, "No such file or directory")  # no D-Bus: no BlueZ

    with pytest.raises(monitor.NoAdapterError, match="no Bluetooth adapter found"):
        asyncio.run(monitor.run(args(address="zz"), None, Client, print))


@pytest.mark.parametrize("option", ["scan_seconds", "seconds"])
@pytest.mark.parametrize("value", [0.0, -1.0, float("nan")])
def test_times_that_are_not_one_are_refused_before_scanning(option, value):
    flag = "--" + option.replace("_", "-")
    with pytest.raises(ValueError, match="%s: expected seconds above 0" % flag):
        monitor.check_args(args(**{option: value}))
