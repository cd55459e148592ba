"""python -m host_tools COMMAND ...: Footfall's laptop tools. `--help` on each command."""

import argparse
import os
import sys

from . import ROOT  # noqa: F401  (puts firmware/ on sys.path)
from .trace import TraceError


def cmd_replay(args):
    from .replay import list_traces, replay_file, replay_many
    from .summary import format_summary, summarize

    if os.path.isdir(args.trace):
        paths = list_traces(args.trace)
        if not paths:
            raise TraceError(args.trace, 0, "no trace files (*.csv) in this folder")
        out = args.events or os.path.join(args.trace, "events")
        results = replay_many(
            paths, out, args.engine, args.stride_factor, args.jobs, args.accel_only, True
        )
        failed = [r for r in results if isinstance(r, TraceError)]
        for r in results:
            if not isinstance(r, TraceError):
                print(format_summary(summarize(r)))
        print(
            "events written to %s (%d of %d traces)"
            % (out, len(results) - len(failed), len(results))
        )
        for e in failed:  # each bad trace named; the others are replayed all the same
            print("error: %s" % e, file=sys.stderr)
        return 2 if failed else 0
    r = replay_file(
        args.trace, args.events, args.engine, args.stride_factor, accel_only=args.accel_only
    )
    print(format_summary(summarize(r)))
    if args.events:
        print("events written to %s" % args.events)
    return 0


def cmd_convert(args):
    from .datasets import convert

    for path in convert(args.source, args.out):
        print(path)
    return 0


def cmd_import(args):
    from .csv_import import import_csv

    meta = {k: v for k, v in (("foot", args.foot), ("placement", args.placement)) if v}
    tr = import_csv(
        args.source,
        args.out,
        args.acc,
        args.gyro,
        args.time,
        args.rate,
        args.delimiter,
        args.skip,
        not args.no_header,
        meta,
    )
    print(
        "%s: %d samples, %.1f s at %d Hz, %s"
        % (
            args.out,
            len(tr.t_ms),
            tr.t_ms[-1] / 1000.0,
            tr.rate_hz,
            "with gyro" if tr.has_gyro else "accelerometer only",
        )
    )
    return 0


def cmd_evaluate(args):
    from .evaluate import evaluate_paths
    from .evaluate_csv import match_rows, matches_csv, scores_csv
    from .evaluate_table import format_report
    from .outfiles import atomic_write, check_output

    inputs = (args.events, args.truth)
    for out in (args.csv, args.matches):
        if out:
            check_output(out, inputs)
    matches = []
    report = evaluate_paths(
        args.events,
        args.truth,
        lambda text: print("note: " + text, file=sys.stderr),
        (lambda name, e, t: matches.extend(match_rows(name, e, t))) if args.matches else None,
    )
    print(format_report(report, per_trace=not args.quiet))
    if args.csv:
        atomic_write(args.csv, scores_csv(report))
    if args.matches:
        atomic_write(args.matches, matches_csv(matches))
    return 0


def cmd_plot(args):
    from .plot import plot_trace

    # by default the picture is named after the trace, in the current folder
    out = args.out or os.path.splitext(os.path.basename(args.trace))[0] + ".png"
    plot_trace(args.trace, args.events, out, args.start, args.seconds)
    print(out)
    return 0


def cmd_accuracy(args):
    from .accuracy import main as accuracy_main

    return accuracy_main(args)


def build_parser():
    p = argparse.ArgumentParser(prog="python -m host_tools", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("replay", help="replay a trace (or a folder of traces) through the engine")
    r.add_argument("trace", help="footfall trace v1 CSV, or a folder of them")
    r.add_argument("--events", help="write the detected steps here (a folder for a folder)")
    r.add_argument("--engine", choices=("cpython", "micropython"), default="cpython")
    r.add_argument(
        "--stride-factor",
        type=int,
        default=1000,
        help="per-user stride calibration, per mille (default 1000)",
    )
    r.add_argument("--jobs", type=int, default=None, help="processes for a folder (all cores)")
    r.add_argument(
        "--accel-only",
        action="store_true",
        help="ignore the gyro, as a board with an accelerometer alone would",
    )
    r.set_defaults(func=cmd_replay)

    c = sub.add_parser("convert", help="convert shared recordings into traces and truth files")
    c.add_argument("source", help="a PyShoe trial CSV, a gaitmap IMU CSV, or a folder of them")
    c.add_argument("out", help="output folder")
    c.set_defaults(func=cmd_convert)

    i = sub.add_parser(
        "import",
        help="turn any CSV of foot IMU samples into a trace (columns and units named)",
        description="Columns are header names or numbers from 1; units: time s, ms, us, ns; "
        "acceleration g, mg, m/s2; rotation dps, rad/s. Example: import run.csv run_trace.csv "
        "--time time:s --acc ax,ay,az:m/s2 --gyro gx,gy,gz:rad/s --foot right",
    )
    i.add_argument("source", help="a CSV file with one sample per row")
    i.add_argument("out", help="the trace to write (footfall trace v1)")
    i.add_argument("--acc", required=True, help="X,Y,Z:UNIT, the acceleration columns")
    i.add_argument("--gyro", help="X,Y,Z:UNIT, the rotation columns (none: no gyro)")
    i.add_argument("--time", help="COLUMN:UNIT, the time column (or give --rate)")
    i.add_argument("--rate", type=float, help="sample rate in Hz (times from it, without --time)")
    i.add_argument("--delimiter", help="cell separator (default: , ; or tab, as the header has)")
    i.add_argument("--skip", type=int, default=0, help="lines to skip before the header row")
    i.add_argument("--no-header", action="store_true", help="no header row: columns by number")
    i.add_argument("--foot", choices=("left", "right"), help="which foot, for the metadata")
    i.add_argument("--placement", help="where the sensor sat: insole, shoe_top, shoe_lateral...")
    i.set_defaults(func=cmd_import)

    e = sub.add_parser("evaluate", help="score events against truth files")
    e.add_argument("events", help="events CSV, or a folder of *.events.csv")
    e.add_argument("truth", help="truth CSV, or a folder of *.truth.csv")
    e.add_argument("--quiet", action="store_true", help="overall table only")
    e.add_argument("--csv", help="also write the scores, per trace and per group, to this CSV")
    e.add_argument(
        "--matches",
        help="write every reference contact (hit or missed) and every extra detection to this CSV",
    )
    e.set_defaults(func=cmd_evaluate)

    pl = sub.add_parser("plot", help="draw a trace with its detected events to a PNG")
    pl.add_argument("trace")
    pl.add_argument("--events", help="events CSV (replayed on the fly if omitted)")
    pl.add_argument("--out", help="picture to write (.png, .svg, .pdf); default: TRACE.png here")
    pl.add_argument("--start", type=float, default=0.0, help="seconds from the start")
    pl.add_argument("--seconds", type=float, default=None, help="length of the window")
    pl.set_defaults(func=cmd_plot)

    a = sub.add_parser("accuracy", help="convert, replay and score every shared recording")
    a.add_argument("--datasets", default=os.path.join(os.path.dirname(ROOT), "shared", "datasets"))
    a.add_argument("--work", default=os.path.join(ROOT, "build", "accuracy"))
    a.set_defaults(func=cmd_accuracy)

    from . import monitor, simulate

    simulate.add_parser(sub)
    monitor.add_parser(sub)

    from . import deploy, pull, virtual_board

    pull.add_parser(sub)
    virtual_board.add_parser(sub)
    deploy.add_parser(sub)
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C: outputs are whole files or none (outfiles.py)
        print("interrupted", file=sys.stderr)
        return 130
    except ModuleNotFoundError as e:
        # a Python without the project's pinned packages (plain `python`, not the venv's)
        print(
            "error: %s: run the tools with the project's environment, "
            "`.venv/bin/python -m host_tools ...` (`make venv` creates it)" % e,
            file=sys.stderr,
        )
        return 2
    except (TraceError, ValueError, RuntimeError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
