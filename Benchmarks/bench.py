#!/usr/bin/env python3
"""`make bench`: throughput and memory of `frasario run` on generated and real Spanish calls,
side by side with what users would run instead (Python Counter, scikit-learn CountVectorizer).

Environment:
  BENCH_SIZES    generated corpus sizes in MB (default "10,100,1000")
  BENCH_PEERS    largest size, in MB, on which the Python peers run (default 10)
  BENCH_PYTHON   python with scikit-learn for the peers (make bench sets up .venv-bench)
  BENCH_MEMORY   --max-memory for every run (default "2G", the budget of the 1 GB target)
Results go to Benchmarks/results.json and a table on stdout.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build/release/frasario")
WORK = os.path.join(ROOT, ".build/bench")
SIZES = [float(size) for size in os.environ.get("BENCH_SIZES", "10,100,1000").split(",") if size]
PEERS_MAX = float(os.environ.get("BENCH_PEERS", "10"))
PEER_PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
MEMORY = os.environ.get("BENCH_MEMORY", "2G")

COUNTER_PEER = r"""
import sys, collections
counter = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    tokens = line.lower().split()
    for n in range(1, 5):
        counter.update(zip(*[tokens[i:] for i in range(n)]))
print(len(counter))
"""

SKLEARN_PEER = r"""
import sys
from multiprocessing import Pool
from sklearn.feature_extraction.text import CountVectorizer
def count(lines):
    matrix = CountVectorizer(ngram_range=(1, 4)).fit_transform(lines)
    return matrix.shape[1]
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
half = len(lines) // 2
with Pool(2) as pool:
    print(sum(pool.map(count, [lines[:half], lines[half:]])))
"""


def timed(command):
    """Runs a command; returns (seconds, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.monotonic()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.monotonic() - start
        peak = int(report.read().strip().splitlines()[-1]) / 1024
    return seconds, peak


def corpus(megabytes):
    jsonl = os.path.join(WORK, "gen-%gMB.jsonl" % megabytes)
    text = os.path.join(WORK, "gen-%gMB.txt" % megabytes)
    if not os.path.exists(jsonl):
        print("generating %g MB of calls…" % megabytes, file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                os.path.join(ROOT, "Benchmarks/generate_corpus.py"),
                "--megabytes",
                str(megabytes),
                "--seed",
                "7",
                "--jsonl",
                jsonl,
                "--text",
                text,
            ],
            check=True,
        )
    return jsonl, text


def phases():
    """Seconds of the last run's phases, and its workers' seconds per stage, from its timings.json."""
    with open(os.path.join(WORK, "out/timings.json")) as handle:
        timings = json.load(handle)
    return timings.get("read_count_match_seconds", 0), timings.get("level_count_seconds", 0), timings.get("stages", {})


def per_core(megabytes, seconds):
    """MB/s per core of a stage from its worker-seconds (summed over workers)."""
    return round(megabytes / seconds, 1) if seconds > 0 else None


def fisher_longtail(megabytes):
    """The Fisher ASR with a Zipfian long tail (Benchmarks/fisher_longtail.py), and its turns as text."""
    jsonl = os.path.join(WORK, "fisher-longtail-%gMB.jsonl" % megabytes)
    text = os.path.join(WORK, "fisher-longtail-%gMB.txt" % megabytes)
    if not os.path.exists(text):
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "Benchmarks/fisher_longtail.py"), jsonl, "--megabytes", str(megabytes)],
            check=True,
        )
        with open(jsonl, encoding="utf-8") as calls, open(text, "w", encoding="utf-8") as out:
            for line in calls:
                for turn in json.loads(line)["turns"]:
                    out.write(turn["text"] + "\n")
    return jsonl, text


def frasario(path, threads, lexicons=True):
    command = [
        BIN,
        "run",
        path,
        "--out",
        os.path.join(WORK, "out"),
        "--threads",
        str(threads),
        "--quiet",
        "--max-memory",
        MEMORY,
        # Each measurement is one night on its own: a shared history would make later runs
        # replace the night recorded by earlier ones and time that too.
        "--no-history",
    ]
    command += ["--lexicons", os.path.join(ROOT, "Lexicons/es")] if lexicons else ["--no-lexicons"]
    return timed(command)


def calls_in(path):
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip())


def measure(label, path, text, full_speedup=True, peers=False):
    megabytes = os.path.getsize(path) / 1e6
    calls = calls_in(path)
    whole2, rss2 = frasario(path, 2)
    with open(os.path.join(WORK, "out/report.json")) as report:
        error_bound = json.load(report)["summary"]["count_error_bound"]
    read_count2, longer2, stages = phases()
    count2, count_rss = frasario(path, 2, lexicons=False)
    row = {
        "corpus": label,
        "megabytes": round(megabytes, 1),
        "calls": calls,
        "max_memory": MEMORY,
        "count_error_bound": error_bound,
        "whole_seconds_2_threads": round(whole2, 2),
        "whole_mb_per_s": round(megabytes / whole2, 1),
        "whole_calls_per_s": round(calls / whole2),
        "peak_rss_mb": round(rss2),
        # Reading, normalizing, matching, counting words and pairs; then the longer phrases, level by level.
        "read_count_seconds_2_threads": round(read_count2, 2),
        "longer_phrases_seconds_2_threads": round(longer2, 2),
        "count_seconds_2_threads": round(count2, 2),
        "count_mb_per_s": round(megabytes / count2, 1),
        "count_peak_rss_mb": round(count_rss),
        # Each stage alone, timed inside the workers of the 2-thread run (MB of input per
        # second of one core): normalization, matching the default lexicons, counting words
        # and pairs in the read pass, writing the snippet spool.
        "normalize_mb_per_s_per_core": per_core(megabytes, stages.get("normalize", 0)),
        "lexicon_mb_per_s_per_core": per_core(megabytes, stages.get("lexicon", 0)),
        "count_pass_mb_per_s_per_core": per_core(megabytes, stages.get("count", 0)),
        "spool_mb_per_s_per_core": per_core(megabytes, stages.get("spool", 0)),
    }
    if full_speedup:
        whole1, _ = frasario(path, 1)
        count1, _ = frasario(path, 1, lexicons=False)
        row.update(
            {
                "whole_seconds_1_thread": round(whole1, 2),
                "speedup_1_to_2": round(whole1 / whole2, 2),
                "count_mb_per_s_1_thread": round(megabytes / count1, 1),
            }
        )
    if peers and text:
        for name, script in [("python_counter", COUNTER_PEER), ("sklearn_countvectorizer", SKLEARN_PEER)]:
            try:
                seconds, peak = timed([PEER_PYTHON, "-c", script, text])
            except subprocess.CalledProcessError:
                print("bench: %s did not run (is scikit-learn installed?)" % name, file=sys.stderr)
                continue
            row[name + "_seconds"] = round(seconds, 2)
            row[name + "_peak_rss_mb"] = round(peak)
            row[name + "_ratio"] = round(seconds / whole2, 1)
    return row


def main():
    os.makedirs(WORK, exist_ok=True)
    rows = []
    for megabytes in SIZES:
        jsonl, text = corpus(megabytes)
        rows.append(
            measure(
                "generated %g MB" % megabytes, jsonl, text, full_speedup=megabytes <= 100, peers=megabytes <= PEERS_MAX
            )
        )
        print_row(rows[-1])
    fisher = os.path.join(WORK, "fisher-x20.jsonl")
    if os.path.exists(os.path.join(ROOT, "../shared/data/fisher_dev.asr.es")):
        jsonl, text = fisher_longtail(20)
        rows.append(measure("Fisher ASR + long tail 20 MB", jsonl, text, peers=True))
        print_row(rows[-1])
        subprocess.run(["bash", os.path.join(ROOT, "Benchmarks/fisher_corpus.sh"), fisher, "20"], check=True)
        rows.append(measure("real ASR (Fisher ×20)", fisher, None))
        print_row(rows[-1])
    result = {
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "command": "make bench BENCH_SIZES=%s BENCH_MEMORY=%s" % (",".join("%g" % s for s in SIZES), MEMORY),
        "rows": rows,
    }
    with open(os.path.join(ROOT, "Benchmarks/results.json"), "w") as out:
        json.dump(result, out, indent=2, sort_keys=True)
        out.write("\n")
    print("results written to Benchmarks/results.json")


def print_row(row):
    print(
        "\n== %s: %.1f MB, %d calls, --max-memory %s (count error bound %d)"
        % (row["corpus"], row["megabytes"], row["calls"], row["max_memory"], row["count_error_bound"])
    )
    print(
        "  whole run, 2 threads      %7.2f s  %6.1f MB/s  %7d calls/s  peak RSS %d MB"
        % (row["whole_seconds_2_threads"], row["whole_mb_per_s"], row["whole_calls_per_s"], row["peak_rss_mb"])
    )
    print(
        "  counting alone, 2 threads %7.2f s  %6.1f MB/s  peak RSS %d MB"
        % (row["count_seconds_2_threads"], row["count_mb_per_s"], row["count_peak_rss_mb"])
    )
    print(
        "  of the whole run: read+count %.2f s, longer phrases level by level %.2f s"
        % (row["read_count_seconds_2_threads"], row["longer_phrases_seconds_2_threads"])
    )
    print(
        "  per core, each stage alone: normalization %s MB/s, lexicon %s MB/s, words+pairs counting %s MB/s, spool %s MB/s"
        % (
            row["normalize_mb_per_s_per_core"],
            row["lexicon_mb_per_s_per_core"],
            row["count_pass_mb_per_s_per_core"],
            row["spool_mb_per_s_per_core"],
        )
    )
    if "speedup_1_to_2" in row:
        print(
            "  1 thread: whole %.2f s; counting alone %.1f MB/s; speedup 1 → 2 threads %.2f×"
            % (row["whole_seconds_1_thread"], row["count_mb_per_s_1_thread"], row["speedup_1_to_2"])
        )
    for name, label in [
        ("python_counter", "Python Counter 1..4-grams"),
        ("sklearn_countvectorizer", "scikit-learn CountVectorizer(1,4), 2 processes"),
    ]:
        if name + "_seconds" in row:
            print(
                "  %-46s %7.2f s  peak RSS %d MB  → frasario is %.1f× faster (with far more work)"
                % (label, row[name + "_seconds"], row[name + "_peak_rss_mb"], row[name + "_ratio"])
            )


if __name__ == "__main__":
    main()
