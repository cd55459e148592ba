# Runs under the MicroPython unix port: the BLE payload modules, live.py and the simulated
# radio, with plain asserts. usage: MICROPYPATH=firmware micropython tests/upy/test_ble_upy.py
import os
from array import array

import micropython
from footfall.ble import adv, central, control, form, gatt, info, rsc
from footfall.ble.hci_log import HciLog
from footfall.ble.peripheral import RscPeripheral
from footfall.ble.settings import Settings
from footfall.ble.sim_central import SimCentral
from footfall.ble.sim_radio import SimRadio
from footfall.gait import record as R
from footfall.live import LiveMetrics

# the unix port's scratch files, removed before and after
_PCAP = "/tmp/footfall_upy.pcap"
_SETTINGS = "/tmp/footfall_upy_settings.json"


def check_measurement():
    buf = bytearray(rsc.MEASUREMENT_MAX)
    n = rsc.encode_measurement(buf, 3000, 180, 1200, 12345, True)
    assert bytes(buf[:n]) == bytes.fromhex("07 00 03 b4 78 00 39 30 00 00"), buf
    assert central.decode_measurement(buf[:n]) == (7, 768, 180, 120, 12345)
    # clamped, never wrapped
    n = rsc.encode_measurement(buf, 10**6, 999, 10**7, 2**40, False)
    assert central.decode_measurement(buf[:n]) == (3, 0xFFFF, 255, 0xFFFF, 0xFFFFFFFF)


class Target:
    def __init__(self):
        self.total = None

    def set_total_distance(self, dm):
        self.total = dm
        return True

    def start_calibration(self):
        return True

    def set_location(self, loc):
        return True


def check_control_point():
    t = Target()
    cp = control.ControlPoint(t)
    rsp = cp.handle(central.encode_request(control.OP_SET_CUMULATIVE, 98765))
    assert central.decode_response(rsp) == (1, control.RESULT_SUCCESS, b""), bytes(rsp)
    assert t.total == 98765
    rsp = cp.handle(central.encode_request(control.OP_REQUEST_LOCATIONS))
    assert central.decode_response(rsp) == (4, control.RESULT_SUCCESS, rsc.SUPPORTED_LOCATIONS)
    assert central.decode_response(cp.handle(b"\x01\x02"))[1] == control.RESULT_INVALID_PARAMETER
    assert central.decode_response(cp.handle(b"\x7f"))[1] == control.RESULT_NOT_SUPPORTED


def check_payloads():
    data = adv.advertising_data("Footfall")
    assert len(data) <= 31
    assert central.find_ad(data, adv.AD_NAME_COMPLETE) == b"Footfall"
    b = adv.Broadcast()
    b.update(True, True, 3000, 1805, 1234, 250, 10, 5, 2)
    d = central.decode_broadcast(central.find_ad(b.data, adv.AD_MANUFACTURER))
    assert d["steps"] == 1234 and d["contact_ms"] == 250 and d["fore"] == 2, d
    buf = bytearray(form.FORM_SIZE)
    form.encode_form(buf, 70, 20, 10, 20, 240, 3100, -25)
    assert central.decode_form(buf)["angle_decideg"] == -25
    assert info.encode_battery(150) == b"\x64"
    assert gatt.uuid_bytes(form.FORM_SERVICE_UUID)[-1] == 0x73


def check_live_and_sim():
    live = LiveMetrics()
    rec = array("i", [R.UNKNOWN] * R.N_FIELDS)
    for k in range(10):
        rec[R.IC_MS] = 1000 + 667 * k
        rec[R.GCT_MS] = 230
        rec[R.STRIKE] = R.STRIKE_HEEL if k % 2 else R.STRIKE_FORE
        rec[R.CADENCE] = 1800
        rec[R.STRIDE_MM] = 2000
        rec[R.SPEED_MMPS] = 3000
        rec[R.ACTIVITY] = R.RUNNING
        live.add(rec)
    # no allocation per step or per second: both run with the heap locked
    micropython.heap_lock()
    try:
        live.add(rec)
        live.second(8000)
    finally:
        micropython.heap_unlock()
    assert live.steps == 22 and live.distance_mm == 22000 and live.cadence_spm == 180
    assert live.heel_pct == 55 and live.running  # 6 of 11
    now = [8000]
    _remove(_SETTINGS)  # a settings file left by an earlier run would change the totals
    f = open(_PCAP, "wb")
    log = HciLog(f)
    radio = SimRadio(log, lambda: now[0])
    phone = SimCentral(radio)
    per = RscPeripheral(radio, Settings(_SETTINGS)).start()
    phone.connect()
    phone.discover()
    phone.subscribe(gatt.RSC_MEASUREMENT_UUID)
    per.tick(8000, live)
    ((t, data),) = phone.received(gatt.RSC_MEASUREMENT_UUID)
    assert central.decode_measurement(data) == (7, 768, 180, 200, 220), data
    f.close()
    with open(_PCAP, "rb") as f:
        head = f.read(24)
    _remove(_PCAP)
    _remove(_SETTINGS)
    assert head[:4] == b"\xd4\xc3\xb2\xa1" and head[20] == 201, head
    assert log.packets > 20, log.packets


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


check_measurement()
check_control_point()
check_payloads()
check_live_and_sim()
print("ok")
