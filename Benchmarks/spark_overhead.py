#!/usr/bin/env python3
"""What a distributed run pays before it reads a byte: a Spark session on local[CORES] that runs
the driver's three jobs (SHARDS count tasks, MERGE merge tasks, MERGE quote tasks), each task
starting the executors' frasario (`--version`, so no work), then stops. This is the floor under
Spark/frasario_spark.py on this machine, whatever the input; with `--run-seconds`, it also says
how much of a 1.3× budget is left for the work itself.

Usage: .venv-spark/bin/python Benchmarks/spark_overhead.py [--cores 2] [--shards 16] [--merge 4]
       [--run-seconds 19.5]
(make spark-binary first: the tasks start .build/spark-build/frasario)
"""

import argparse
import os
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build/spark-build/frasario")


def start_binary(_):
    subprocess.run([BIN, "--version"], capture_output=True, check=True)
    return 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--merge", type=int, default=4)
    parser.add_argument("--run-seconds", type=float, help="frasario run's time on the same input, for the 1.3x budget")
    args = parser.parse_args()
    started = time.monotonic()
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{args.cores},4]")
        .appName("frasario-overhead")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    session = time.monotonic()
    jobs = []
    for name, tasks in (("count", args.shards), ("merge", args.merge), ("quote", args.merge)):
        before = time.monotonic()
        done = spark.sparkContext.parallelize(range(tasks), tasks).map(start_binary).sum()
        assert done == tasks
        jobs.append(f"{name} job of {tasks} task(s) {time.monotonic() - before:.2f} s")
    stopping = time.monotonic()
    spark.stop()
    ended = time.monotonic()
    floor = ended - started
    print(
        f"Spark local[{args.cores}] with no work: {floor:.1f} s in all: session start {session - started:.1f} s, "
        + ", ".join(jobs)
        + f", stop {ended - stopping:.1f} s"
    )
    if args.run_seconds:
        left = 1.3 * args.run_seconds - floor
        print(
            f"1.3x frasario run ({args.run_seconds:.1f} s) = {1.3 * args.run_seconds:.1f} s: {left:.1f} s left for the work "
            f"({left / args.run_seconds:.2f}x the time frasario run takes for all of it)"
        )


if __name__ == "__main__":
    main()
