#!/usr/bin/env python3
"""How `frasario merge` scales with the number of partials: the same calls cut into S shards
(S = 16, 128, 1024 by default), each counted into a partial, then one merge timed with its peak
memory, and its reports checked byte for byte against `frasario run` over the same files.

Usage: python3 Benchmarks/merge_scaling.py CORPUS.jsonl [--shards 16,128,1024] [--work DIR]
Prints per shard count: partials' size and its ratio to the input; then seconds, peak RSS and the
most files held open (sampled from /proc) of one merge, of a merge task (one bucket), of the quote
plan, of a quote task (one group of partials), and of the final merge from their results.
"""

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build/release/frasario")
REPORTS = ["report.json", "phrases.csv", "categories.csv", "rejects.csv", "report.md", "digest.md"]


def timed(command, sample_files=False):
    """Runs a command; returns (seconds, peak RSS MB, most open files seen or None)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.monotonic()
        process = subprocess.Popen(
            ["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        most = [0]

        def sample():
            while process.poll() is None:
                try:
                    children = open(f"/proc/{process.pid}/task/{process.pid}/children").read().split()
                    for child in children:
                        most[0] = max(most[0], len(os.listdir(f"/proc/{child}/fd")))
                except OSError:
                    pass
                time.sleep(0.05)

        sampler = threading.Thread(target=sample) if sample_files else None
        if sampler:
            sampler.start()
        _, errors = process.communicate()
        if sampler:
            sampler.join()
        if process.returncode != 0:
            sys.exit(f"merge_scaling: {' '.join(command[:2])} failed: {errors.decode()[-500:]}")
        seconds = time.monotonic() - start
        peak = int(report.read().strip().splitlines()[-1]) / 1024
    return seconds, peak, (most[0] if sample_files else None)


def run_parallel(commands, slots):
    """Runs commands `slots` at a time; returns wall seconds."""
    started = time.monotonic()
    running = []
    for command in commands:
        running.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        if len(running) >= slots and running.pop(0).wait() != 0:
            sys.exit(f"merge_scaling: {' '.join(command[:2])} failed")
    for process in running:
        if process.wait() != 0:
            sys.exit("merge_scaling: a command failed")
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--shards", default="16,128,1024")
    parser.add_argument("--buckets", type=int, default=4, help="merge tasks (buckets of the n-grams)")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build/merge-scaling"))
    args = parser.parse_args()
    lexicons = os.path.join(ROOT, "Lexicons/es")
    cores = os.cpu_count()
    with open(args.corpus, encoding="utf-8") as handle:
        lines = handle.readlines()
    size = os.path.getsize(args.corpus)
    for shards in [int(value) for value in args.shards.split(",")]:
        work = os.path.join(args.work, str(shards))
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(f"{work}/in")
        os.makedirs(f"{work}/partials")
        os.makedirs(f"{work}/buckets")
        for index in range(shards):
            with open(f"{work}/in/llamadas-{index:05d}.jsonl", "w", encoding="utf-8") as out:
                out.writelines(lines[index::shards])
        names = sorted(os.listdir(f"{work}/in"))
        partials = [f"{work}/partials/{name}.frp" for name in names]
        counted = run_parallel(
            [
                [BIN, "count", f"{work}/in/{name}", "--partial", partial, "--threads", "1", "--quiet", "--lexicons", lexicons, "--buckets", str(args.buckets)]
                for name, partial in zip(names, partials)
            ],
            cores,
        )
        partial_bytes = sum(os.path.getsize(path) for path in partials)
        common = ["--lexicons", lexicons, "--no-history", "--threads", "2"]
        single, single_peak, single_files = timed(
            [BIN, "merge", *partials, "--out", f"{work}/merged", *common], sample_files=True
        )
        # The cluster's way: one task per bucket (here `cores` at a time), then the final merge.
        task, task_peak, task_files = timed(
            [BIN, "merge", *partials, "--bucket", "0", "--bucket-out", f"{work}/buckets/0.frb", "--quiet"], sample_files=True
        )
        tasks = run_parallel(
            [
                [BIN, "merge", *partials, "--bucket", str(bucket), "--bucket-out", f"{work}/buckets/{bucket}.frb", "--quiet"]
                for bucket in range(args.buckets)
            ],
            cores,
        )
        results = [argument for bucket in range(args.buckets) for argument in ("--bucket-result", f"{work}/buckets/{bucket}.frb")]
        # Then the driver ranks once, quote tasks (one per group of partials) quote the examples,
        # and the final merge reads headers and results.
        plan, plan_peak, _ = timed([BIN, "merge", *partials, *results, "--quote-plan", f"{work}/plan.frq", *common, "--quiet"])
        groups = [partials[index * len(partials) // args.buckets : (index + 1) * len(partials) // args.buckets] for index in range(args.buckets)]
        quote_task, quote_peak, quote_files = timed(
            [BIN, "merge", *groups[0], "--quote", f"{work}/plan.frq", "--quote-out", f"{work}/quotes-0.frr", "--threads", "1", "--quiet"],
            sample_files=True,
        )
        quote_tasks = run_parallel(
            [
                [BIN, "merge", *group, "--quote", f"{work}/plan.frq", "--quote-out", f"{work}/quotes-{index}.frr", "--threads", "1", "--quiet"]
                for index, group in enumerate(groups)
            ],
            cores,
        )
        quoted = [argument for index in range(args.buckets) for argument in ("--quote-result", f"{work}/quotes-{index}.frr")]
        final, final_peak, final_files = timed(
            [BIN, "merge", *partials, *results, "--quote-from", f"{work}/plan.frq", *quoted, "--out", f"{work}/distributed", *common],
            sample_files=True,
        )
        subprocess.run(
            [BIN, "run", f"{work}/in", "--out", f"{work}/run", "--lexicons", lexicons, "--no-history", "--quiet"], check=True
        )
        same = all(
            filecmp.cmp(f"{work}/run/{name}", f"{work}/{merged}/{name}", shallow=False)
            for name in REPORTS
            for merged in ("merged", "distributed")
        )
        print(
            f"{shards:5d} shards: counted in {counted:6.1f} s; partials {partial_bytes / 1e6:7.1f} MB ({partial_bytes / size:.2f}× the input)\n"
            f"       one merge:            {single:6.2f} s, peak RSS {single_peak:6.0f} MB, at most {single_files} files open\n"
            f"       one bucket's task:    {task:6.2f} s, peak RSS {task_peak:6.0f} MB, at most {task_files} files open; "
            f"{args.buckets} tasks on {cores} cores {tasks:6.2f} s\n"
            f"       quote plan (driver):  {plan:6.2f} s, peak RSS {plan_peak:6.0f} MB\n"
            f"       one quote task:       {quote_task:6.2f} s, peak RSS {quote_peak:6.0f} MB, at most {quote_files} files open; "
            f"{args.buckets} tasks on {cores} cores {quote_tasks:6.2f} s\n"
            f"       final merge:          {final:6.2f} s, peak RSS {final_peak:6.0f} MB, at most {final_files} files open\n"
            f"       reports {'identical to run' if same else 'DIFFERENT from run'}",
            flush=True,
        )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
