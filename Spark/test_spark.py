#!/usr/bin/env python3
"""`make test-spark`: the Spark driver must give the reports of one `frasario run`.

Checks, each against `frasario run` over the same inputs, byte for byte (every report but
timings.json), and that the driver leaves no temporary behind:
  1. Samples/ (a relative path) in 5 shards, partials streamed back to the driver (the folder
     listing skips a .csv file: its warning must reach the merged report);
  2. a generated corpus cut into 40 files, in 12 balanced shards, on local[2] (the driver makes
     it local[2,4]) with the count of shard 3 killed by SIGKILL on its first attempt, so
     Spark's retry is exercised;
  3. the same corpus with --partials-dir (executors write partials to a shared folder under
     attempt-unique names), one shard per file, merged by 4 tasks on the executors (one bucket
     of the n-grams each), ranked on the driver and quoted by 4 tasks on the executors (one
     group of partials each) before the driver finishes;
  4. local-cluster[2,1,1024], the code path of YARN and Kubernetes (separate executor
     processes, lexicons shipped as an archive): absolute inputs, a file:// URL naming a file
     already inside the folder (read once, as run does), a count and a quote task killed once
     and retried, and nothing but the partials left in the shared folder;
  5. file:// URLs read through Spark's binaryFiles, the code path of s3a:// and hdfs://;
  6. a count that fails on every attempt: exit status 1, one sentence naming the shard, its
     files and the signal.
The binary is the one shipped to executors (make spark-binary): it must not need Swift's runtime.
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


def driver(frasario, master, inputs, out, *extra, environment=None, check=True, temporary=None):
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
    print("+ " + " ".join(command), file=sys.stderr, flush=True)
    environment = dict(os.environ, **(environment or {}))
    if temporary:
        os.makedirs(temporary, exist_ok=True)
        environment["TMPDIR"] = temporary
    result = subprocess.run(command, env=environment, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(result.stderr)
    if check and result.returncode != 0:
        sys.exit(f"test-spark: FAIL: the driver exited with status {result.returncode}")
    if temporary:
        left = [name for name in os.listdir(temporary) if name.startswith("frasario-")]
        if left:
            sys.exit(f"test-spark: FAIL: the driver left temporaries behind: {', '.join(sorted(left))}")
    return result


def reference(frasario, inputs, out):
    run([frasario, "run", *inputs, "--out", out, "--lexicons", "Lexicons/es", "--no-history", "--quiet"], cwd=ROOT)


def main():
    frasario = os.path.abspath(sys.argv[1])
    # Executors need no Swift: the binary carries its standard library (make spark-binary).
    linked = subprocess.run(["ldd", frasario], capture_output=True, text=True).stdout
    if "libswift" in linked or "libFoundation" in linked:
        sys.exit(f"test-spark: FAIL: {frasario} needs the Swift runtime on the executors; build it with make spark-binary")
    work = tempfile.mkdtemp(prefix="frasario-test-spark-")
    temporary = f"{work}/tmp"
    # local-cluster workers keep their folders here rather than inside the pyspark package.
    os.environ["SPARK_WORKER_DIR"] = f"{work}/spark-worker"
    try:
        # 1. Samples, 5 shards.
        reference(frasario, ["Samples"], f"{work}/samples-run")
        driver(frasario, "local[2]", ["Samples"], f"{work}/samples-spark", "--shards", "5", temporary=temporary)
        same_reports(f"{work}/samples-run", f"{work}/samples-spark", "Samples/, 5 shards")

        # 2. A generated corpus in 40 files, 12 shards, one count killed once.
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
        reference(frasario, [corpus], f"{work}/corpus-run")
        print(
            "test-spark: the count of shard 3 is killed on its first attempt on purpose; Spark retries it.",
            file=sys.stderr,
        )
        killed = driver(
            frasario,
            "local[2]",
            [corpus],
            f"{work}/corpus-spark",
            "--shards",
            "12",
            environment={"FRASARIO_SPARK_KILL_ONCE": "3"},
            temporary=temporary,
        )
        same_reports(f"{work}/corpus-run", f"{work}/corpus-spark", "generated corpus, 12 shards, one count killed and retried")
        if "in 12 shard(s)" not in killed.stderr:
            sys.exit("test-spark: FAIL: 40 files were not split into 12 shards")

        # 3. Partials written to a shared folder, one shard per file; the merge runs as tasks on
        #    the executors, one bucket of the n-grams each (2 per core by default).
        shared = driver(
            frasario,
            "local[2]",
            [corpus],
            f"{work}/corpus-shared",
            "--shards",
            "40",
            "--partials-dir",
            f"{work}/partials",
            environment={"FRASARIO_SPARK_KILL_ONCE": "7"},
            temporary=temporary,
        )
        same_reports(f"{work}/corpus-run", f"{work}/corpus-shared", "partials in a shared folder, 40 shards, merged by 4 tasks")
        if "merged 4 bucket(s) on the executors" not in shared.stderr:
            sys.exit("test-spark: FAIL: with --partials-dir the merge did not run as 4 tasks on the executors")
        if "quoted on the executors" not in shared.stderr:
            sys.exit("test-spark: FAIL: with --partials-dir the examples were not quoted by tasks on the executors")
        partials = sorted(os.listdir(f"{work}/partials"))
        if len(partials) != 40 or "part-00007-attempt-1.frp" not in partials:
            sys.exit(f"test-spark: FAIL: expected 40 partials in the shared folder (shard 7 from its 2nd attempt), found {partials[:3]}…")

        # 4. A real cluster's code path: separate executors, absolute paths, a file:// URL of a
        #    file the folder already holds, a count killed once.
        repeated = f"{corpus}/llamadas-03.jsonl"
        reference(frasario, [corpus, repeated], f"{work}/cluster-run")
        cluster = driver(
            frasario,
            "local-cluster[2,1,1024]",
            [corpus, "file://" + repeated],
            f"{work}/cluster-spark",
            "--shards",
            "6",
            "--partials-dir",
            f"{work}/cluster-partials",
            # The executors are separate processes: they run this test's Python, with PySpark.
            environment={"FRASARIO_SPARK_KILL_ONCE": "2", "FRASARIO_SPARK_KILL_QUOTE_ONCE": "1", "PYSPARK_PYTHON": sys.executable},
            temporary=temporary,
        )
        same_reports(
            f"{work}/cluster-run", f"{work}/cluster-spark", "local-cluster[2,1,1024], absolute and file:// inputs, one count and one quote task killed"
        )
        if "quotes-00001 (attempt 2)" not in cluster.stderr:
            sys.exit("test-spark: FAIL: on local-cluster, quote task 1 was not run again after it was killed")
        if sorted(name for name in os.listdir(f"{work}/cluster-partials") if not name.startswith("part-")):
            sys.exit("test-spark: FAIL: the bucket results, quote plan or quote results were left in the shared folder")
        if "part-00002-attempt-1.frp" not in os.listdir(f"{work}/cluster-partials"):
            sys.exit("test-spark: FAIL: on local-cluster, shard 2 was not counted again after its count was killed")

        # 5. Storage-URL reading (binaryFiles, one partition per shard), on file:// URLs.
        urls = ["file://" + os.path.join(corpus, name) for name in sorted(os.listdir(corpus))[:10]]
        reference(frasario, [os.path.join(corpus, name) for name in sorted(os.listdir(corpus))[:10]], f"{work}/urls-run")
        driver(
            frasario, "local[2]", urls, f"{work}/urls-spark", "--shards", "3", "--fetch-through-spark", temporary=temporary
        )
        same_reports(f"{work}/urls-run", f"{work}/urls-spark", "file:// URLs read through Spark, 3 shards")

        # 6. A count that never succeeds: exit 1 and one sentence that says what and why.
        failed = driver(
            frasario,
            "local[2]",
            [corpus],
            f"{work}/failed",
            "--shards",
            "4",
            "--max-n",
            "99",
            check=False,
            temporary=temporary,
        )
        sentence = [line for line in failed.stderr.splitlines() if line.startswith("frasario_spark: counting failed: ")]
        if failed.returncode != 1 or not sentence or "shard" not in sentence[0] or "exited with status" not in sentence[0]:
            sys.exit(f"test-spark: FAIL: a failing count should end the driver with status 1 and one sentence, got {failed.returncode}: {sentence}")
        if os.path.exists(f"{work}/failed/report.json"):
            sys.exit("test-spark: FAIL: a failed distributed run wrote reports")
        print(f"test-spark: ok (a failing count): {sentence[0]}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("test-spark: all checks passed", file=sys.stderr)


if __name__ == "__main__":
    main()
