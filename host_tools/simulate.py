"""`python -m host_tools simulate TRACE.csv --pcap OUT.pcap`: the firmware's BLE path, on air.

A recorded trace is replayed through the same chain as on the insole: gait engine -> live
metrics (footfall.live) -> RSC peripheral (footfall.ble.peripheral) -> a simulated radio, with
a simulated central (a watch) that scans, connects, discovers the services, reads the feature
and location, enables notifications and indications, asks the control point for the supported
locations and then receives a measurement every second. Everything on the air is written to a
pcap (Bluetooth HCI H4 with direction, link type 201) that Wireshark opens and dissects.
"""

import math
import os
import tempfile
from array import array
from dataclasses import dataclass, field

from . import ROOT  # noqa: F401  (puts firmware/ on sys.path)
from .outfiles import check_output
from .replay import make_engine
from .trace import read_trace


@dataclass
class Tick:
    """What the firmware computed at one second of trace time."""

    t_ms: int
    speed_mmps: int
    cadence_spm: int
    stride_mm: int | None
    total_dm: int
    running: bool
    steps: int
    connected: bool


@dataclass
class Simulation:
    trace: str
    pcap: str
    ticks: list = field(default_factory=list)
    packets: int = 0
    central: object = None
    peripheral: object = None
    live: object = None


def simulate(
    trace_path,
    pcap_path,
    connect_at_s=2.0,
    disconnect_at_s=None,
    settings_path=None,
    stride_factor=None,
    name="Footfall",
):
    """Replay trace_path through the BLE path; write the capture to pcap_path."""
    from footfall.ble.settings import Settings

    trace = read_trace(trace_path)
    end_s = float(trace.t_ms[-1]) / 1000.0
    if not (math.isfinite(connect_at_s) and 0.0 <= connect_at_s < end_s):
        raise ValueError(
            "--connect-at: expected seconds from 0 to the trace's end, %.1f; got %g"
            % (end_s, connect_at_s)
        )
    if disconnect_at_s is not None and not (
        math.isfinite(disconnect_at_s) and connect_at_s < disconnect_at_s <= end_s
    ):
        raise ValueError(
            "--disconnect-at: expected seconds after --connect-at (%g) up to the trace's end, "
            "%.1f; got %g" % (connect_at_s, end_s, disconnect_at_s)
        )
    check_output(pcap_path, (trace_path, settings_path))  # before the run, not after it
    if settings_path:
        check_output(settings_path, (trace_path,))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(settings_path or os.path.join(tmp, "settings.json")).load()
        if settings.error:
            raise ValueError(settings.error)
        if stride_factor is not None:
            settings.stride_factor = stride_factor
        eng = make_engine(trace, trace.gyro_dps is not None, settings.stride_factor)
        part = pcap_path + ".part"
        try:
            with open(part, "wb") as f:
                sim = _run(trace, f, eng, settings, name, connect_at_s, disconnect_at_s)
            sim.pcap = pcap_path
            os.replace(part, pcap_path)
        except BaseException:
            if os.path.exists(part):  # a capture cut short is not left to be taken for one
                os.remove(part)
            raise
        if settings.error:  # the capture is whole, but what the insole keeps was not saved
            raise OSError(settings.error)
    return sim


def _run(trace, f, eng, settings, name, connect_at_s, disconnect_at_s):
    from footfall.ble import gatt
    from footfall.ble.central import encode_request
    from footfall.ble.control import OP_REQUEST_LOCATIONS
    from footfall.ble.hci_log import HciLog
    from footfall.ble.peripheral import RscPeripheral
    from footfall.ble.sim_central import SimCentral
    from footfall.ble.sim_radio import SimRadio
    from footfall.gait.record import N_FIELDS
    from footfall.live import LiveMetrics

    t, acc, gyro = trace.engine_input()
    live = LiveMetrics()
    now = [0]
    log = HciLog(f)
    radio = SimRadio(log, lambda: now[0], name=name)
    central = SimCentral(radio)

    def new_factor(factor):
        eng.stride_factor = factor

    per = RscPeripheral(radio, settings, name=name, on_stride_factor=new_factor)
    per.start()
    central.start_scan()
    sim = Simulation(trace.path, None, central=central, peripheral=per, live=live)
    rec = array("i", bytes(4 * N_FIELDS))
    cols = [t.tolist()] + [acc[:, k].tolist() for k in range(3)]
    if gyro is not None:
        cols += [gyro[:, k].tolist() for k in range(3)]
    next_tick = 1000
    state = {"connected_once": False}
    for sample in zip(*cols, strict=True):
        if eng.update(*sample):
            while eng.pop(rec):
                live.add(rec)
        if sample[0] >= next_tick:
            now[0] = sample[0]
            _scenario(
                central,
                now[0],
                connect_at_s,
                disconnect_at_s,
                state,
                gatt,
                encode_request(OP_REQUEST_LOCATIONS),
            )
            _tick(sim, per, live, now[0])
            next_tick += 1000
    eng.flush()
    while eng.pop(rec):
        live.add(rec)
    now[0] = int(t[-1]) + 1
    _tick(sim, per, live, now[0])
    sim.packets = log.packets
    return sim


def _scenario(central, t_ms, connect_at_s, disconnect_at_s, state, gatt, locations_request):
    from footfall.ble.form import FORM_MEASUREMENT_UUID

    if central.connected:
        if disconnect_at_s is not None and t_ms >= disconnect_at_s * 1000:
            central.disconnect()
            central.start_scan()
        return
    if state["connected_once"] or t_ms < connect_at_s * 1000:
        return
    state["connected_once"] = True
    central.connect()
    central.discover()
    for uuid in (
        gatt.RSC_FEATURE_UUID,
        gatt.SENSOR_LOCATION_UUID,
        gatt.BATTERY_LEVEL_UUID,
        gatt.MANUFACTURER_UUID,
        gatt.MODEL_UUID,
        gatt.FIRMWARE_UUID,
    ):
        central.read(uuid)
    central.subscribe(gatt.RSC_MEASUREMENT_UUID)
    central.subscribe(FORM_MEASUREMENT_UUID)
    central.subscribe(gatt.SC_CONTROL_POINT_UUID, notify=False, indicate=True)
    central.write(gatt.SC_CONTROL_POINT_UUID, locations_request)


def _tick(sim, per, live, t_ms):
    live.second(t_ms)
    per.tick(t_ms, live)
    sim.ticks.append(
        Tick(
            t_ms,
            live.speed_mmps,
            live.cadence_spm,
            live.stride_mm,
            per.settings.total_dm,
            live.running,
            live.steps,
            per.conn is not None,
        )
    )


def add_parser(subparsers):
    """Register `simulate` on the host_tools argument parser."""
    p = subparsers.add_parser(
        "simulate", help="run the BLE path over a trace and write a Wireshark capture"
    )
    p.add_argument("trace", help="footfall trace v1 CSV")
    p.add_argument("--pcap", required=True, help="capture to write (pcap, HCI H4, link type 201)")
    p.add_argument(
        "--connect-at",
        type=float,
        default=2.0,
        metavar="S",
        help="seconds of advertising before the simulated watch connects (default 2)",
    )
    p.add_argument(
        "--disconnect-at",
        type=float,
        default=None,
        metavar="S",
        help="the watch disconnects at this time and scans again",
    )
    p.add_argument(
        "--settings",
        default=None,
        help="the insole's settings file (kept between runs); default: a fresh one",
    )
    p.add_argument(
        "--stride-factor",
        type=int,
        default=None,
        help="override the stride calibration, per mille",
    )
    p.set_defaults(func=cmd_simulate)
    return p


def cmd_simulate(args):
    sim = simulate(
        args.trace,
        args.pcap,
        args.connect_at,
        args.disconnect_at,
        args.settings,
        args.stride_factor,
    )
    from footfall.ble import gatt

    c = sim.central
    notes = len(c.received(gatt.RSC_MEASUREMENT_UUID)) if c.characteristics else 0
    last = sim.ticks[-1]
    print(
        "%s: %d s, %d steps, %.1f m total distance"
        % (os.path.basename(sim.trace), len(sim.ticks), last.steps, last.total_dm / 10)
    )
    print(
        "on air: %d advertising reports, %d RSC measurements, %d indications"
        % (len(c.adv_reports), notes, len(c.indications))
    )
    print("capture: %s (%d packets; open it in Wireshark)" % (sim.pcap, sim.packets))
    return 0
