"""The RSC peripheral over the simulated radio: notify, advertise, reconnect, control point,
calibration, settings across reboots, and a radio that fails."""

from array import array

import pytest
from footfall.ble import adv, central, control, gatt, rsc
from footfall.ble.central import decode_form
from footfall.ble.form import FORM_MEASUREMENT_UUID
from footfall.ble.peripheral import RscPeripheral
from footfall.ble.settings import Settings
from footfall.ble.sim_central import AttError, SimCentral
from footfall.ble.sim_radio import SimRadio
from footfall.gait import record as R
from footfall.live import LiveMetrics

STRIDE_MM = 2000


class Run:
    """A runner (one stride of STRIDE_MM every 667 ms), the insole, and a watch."""

    def __init__(self, tmp_path, radio=None, factor_hook=None):
        self.t = 0
        self.settings_path = str(tmp_path / "settings.json")
        self.radio = radio or SimRadio(clock=lambda: self.t)
        self.watch = SimCentral(self.radio)
        self.live = LiveMetrics()
        self.per = RscPeripheral(
            self.radio, Settings(self.settings_path).load(), on_stride_factor=factor_hook
        ).start()
        self._rec = array("i", [R.UNKNOWN] * R.N_FIELDS)
        self._next_step = 500

    def seconds(self, n):
        rec = self._rec
        for _ in range(n):
            self.t += 1000
            while self._next_step <= self.t:
                rec[R.IC_MS] = self._next_step
                rec[R.GCT_MS] = 230
                rec[R.STRIKE] = R.STRIKE_MID
                rec[R.CADENCE] = 1800
                rec[R.STRIDE_MM] = STRIDE_MM
                rec[R.SPEED_MMPS] = 3000
                rec[R.ACTIVITY] = R.RUNNING
                self.live.add(rec)
                self._next_step += 667
            self.live.second(self.t)
            self.per.tick(self.t, self.live)

    def connect(self, cp=True):
        self.watch.connect()
        self.watch.discover()
        self.watch.subscribe(gatt.RSC_MEASUREMENT_UUID)
        if cp:
            self.watch.subscribe(gatt.SC_CONTROL_POINT_UUID, notify=False, indicate=True)

    def measurements(self):
        return [
            central.decode_measurement(d)
            for _, d in self.watch.received(gatt.RSC_MEASUREMENT_UUID)
        ]

    def ask(self, data):
        before = len(self.watch.indications)
        self.watch.write(gatt.SC_CONTROL_POINT_UUID, data)
        ((_, _, rsp),) = self.watch.indications[before:]
        return central.decode_response(rsp)


def test_advertises_with_broadcast_until_a_watch_connects(tmp_path):
    run = Run(tmp_path)
    run.watch.start_scan()
    run.seconds(3)
    assert run.radio.advertising
    data, resp = run.radio.adv_data, run.radio.resp_data
    assert len(data) <= 31 and len(resp) <= 31
    assert central.find_ad(data, adv.AD_UUID16_COMPLETE) == b"\x14\x18"
    b = central.decode_broadcast(central.find_ad(resp, adv.AD_MANUFACTURER))
    assert b["steps"] == run.live.steps > 0 and b["moving"] and b["mid"] == run.live.mid
    assert len(run.watch.adv_reports) == 4  # at start, then once a second
    run.connect()
    assert not run.radio.advertising


def test_notifies_once_a_second_what_live_computed(tmp_path):
    run = Run(tmp_path)
    run.seconds(2)
    run.connect()
    run.watch.subscribe(FORM_MEASUREMENT_UUID)
    run.seconds(5)
    got = run.measurements()
    assert len(got) == 5
    flags, speed, cadence, stride, total = got[-1]
    assert flags == rsc.FLAG_STRIDE | rsc.FLAG_DISTANCE | rsc.FLAG_RUNNING
    assert (speed, cadence, stride) == (768, 180, 200)
    assert total == run.live.distance_mm // 100 == run.per.settings.total_dm
    (_, form), *_ = run.watch.received(FORM_MEASUREMENT_UUID)[-1:]
    assert decode_form(form)["mid_pct"] == 100
    assert run.watch.read(gatt.RSC_FEATURE_UUID) == b"\x1f\x00"
    assert run.watch.read(gatt.SENSOR_LOCATION_UUID) == b"\x02"


def test_notifications_switched_off_stop_and_on_again_resume(tmp_path):
    run = Run(tmp_path)
    run.connect()
    run.seconds(2)
    run.watch.subscribe(gatt.RSC_MEASUREMENT_UUID, notify=False)
    run.seconds(3)
    assert len(run.measurements()) == 2
    run.watch.subscribe(gatt.RSC_MEASUREMENT_UUID)
    run.seconds(1)
    assert len(run.measurements()) == 3
    assert run.measurements()[-1][4] == run.live.distance_mm // 100  # nothing lost meanwhile


def test_reconnect_advertises_again_and_loses_no_count(tmp_path):
    run = Run(tmp_path)
    run.connect()
    run.seconds(3)
    run.watch.disconnect()
    assert run.radio.advertising  # straight after the disconnect
    run.watch.start_scan()
    run.seconds(4)
    assert run.per.settings.saves >= 1  # saved on disconnect
    run.watch.connect()  # the CCCD did not survive: no notifications until it is written
    run.seconds(1)
    assert len(run.measurements()) == 3
    run.watch.subscribe(gatt.RSC_MEASUREMENT_UUID)
    run.seconds(2)
    assert len(run.measurements()) == 5
    assert run.measurements()[-1][4] == run.live.distance_mm // 100
    assert run.per.connections == 2 and run.per.errors == 0


@pytest.mark.parametrize(
    "garbage, result",
    [
        (b"\x00", control.RESULT_NOT_SUPPORTED),
        (b"\x42\x01\x02", control.RESULT_NOT_SUPPORTED),
        (b"\x01\x01", control.RESULT_INVALID_PARAMETER),
        (b"\x03\x09", control.RESULT_INVALID_PARAMETER),
        (b"\x04\x04\x04\x04", control.RESULT_INVALID_PARAMETER),
    ],
)
def test_garbage_on_the_control_point_gets_the_error_and_counting_goes_on(
    tmp_path, garbage, result
):
    run = Run(tmp_path)
    run.connect()
    run.seconds(2)
    total_before = run.per.settings.total_dm
    assert run.ask(garbage) == (garbage[0], result, b"")
    run.seconds(3)
    assert run.per.settings.total_dm == run.live.distance_mm // 100 > total_before
    assert len(run.measurements()) == 5 and run.per.errors == 0
    assert run.ask(b"\x04") == (4, control.RESULT_SUCCESS, b"\x02")  # still answering


def test_empty_write_and_writes_to_read_only_values(tmp_path):
    run = Run(tmp_path)
    run.connect()
    assert run.ask(b"") == (0, control.RESULT_NOT_SUPPORTED, b"")
    with pytest.raises(AttError) as e:
        run.watch.write(gatt.RSC_FEATURE_UUID, b"\x00\x00")
    assert e.value.code == 0x03  # Write Not Permitted, from the stack
    with pytest.raises(AttError) as e:
        run.watch.read(gatt.RSC_MEASUREMENT_UUID)
    assert e.value.code == 0x02  # notify only


def test_set_cumulative_value_and_settings_survive_a_reboot(tmp_path):
    run = Run(tmp_path)
    run.connect()
    run.seconds(2)
    assert run.ask(central.encode_request(control.OP_SET_CUMULATIVE, 50000))[1] == 1
    run.seconds(3)  # 4 or 5 strides of 2 m more
    total = run.measurements()[-1][4]
    assert 50000 + 80 <= total <= 50000 + 100
    run.watch.disconnect()
    run.seconds(1)  # saved at the tick after the disconnect, not inside the radio event
    again = Settings(run.settings_path).load()
    assert again.total_dm == run.per.settings.total_dm >= total


def test_calibration_with_standard_op_codes(tmp_path):
    factors = []
    run = Run(tmp_path, factor_hook=factors.append)
    run.connect()
    run.seconds(1)
    start = run.per.settings.total_dm
    assert run.ask(b"\x02") == (2, control.RESULT_SUCCESS, b"")
    run.seconds(60)  # the insole measured ~180 m
    measured = run.per.settings.total_dm - start
    known = measured * 11 // 10  # but the track says 10 % more
    assert run.ask(central.encode_request(control.OP_SET_CUMULATIVE, start + known))[1] == 1
    assert run.per.last_calibration == (measured, known, 1000 * known // measured)
    assert factors == [1100] and run.per.settings.stride_factor == 1100
    assert run.per.settings.total_dm == start + known
    run.seconds(1)
    assert Settings(run.settings_path).load().stride_factor == 1100


def test_implausible_calibration_is_dropped(tmp_path):
    factors = []
    run = Run(tmp_path, factor_hook=factors.append)
    run.connect()
    run.ask(b"\x02")
    run.seconds(60)
    run.ask(central.encode_request(control.OP_SET_CUMULATIVE, 0))  # a watch resetting to 0
    assert factors == [] and run.per.settings.stride_factor == 1000
    assert run.per.last_calibration[2] == 0 and run.per.settings.total_dm == 0


class FlakyRadio(SimRadio):
    """A stack whose notify and advertise calls fail every third time."""

    calls = 0

    def _maybe_fail(self):
        self.calls += 1
        if self.calls % 3 == 0:
            raise OSError(-1, "simulated stack error")

    def notify(self, conn, handle, data):
        self._maybe_fail()
        super().notify(conn, handle, data)

    def advertise(self, adv_data, resp_data=None):
        self._maybe_fail()
        super().advertise(adv_data, resp_data)


def test_a_failing_stack_never_stops_the_counting(tmp_path):
    run = Run(tmp_path, radio=FlakyRadio(clock=lambda: run.t))
    run.seconds(3)
    run.connect()
    run.seconds(6)
    assert run.per.errors >= 3 and isinstance(run.per.last_error, OSError)
    assert 2 <= len(run.measurements()) < 6
    assert run.per.settings.total_dm == run.live.distance_mm // 100
    assert run.live.steps == 2 * len(range(500, 9001, 667))


def test_battery_level_is_readable_and_notified(tmp_path):
    run = Run(tmp_path)
    run.connect(cp=False)
    run.watch.subscribe(gatt.BATTERY_LEVEL_UUID)
    run.per.set_battery(57)
    assert run.watch.read(gatt.BATTERY_LEVEL_UUID) == b"\x39"
    assert run.watch.received(gatt.BATTERY_LEVEL_UUID)[-1][1] == b"\x39"


def test_a_calibration_over_less_than_50_m_is_dropped(tmp_path):
    # over a short distance, a step more or less is several per cent: no factor from it
    factors = []
    run = Run(tmp_path, factor_hook=factors.append)
    run.connect()
    run.seconds(1)
    start = run.per.settings.total_dm
    run.ask(b"\x02")
    run.seconds(8)
    measured = run.per.settings.total_dm - start
    assert 0 < measured < 500, measured  # under 50 m
    run.ask(central.encode_request(control.OP_SET_CUMULATIVE, start + measured * 11 // 10))
    assert factors == [] and run.per.settings.stride_factor == 1000
    assert run.per.last_calibration[2] == 0
