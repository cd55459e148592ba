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


def cmd_evaluate(args):
    from .evaluate import evaluate_paths, format_report

    report = evaluate_paths(
        args.events, args.truth, lambda text: print("note: " + text, file=sys.stderr)
    )
    print(format_report(report, per_trace=not args.quiet))
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

    e = sub.add_parser("evaluate", help="score events against truth files")
    e.add_argument("events", help="events CSV, or a folder of *.events.csv")
    e.add_argument("truth", help="truth CSV, or a folder of *.truth.csv")
    e.add_argument("--quiet", action="store_true", help="overall table only")
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
