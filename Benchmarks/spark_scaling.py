#!/usr/bin/env python3
"""The distributed run against `frasario run` on one machine: the same calls cut into FILES files,
`frasario run --threads 2`, then the Spark driver on local[1] and local[2] (1 and 2 executor cores)
with partials in a shared folder and the merge as tasks on the executors. Prints the phases'
seconds and checks the reports are byte-identical.

Usage: .venv-spark/bin/python Benchmarks/spark_scaling.py CORPUS.jsonl [--files 16] [--work DIR]
(make spark-binary first: the executors run .build/spark-build/frasario)
"""

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build/spark-build/frasario")
REPORTS = ["report.json", "phrases.csv", "categories.csv", "rejects.csv", "report.md", "digest.md"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--work", default=os.path.join(ROOT, ".build/spark-scaling"))
    args = parser.parse_args()
    lexicons = os.path.join(ROOT, "Lexicons/es")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(f"{args.work}/in")
    with open(args.corpus, encoding="utf-8") as handle:
        lines = handle.readlines()
    for index in range(args.files):
        with open(f"{args.work}/in/llamadas-{index:03d}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(lines[index :: args.files])
    megabytes = os.path.getsize(args.corpus) / 1e6
    started = time.monotonic()
    subprocess.run(
        [BIN, "run", f"{args.work}/in", "--out", f"{args.work}/run", "--lexicons", lexicons, "--no-history", "--quiet", "--threads", "2"],
        check=True,
    )
    reference = time.monotonic() - started
    print(f"{megabytes:.0f} MB in {args.files} files: frasario run, 2 threads: {reference:.1f} s", flush=True)
    for cores in (1, 2):
        out = f"{args.work}/spark-{cores}"
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                os.path.join(ROOT, "Spark/frasario_spark.py"),
                "--master",
                f"local[{cores}]",
                "--frasario",
                BIN,
                "--lexicons",
                lexicons,
                "--out",
                out,
                "--no-history",
                "--log-level",
                "ERROR",
                "--shards",
                str(args.files),
                "--merge-tasks",
                "4",
                "--partials-dir",
                f"{args.work}/partials-{cores}",
                f"{args.work}/in",
            ],
            capture_output=True,
            text=True,
        )
        total = time.monotonic() - started
        if result.returncode != 0:
            sys.exit(f"spark_scaling: the driver failed: {result.stderr[-2000:]}")
        phases = re.search(r"frasario_spark: counted .*", result.stderr)
        same = all(filecmp.cmp(f"{args.work}/run/{name}", f"{out}/{name}", shallow=False) for name in REPORTS)
        print(
            f"Spark local[{cores}]: {total:.1f} s in all ({total / reference:.2f}× frasario run); "
            f"{phases.group(0) if phases else '?'}; reports {'identical' if same else 'DIFFERENT'}",
            flush=True,
        )
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
