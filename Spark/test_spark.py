#!/usr/bin/env python3
"""`make test-spark`: the Spark driver in local mode must give the reports of one `frasario run`.

Checks, each against `frasario run` over the same inputs, byte for byte (every report but
timings.json):
  1. Samples/ in 5 shards, partials streamed back to the driver (the folder listing skips a
     .csv file: its warning must reach the merged report);
  2. a generated corpus cut into 40 files, in 12 shards, on local[2,2] with the first attempt
     of shard 3 failing on purpose, so Spark's retry is exercised;
  3. the same corpus with --partials-dir (executors write partials to a shared folder), one
     shard per file.
Usage: python Spark/test_spark.py FRASARIO_BINARY
"""

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REPORTS = [
    "report.json",
    "phrases.csv",
    "categories.csv",
    "rejects.csv",
    "report.md",
    "report.html",
    "digest.md",
    "suggestions.yaml",
]


def run(command, **options):
    print("+ " + " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, check=True, **options)


def same_reports(expected, actual, label):
    different = [
        name
        for name in REPORTS
        if not filecmp.cmp(os.path.join(expected, name), os.path.join(actual, name), shallow=False)
    ]
    if different:
        sys.exit(f"test-spark: FAIL ({label}): {', '.join(different)} differ between frasario run and the Spark driver")
    print(f"test-spark: ok ({label}): {len(REPORTS)} reports byte-identical to frasario run", file=sys.stderr)


def driver(frasario, master, inputs, out, *extra, environment=None):
    command = [
        sys.executable,
        os.path.join(HERE, "frasario_spark.py"),
        "--master",
        master,
        "--frasario",
        frasario,
        "--lexicons",
        os.path.join(ROOT, "Lexicons/es"),
        "--out",
        out,
        "--no-history",
        "--log-level",
        "ERROR",
        *extra,
        *inputs,
    ]
    run(command, env=dict(os.environ, **(environment or {})), cwd=ROOT)


def main():
    frasario = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="frasario-test-spark-")
    try:
        # 1. Samples, 5 shards.
        run(
            [
                frasario,
                "run",
                "Samples",
                "--out",
                f"{work}/samples-run",
                "--lexicons",
                "Lexicons/es",
                "--no-history",
                "--quiet",
            ],
            cwd=ROOT,
        )
        driver(frasario, "local[2]", ["Samples"], f"{work}/samples-spark", "--shards", "5")
        same_reports(f"{work}/samples-run", f"{work}/samples-spark", "Samples/, 5 shards")

        # 2. A generated corpus in 40 files, 12 shards, one task failing once.
        corpus = f"{work}/corpus"
        os.makedirs(corpus)
        run(
            [
                sys.executable,
                os.path.join(ROOT, "Benchmarks/generate_corpus.py"),
                "--megabytes",
                "8",
                "--seed",
                "11",
                "--jsonl",
                f"{work}/generated.jsonl",
            ],
            stdout=subprocess.DEVNULL,
        )
        with open(f"{work}/generated.jsonl", encoding="utf-8") as handle:
            lines = handle.readlines()
        for index in range(40):
            with open(f"{corpus}/llamadas-{index:02d}.jsonl", "w", encoding="utf-8") as handle:
                handle.writelines(lines[index::40])
        run(
            [
                frasario,
                "run",
                corpus,
                "--out",
                f"{work}/corpus-run",
                "--lexicons",
                "Lexicons/es",
                "--no-history",
                "--quiet",
            ],
            cwd=ROOT,
        )
        print(
            "test-spark: shard 3 fails its first attempt on purpose; Spark retries it (the trace below is expected).",
            file=sys.stderr,
        )
        driver(
            frasario,
            "local[2,2]",
            [corpus],
            f"{work}/corpus-spark",
            "--shards",
            "12",
            environment={"FRASARIO_SPARK_FAIL_ONCE": "3"},
        )
        same_reports(f"{work}/corpus-run", f"{work}/corpus-spark", "generated corpus, 12 shards, one retried task")

        # 3. Partials written to a shared folder, one shard per file.
        driver(
            frasario,
            "local[2]",
            [corpus],
            f"{work}/corpus-shared",
            "--shards",
            "40",
            "--partials-dir",
            f"{work}/partials",
        )
        same_reports(f"{work}/corpus-run", f"{work}/corpus-shared", "partials in a shared folder, 40 shards")
        partials = sorted(os.listdir(f"{work}/partials"))
        if len(partials) != 40:
            sys.exit(f"test-spark: FAIL: expected 40 partials in the shared folder, found {len(partials)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("test-spark: all checks passed", file=sys.stderr)


if __name__ == "__main__":
    main()
