"""`simulate`: a replayed trace through the BLE path, checked with Wireshark's own dissector."""

import argparse
import json
import os
import shutil
import struct
import subprocess

import pytest

from host_tools import simulate
from host_tools.synth_trace import write_running_trace
from host_tools.trace import TraceError

EPOCH_S = 1700000000  # footfall.ble.hci_log's simulated t=0


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sim")
    trace = write_running_trace(str(tmp / "run.csv"), seconds=30)
    sim = simulate.simulate(trace, str(tmp / "run.pcap"), connect_at_s=3, disconnect_at_s=25)
    return sim


def tshark(pcap, *args):
    exe = shutil.which("tshark")
    if exe is None:
        pytest.skip(
            "tshark is not installed (Debian: apt-get install tshark); the Wireshark "
            "dissector check needs it"
        )
    done = subprocess.run([exe, "-r", pcap, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def fields(pcap, display_filter, *names):
    args = ["-Y", display_filter, "-T", "fields", "-E", "separator=/t"]
    for n in names:
        args += ["-e", n]
    out = tshark(pcap, *args)
    return [line.split("\t") for line in out.splitlines() if line.strip()]


def test_the_capture_is_pcap_with_h4_and_direction(run):
    with open(run.pcap, "rb") as f:
        head = f.read(24)
    magic, major, minor, _, _, snaplen, linktype = struct.unpack("<IHHiIII", head)
    assert (magic, major, minor, linktype) == (0xA1B2C3D4, 2, 4, 201)
    assert run.packets > 100


def test_wireshark_reads_the_measurements_the_replay_computed(run):
    rows = fields(
        run.pcap,
        "btatt.opcode == 0x1b && btatt.uuid16 == 0x2a53",
        "frame.time_epoch",
        "btatt.rsc_measurement.instantaneous_speed",
        "btatt.rsc_measurement.instantaneous_cadence",
        "btatt.rsc_measurement.instantaneous_stride_length",
        "btatt.rsc_measurement.total_distance",
        "btatt.rsc_measurement.flags.type_of_movement",
    )
    ticks = {t.t_ms: t for t in run.ticks}
    connected = [t for t in run.ticks if t.connected and t.t_ms > 3500]
    assert len(rows) >= len(connected) >= 15
    moving = 0
    for when, speed, cadence, stride, total, running in rows:
        t_ms = round((float(when) - EPOCH_S) * 1000)
        tick = ticks[t_ms]  # every notification belongs to a one-second tick
        assert int(speed) == (tick.speed_mmps * 256 + 500) // 1000
        assert int(cadence) == tick.cadence_spm
        if tick.stride_mm is None:
            assert stride == ""
        else:
            assert int(stride) == (tick.stride_mm + 5) // 10
        assert int(total) == tick.total_dm
        assert int(running, 16) == int(tick.running)
        moving += tick.cadence_spm > 0
    assert moving >= 10  # the trace is a run: most measurements show one
    assert int(rows[-1][4]) == max(t.total_dm for t in run.ticks if t.connected) > 500


def test_wireshark_sees_the_advertised_name_uuid_and_appearance(run):
    rows = fields(
        run.pcap,
        "bthci_evt.le_meta_subevent == 0x02 && btcommon.eir_ad.entry.uuid_16",
        "btcommon.eir_ad.entry.device_name",
        "btcommon.eir_ad.entry.uuid_16",
        "btcommon.eir_ad.entry.appearance",
    )
    assert rows and all(r == ["Footfall", "0x1814", "0x0441"] for r in rows)
    # the broadcast rides in the scan responses, after the disconnect too
    rows = fields(
        run.pcap,
        "btcommon.eir_ad.entry.company_id == 0xffff",
        "frame.time_epoch",
        "btcommon.eir_ad.entry.data",
    )
    assert len(rows) >= len(run.central.adv_reports) - 1
    from footfall.ble.central import decode_broadcast_payload

    last = decode_broadcast_payload(bytes.fromhex(rows[-1][1]))
    assert last["version"] == 1 and last["steps"] == run.ticks[-1].steps > 50


def test_wireshark_follows_discovery_and_the_control_point(run):
    ops = {int(r[0], 16) for r in fields(run.pcap, "btatt", "btatt.opcode")}
    # Read By Group Type, Read By Type, Find Information, Read, Write, Indication, their
    # responses, and the error that ends each discovery
    assert {0x10, 0x11, 0x08, 0x09, 0x04, 0x05, 0x0A, 0x0B, 0x12, 0x13, 0x1D, 0x1E, 0x01} <= ops
    (ind,) = fields(
        run.pcap,
        "btatt.opcode == 0x1d",
        "btatt.sc_control_point.opcode",
        "btatt.sc_control_point.request_opcode",
        "btatt.sc_control_point.response_value",
    )
    assert ind == ["0x10", "0x04", "0x01"]
    (feature,) = fields(run.pcap, "btatt.rsc.feature", "btatt.rsc.feature")
    assert feature == ["0x001f"]
    (location,) = fields(
        run.pcap, "btatt.opcode == 0x0b && btatt.sensor_location", "btatt.sensor_location"
    )
    assert location == ["0x02"] or location == ["2"]
    cccd = fields(run.pcap, "btatt.opcode == 0x12 && btatt.uuid16 == 0x2902", "btatt.handle")
    assert len(cccd) == 3  # RSC measurement, form measurement, control point


def test_wireshark_finds_nothing_malformed(run):
    assert (
        fields(run.pcap, "_ws.malformed || _ws.expert.severity >= warning", "frame.number") == []
    )


def test_json_output_names_the_service(run):
    packets = json.loads(tshark(run.pcap, "-Y", "btatt.opcode == 0x1b", "-T", "json"))
    names = json.dumps(packets)
    assert "btatt.rsc_measurement.instantaneous_speed" in names
    assert "9043005b23c3439ba4f2d036f50b24de" in names.replace(":", "")


def test_disconnect_then_advertising_again(run):
    disconnected = [t for t in run.ticks if t.t_ms > 25500]
    assert disconnected and not any(t.connected for t in disconnected)
    assert run.central.adv_reports[-1][0] >= 26000  # advertising resumed after it
    assert run.peripheral.errors == 0


def test_command_line(tmp_path, capsys):
    trace = write_running_trace(str(tmp_path / "t.csv"), seconds=8)
    parser = argparse.ArgumentParser()
    simulate.add_parser(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "t.pcap"
    args = parser.parse_args(["simulate", trace, "--pcap", str(out), "--connect-at", "1"])
    assert args.func(args) == 0
    text = capsys.readouterr().out
    assert "capture: %s" % out in text and "RSC measurements" in text
    assert out.exists() and not (tmp_path / "t.pcap.part").exists()


def test_a_bad_trace_is_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("# footfall-trace v1\nt_ms,ax_mg\n0,1\n")
    with pytest.raises(TraceError, match="missing column ay_mg"):
        simulate.simulate(str(bad), str(tmp_path / "x.pcap"))
    assert not (tmp_path / "x.pcap").exists()


def test_an_unwritable_capture_is_refused_before_the_run_and_nothing_is_left(tmp_path):
    trace = write_running_trace(str(tmp_path / "run.csv"), seconds=3)
    with pytest.raises(OSError, match="missing.*no folder"):
        simulate.simulate(trace, str(tmp_path / "missing" / "x.pcap"))
    (tmp_path / "dir.pcap").mkdir()
    with pytest.raises(OSError, match="dir.pcap: cannot write: it is a folder"):
        simulate.simulate(trace, str(tmp_path / "dir.pcap"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.pcap", "run.csv"]


def test_a_run_that_fails_midway_leaves_no_capture(tmp_path, monkeypatch):
    trace = write_running_trace(str(tmp_path / "run.csv"), seconds=3)

    def broken(*args):
        raise RuntimeError("the radio fell over")

    monkeypatch.setattr(simulate, "_tick", broken)
    with pytest.raises(RuntimeError, match="fell over"):
        simulate.simulate(trace, str(tmp_path / "x.pcap"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.csv"]


def test_settings_that_cannot_be_kept_are_an_error_not_silence(tmp_path):
    trace = write_running_trace(str(tmp_path / "run.csv"), seconds=3)
    with pytest.raises(OSError, match="settings.json.*no folder"):
        simulate.simulate(
            trace, str(tmp_path / "x.pcap"), settings_path=str(tmp_path / "no" / "settings.json")
        )


@pytest.mark.parametrize(
    "connect, disconnect, words",
    [
        (-5.0, None, "--connect-at: expected seconds from 0 to the trace's end, 7.0; got -5"),
        (float("nan"), None, "--connect-at: expected seconds from 0"),
        (1000.0, None, "--connect-at: expected seconds from 0 to the trace's end, 7.0; got 1000"),
        (1.0, 0.5, "--disconnect-at: expected seconds after --connect-at (1) up to the trace's"),
        (1.0, -1.0, "--disconnect-at: expected seconds after"),
        (1.0, 60.0, "end, 7.0; got 60"),
    ],
)
def test_connect_and_disconnect_times_outside_the_trace_are_refused(
    tmp_path, connect, disconnect, words
):
    trace = write_running_trace(str(tmp_path / "run.csv"), seconds=3)  # 7 s with its start
    with pytest.raises(ValueError) as e:
        simulate.simulate(trace, str(tmp_path / "x.pcap"), connect, disconnect)
    assert words in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.csv"]


def test_a_pulled_trace_is_simulated_from_what_the_boards_engine_began_with(tmp_path):
    # a session pulled off a board gives the gyro offset and gravity its engine began from:
    # the simulation begins from them too, as the replay does, and counts the same distance
    from host_tools.replay import replay_file
    from host_tools.trace import read_trace, write_trace

    tr = read_trace(os.path.join(os.path.dirname(__file__), "data", "pyshoe_run_excerpt.csv"))
    cut = tr.t_ms >= 4500.0  # a session started mid-run
    t = tr.t_ms[cut] - tr.t_ms[cut][0]
    totals = {}
    for name, extra in (("given", {"gravity_mg": "-282,-14,-956"}), ("bare", {})):
        path = str(tmp_path / (name + ".csv"))
        write_trace(path, t, tr.acc_mg[cut], tr.gyro_dps[cut], dict(tr.meta, **extra))
        sim = simulate.simulate(path, str(tmp_path / (name + ".pcap")), connect_at_s=1)
        replayed = replay_file(path)
        assert sim.ticks[-1].steps == 2 * replayed.strides > 20
        totals[name] = (sim.ticks[-1].total_dm, replayed.distance_mm // 100)
    assert totals["given"][0] == totals["given"][1] != totals["bare"][0]
