"""The RSC peripheral: every protocol decision, over one small radio interface.

Radio interface (radio_bluetooth, radio_ubluepy and sim_radio provide it):
  start(services, handler) -> value handles, one per characteristic in gatt.SERVICES order;
      the radio then calls handler.on_connect(conn), handler.on_disconnect(conn) and
      handler.on_write(conn, handle, data)
  advertise(adv_data, resp_data)   start, or refresh, connectable advertising
  set_value(handle, data)          the value a client reads
  notify(conn, handle, data)       a notification; the stack sends it only if the client
                                   enabled notifications in the CCCD
  indicate(conn, handle, data)     an indication
Any call may raise (OSError on a board): the peripheral counts it in .errors and carries on,
so a failed BLE operation never stops the counting.

Calibration, with standard op codes only: Start Sensor Calibration marks the total distance;
the runner covers a known distance; Set Cumulative Value with (mark + known distance) ends it.
The stride factor becomes factor * known / measured if that ratio is 0.5..2; otherwise the
calibration is dropped. Either way the total distance becomes the value written, as the spec
says. Settings are saved at the tick after such a change or a disconnect (radio events may
run in interrupt context: no file writes there), and every few minutes of running.

Recording Control (recording.py): a valid write calls on_record(op) with OP_STOP, OP_START or
OP_START_RAW; the app shows its state with set_recording(). on_record may run in interrupt
context too: it should only note the request.
"""

from micropython import const

from . import gatt
from .adv import Broadcast, advertising_data
from .control import ControlPoint
from .form import FORM_SIZE, encode_form
from .info import device_info, encode_battery
from .recording import decode_command, encode_state
from .rsc import (
    LOCATION_IN_SHOE,
    MEASUREMENT_MAX,
    encode_feature,
    encode_location,
    encode_measurement,
)
from .settings import STRIDE_FACTOR_MAX, STRIDE_FACTOR_MIN

_SAVE_EVERY_MS = const(300000)  # while the distance grows: at most one flash write per 5 min
_CAL_MIN_DM = const(500)  # a calibration run shorter than 50 m is too short to trust
_TOTAL_MAX = const(0xFFFFFFFF)  # the RSC total distance field, 0.1 m


class RscPeripheral:
    def __init__(
        self,
        radio,
        settings,
        name="Footfall",
        on_stride_factor=None,
        save_every_ms=_SAVE_EVERY_MS,
        on_record=None,
    ):
        self.radio = radio
        self.settings = settings
        self.on_stride_factor = on_stride_factor  # called with a new factor (per mille)
        self.on_record = on_record  # called with a Recording Control op code
        self.record_errors = 0  # Recording Control writes that were not a command
        self.save_every_ms = save_every_ms
        self.handles = ()  # value handles, filled by start()
        self.conn = None  # the connected central's handle, or None
        self.location = LOCATION_IN_SHOE
        self.battery = 100
        self.control = ControlPoint(self)  # the supported locations: rsc.SUPPORTED_LOCATIONS
        self._adv = advertising_data(name)
        self._bcast = Broadcast()
        self._meas = bytearray(MEASUREMENT_MAX)
        self._meas_mv = memoryview(self._meas)
        self._form = bytearray(FORM_SIZE)
        self._mark_mm = 0  # live distance already added to settings.total_dm
        self._cal_start_dm = -1  # total distance when a calibration started; -1: none running
        self._dirty = False  # the total distance changed since the last save
        self._save_due = False  # save at the next tick (events may run in interrupt context)
        self._last_save = 0
        self._now = 0
        self.last_calibration = None  # (measured dm, known dm, new factor or 0 if dropped)
        self.errors = 0  # radio operations that raised
        self.last_error = None
        self.connections = 0
        self.notifications = 0  # RSC measurements handed to the stack

    # ---- life cycle ---------------------------------------------------------------------
    def start(self):
        """Register the GATT table, set the readable values, start advertising."""
        handles = self.radio.start(gatt.SERVICES, self)
        if len(handles) != gatt.N_CHARACTERISTICS:
            raise ValueError(
                "radio.start returned %d handles, expected %d"
                % (len(handles), gatt.N_CHARACTERISTICS)
            )
        self.handles = handles
        manufacturer, model, firmware = device_info()
        self._set(gatt.RSC_FEATURE, encode_feature())
        self._set(gatt.SENSOR_LOCATION, encode_location(self.location))
        self._set(gatt.BATTERY_LEVEL, encode_battery(self.battery))
        self._set(gatt.MANUFACTURER, manufacturer)
        self._set(gatt.MODEL, model)
        self._set(gatt.FIRMWARE, firmware)
        self._set(gatt.RECORDING, encode_state(0, 0))
        self._advertise()
        return self

    def tick(self, now_ms, live):
        """Once a second, after live.second(): count distance, notify or advertise, save."""
        self._now = now_ms
        delta = live.distance_mm - self._mark_mm
        if delta >= 100:
            dm = delta // 100
            self._mark_mm += dm * 100
            total = self.settings.total_dm + dm
            self.settings.total_dm = total if total < _TOTAL_MAX else _TOTAL_MAX
            self._dirty = True
        if self.conn is not None:
            self._notify_live(live)
        else:
            self._bcast.update(
                live.running,
                live.moving,
                live.speed_mmps,
                live.cadence_x10,
                live.steps,
                live.contact_ms,
                live.heel,
                live.mid,
                live.fore,
            )
            self._advertise()
        if self._save_due or (self._dirty and now_ms - self._last_save >= self.save_every_ms):
            self._save()

    def _notify_live(self, live):
        n = encode_measurement(
            self._meas,
            live.speed_mmps,
            live.cadence_spm,
            live.stride_mm,
            self.settings.total_dm,
            live.running,
        )
        if self._notify(gatt.RSC_MEASUREMENT, self._meas_mv[:n]):
            self.notifications += 1
        encode_form(
            self._form,
            live.heel_pct,
            live.mid_pct,
            live.fore_pct,
            live.window,
            live.contact_ms,
            live.impact_mg,
            live.angle_decideg,
        )
        self._notify(gatt.FORM_MEASUREMENT, self._form)

    def set_battery(self, percent):
        data = encode_battery(percent)
        self.battery = data[0]
        self._set(gatt.BATTERY_LEVEL, data)
        if self.conn is not None:
            self._notify(gatt.BATTERY_LEVEL, data)

    # ---- radio events ---------------------------------------------------------------------
    def on_connect(self, conn):
        self.conn = conn
        self.connections += 1

    def on_disconnect(self, conn):
        if conn == self.conn:
            self.conn = None
        if self._dirty:
            self._save_due = True
        self._advertise()  # a stack stops advertising on connect; start again

    def on_write(self, conn, handle, data):
        if self.handles and handle == self.handles[gatt.RECORDING]:
            self._record_request(data)
            return
        if not self.handles or handle != self.handles[gatt.SC_CONTROL_POINT]:
            return
        response = self.control.handle(data)
        self._radio(self.radio.indicate, conn, handle, response)

    def _record_request(self, data):
        op = decode_command(data)
        if op < 0:
            self.record_errors += 1
        elif self.on_record is not None:
            try:
                self.on_record(op)
            except Exception as e:  # the app's hook failing must not stop the radio
                self.last_error = e

    def set_recording(self, state, session):
        """Show the recording state (recording.STATE_*) and session number to readers."""
        self._set(gatt.RECORDING, encode_state(state, session))

    # ---- SC Control Point target ----------------------------------------------------------
    def set_total_distance(self, dm):
        s = self.settings
        start = self._cal_start_dm
        if start >= 0:
            self._cal_start_dm = -1
            self._finish_calibration(s.total_dm - start, dm - start)
        s.total_dm = dm
        self._save_due = True
        return True

    def start_calibration(self):
        self._cal_start_dm = self.settings.total_dm
        return True

    def set_location(self, location):
        self.location = location
        self._set(gatt.SENSOR_LOCATION, encode_location(location))
        return True

    def _finish_calibration(self, measured_dm, known_dm):
        s = self.settings
        factor = 0
        if measured_dm >= _CAL_MIN_DM and measured_dm <= 2 * known_dm <= 4 * measured_dm:
            factor = s.stride_factor * known_dm // measured_dm
            if factor < STRIDE_FACTOR_MIN:
                factor = STRIDE_FACTOR_MIN
            elif factor > STRIDE_FACTOR_MAX:
                factor = STRIDE_FACTOR_MAX
            s.stride_factor = factor
            if self.on_stride_factor is not None:
                try:
                    self.on_stride_factor(factor)
                except Exception as e:  # the app's hook failing must not lose the setting
                    self.last_error = e
        self.last_calibration = (measured_dm, known_dm, factor)

    # ---- helpers ----------------------------------------------------------------------------
    def _save(self):
        if self.settings.save():
            self._dirty = False
            self._save_due = False
        self._last_save = self._now

    def _advertise(self):
        self._radio(self.radio.advertise, self._adv, self._bcast.data)

    def _set(self, index, data):
        self._radio(self.radio.set_value, self.handles[index], data)

    def _notify(self, index, data):
        return self._radio(self.radio.notify, self.conn, self.handles[index], data)

    def _radio(self, call, *args):
        # one radio operation; returns whether the stack took it. One that raises is counted
        # in .errors and the counting goes on
        try:
            call(*args)
        except Exception as e:
            self.errors += 1
            self.last_error = e
            return False
        return True
