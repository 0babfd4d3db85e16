#!/usr/bin/env python3
"""`make replay`: a fortnight of nights replayed into one history, timed and measured.

Generates NIGHTS nights of calls (Benchmarks/generate_corpus.py, one seed per night), runs
`frasario run` on each in date order with one shared history, and prints per night the input
size, the run time, the history file's growth and its exact phrase table (entries, bytes).
Usage: python3 Benchmarks/replay.py [--binary B] [--nights 14] [--megabytes 8] [--keep DIR]
"""

import argparse
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/frasario"))
    parser.add_argument("--nights", type=int, default=14)
    parser.add_argument("--megabytes", type=float, default=8)
    parser.add_argument("--keep", help="keep the nights, reports and history in this folder")
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="frasario-replay-")
    os.makedirs(work, exist_ok=True)
    history = os.path.join(work, "frasario.sqlite")
    if os.path.exists(history):
        os.remove(history)
    first = datetime.date(2026, 11, 9)
    print(f"replay: {args.nights} nights of {args.megabytes:g} MB generated calls, one history; {args.binary}")
    print(f"{'night':<11} {'input MB':>9} {'run s':>7} {'history +MB':>12} {'phrase table':>22}")
    total_seconds, total_input = 0.0, 0
    try:
        for night in range(args.nights):
            date = (first + datetime.timedelta(days=night)).isoformat()
            calls = os.path.join(work, date, "llamadas.jsonl")
            os.makedirs(os.path.dirname(calls), exist_ok=True)
            if not os.path.exists(calls):
                subprocess.run(
                    [
                        sys.executable,
                        os.path.join(HERE, "generate_corpus.py"),
                        "--megabytes",
                        str(args.megabytes),
                        "--seed",
                        str(100 + night),
                        "--jsonl",
                        calls,
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            size = os.path.getsize(calls)
            before = os.path.getsize(history) if os.path.exists(history) else 0
            started = time.monotonic()
            subprocess.run(
                [
                    args.binary,
                    "run",
                    calls,
                    "--out",
                    os.path.join(work, "out", date),
                    "--date",
                    date,
                    "--lexicons",
                    os.path.join(ROOT, "Lexicons/es"),
                    "--history",
                    history,
                    "--quiet",
                ],
                check=True,
            )
            seconds = time.monotonic() - started
            total_seconds += seconds
            total_input += size
            with sqlite3.connect(history) as db:
                entries, stored = db.execute(
                    "SELECT entries, length(figures) FROM phraseCalls WHERE date = ?", (date,)
                ).fetchone()
            growth = os.path.getsize(history) - before
            print(
                f"{date:<11} {size / 1e6:>9.1f} {seconds:>7.2f} {growth / 1e6:>12.2f} {entries:>10,} in {stored / 1e6:>5.2f} MB"
            )
        size = os.path.getsize(history)
        print(
            f"total: {total_input / 1e6:.0f} MB in {total_seconds:.1f} s; history {size / 1e6:.1f} MB, "
            f"{size / args.nights / 1e6:.2f} MB a night ({size / total_input:.0%} of the input)"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
