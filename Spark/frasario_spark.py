#!/usr/bin/env python3
"""Frasario on Apache Spark: count shards of the transcripts on the executors, merge their partials.

The driver:
  1. lists the inputs with the rules of `frasario run` (`frasario inputs` for paths and file://
     URLs; Spark's Hadoop FileSystem for storage URLs such as s3a://, gs://, abfss://, hdfs://),
     each file once, and balances them into --shards shards (largest file first into the least
     loaded shard);
  2. ships the `frasario` binary (SparkFiles) and the lexicon folder as a zip archive
     (SparkContext.addArchive): executors need neither Swift nor the repository when the binary
     is linked with the static Swift standard library (`make spark-binary`);
  3. runs `frasario count SHARD --partial …` on each partition, with --max-memory derived from
     the executor's memory and cores. Paths are read by the executors themselves (relative
     paths from the driver's folder, which they must see); files behind storage URLs are read by
     Spark (binaryFiles, one partition per shard, no shuffle) into the task's scratch folder.
     A failed task is retried (spark.task.maxFailures, and local[N,F] for local masters); each
     attempt writes its partial under an attempt-unique name, atomically;
  4. collects the partials: streamed back to the driver (default), or, with --partials-dir on a
     filesystem every node shares (NFS, /dbfs…), only their locations, sizes and checksums;
  5. with --partials-dir, merges the n-grams on the executors (one bucket per merge task), ranks
     on the driver (`merge --quote-plan --await-quote-results`, which reads only the partials'
     headers and the bucket results) and quotes the examples on the executors (one group of
     partials per quote task);
  6. gives the quote results to that same driver merge, which finishes with them (without
     --partials-dir, a final `frasario merge` of the collected partials). The reports are byte
     for byte those of one `frasario run` over the same inputs. Temporaries are removed on
     success and on failure.

Run it with spark-submit, on a laptop:
    spark-submit --master 'local[*,4]' Spark/frasario_spark.py --frasario .build/release/frasario \
        --lexicons Lexicons/es --out reports/2026-11-21 --shards 8 /data/transcripts/2026-11-21
or on a cluster (YARN, Kubernetes, Databricks, EMR, Dataproc):
    spark-submit --master yarn --deploy-mode client Spark/frasario_spark.py \
        --frasario .build/spark/frasario --lexicons Lexicons/es \
        --out /reports/2026-11-21 --shards 200 s3a://contact-center/transcripts/2026-11-21/
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spark_plan  # noqa: E402  (the driver's planning, beside this script)
from spark_tasks import fetched_inputs, make_bucket_merger, make_counter, make_quote_task, partial_checksum  # noqa: E402


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="transcript files or folders: paths, file:// or storage URLs")
    parser.add_argument("--frasario", required=True, help="the frasario binary (shipped to the executors)")
    parser.add_argument("--out", required=True, help="folder for the reports, on the driver")
    parser.add_argument("--shards", type=int, default=0, help="number of shards (default: 2 per executor core)")
    parser.add_argument("--lexicons", help="lexicon folder (shipped to the executors); omit for no lexicons")
    parser.add_argument(
        "--partials-dir", help="a folder every node shares: partials are written there instead of streamed back"
    )
    parser.add_argument("--keep-partials", help="keep the streamed partials in this driver folder")
    parser.add_argument(
        "--merge-tasks",
        type=int,
        help="with --partials-dir: merge tasks on the executors, one bucket of the n-grams each (default: 2 per executor core; 0 merges on the driver)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads of each frasario count (one per task core)")
    parser.add_argument("--max-n", type=int)
    parser.add_argument(
        "--max-memory",
        help="count-table memory per task, e.g. 4G (default: half the executor memory over its concurrent tasks)",
    )
    parser.add_argument("--agent-speaker", action="append", default=[])
    parser.add_argument("--format")
    parser.add_argument("--min-count", type=int)
    parser.add_argument("--min-calls", type=int)
    parser.add_argument("--top", type=int)
    parser.add_argument("--date")
    parser.add_argument("--history")
    parser.add_argument("--no-history", action="store_true")
    parser.add_argument("--master", help="Spark master when not given by spark-submit, e.g. 'local[2]'")
    parser.add_argument("--log-level", default="WARN", help="Spark's log level (ERROR hides the retried tasks' traces)")
    parser.add_argument(
        "--fetch-through-spark",
        action="store_true",
        help="read file:// URLs through Spark's binaryFiles as storage URLs are (tests that code path)",
    )
    return parser.parse_args(argv)


def count_arguments(args, lexicons, max_memory, buckets):
    arguments = ["--threads", str(args.threads), "--quiet", "--max-memory", max_memory, "--buckets", str(buckets)]
    arguments += ["--lexicons", lexicons] if lexicons else ["--no-lexicons"]
    if args.max_n:
        arguments += ["--max-n", str(args.max_n)]
    for label in args.agent_speaker:
        arguments += ["--agent-speaker", label]
    if args.format:
        arguments += ["--format", args.format]
    return arguments


def plan_files(spark, args, frasario):
    """Every input file once, with the listing's warnings, as `frasario run` would read them."""
    def through_spark(path):
        return spark_plan.is_url(path) or (args.fetch_through_spark and path.startswith("file:"))

    local = [spark_plan.local_path(path) for path in args.inputs if not through_spark(path)]
    remote = [path for path in args.inputs if through_spark(path)]
    files, warnings = spark_plan.list_local(frasario, local, args.format) if local else ([], [])
    for url in remote:
        listed, skipped = spark_plan.list_remote(spark, url)
        files += listed
        warnings += skipped
    if remote:
        files, repeated = spark_plan.read_once(files)
        warnings += repeated
    return files, warnings, bool(remote)


def count_shards(context, shards, counter, remote):
    """The RDD of (shard, sequence, payload) records, one partition per shard."""
    if not remote:
        tasks = context.parallelize(list(enumerate(shards)), len(shards))
        return tasks.mapPartitions(lambda items: (record for shard, inputs in items for record in counter(shard, inputs)))
    # One binaryFiles RDD per shard, coalesced to one partition, then their union: partition i
    # is shard i, and no input byte crosses the network twice (no shuffle).
    parts = []
    for shard, paths in enumerate(shards):
        if paths:
            parts.append(context.binaryFiles(",".join(paths)).coalesce(1))
        else:
            parts.append(context.parallelize([], 1))
    union = context.union(parts)
    return union.mapPartitionsWithIndex(lambda index, pairs: counter(index, [], fetched_inputs(list(pairs))))


def collect_partials(results, args, keep):
    """Partials by shard: streamed into `keep`, or the shared folder's locations (checked)."""
    partials = {}
    if args.partials_dir:
        return collect_locations(results.collect(), "partial of shard")
    # Count every shard in parallel first (the partials wait in Spark's block store, on the
    # executors' disks), then stream them to the driver one partition at a time.
    from pyspark import StorageLevel

    results = results.persist(StorageLevel.DISK_ONLY)
    results.count()
    handles = {}
    try:
        for shard, sequence, payload in results.toLocalIterator():
            path = os.path.join(keep, f"part-{shard:05d}.frp")
            if sequence == 0:
                if shard in handles:
                    handles[shard].close()
                handles[shard] = open(path, "wb")
            handles[shard].write(payload)
            partials[shard] = path
    finally:
        for handle in handles.values():
            handle.close()
    return partials


def remove_stale_attempts(partials_dir, kept, prefix):
    """Files of failed attempts in the shared folder: only the collected ones stay."""
    for name in os.listdir(partials_dir):
        path = os.path.join(partials_dir, name)
        if name.startswith(prefix) and "-attempt-" in name and path not in kept:
            os.remove(path)


def collect_locations(records, kind):
    """(index, location) of files written by tasks to the shared folder, each checked."""
    located = {}
    for index, _, payload in records:
        path, size, checksum = payload.decode("utf-8").split("\t")
        if not os.path.exists(path) or os.path.getsize(path) != int(size) or partial_checksum(path) != checksum:
            raise RuntimeError(f"the {kind} {index} at {path} is not the one its task wrote")
        located[index] = path
    return located


def spark_failure(error):
    """The first line of a failed job's error that says what failed (our RuntimeError's sentence)."""
    text = str(error)
    for line in text.splitlines():
        if "RuntimeError: " in line:
            return line.split("RuntimeError: ", 1)[1].strip()
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def threshold_arguments(args):
    """The ranking thresholds: they decide what a merge keeps, so every merge task gets them."""
    arguments = []
    for option in ("min_count", "min_calls"):
        value = getattr(args, option)
        if value is not None:
            arguments += ["--" + option.replace("_", "-"), str(value)]
    return arguments


def merge_command(args, frasario, partials, warnings, bucket_results, plan=None):
    """The driver's merge. With `plan`, it writes the quote plan there, says so on stdout, and
    finishes once the quote results' paths are given on its stdin (`--await-quote-results`): one
    process, so the merged table is built once."""
    command = [frasario, "merge", *[partials[shard] for shard in sorted(partials)], "--out", args.out]
    for bucket in sorted(bucket_results):
        command += ["--bucket-result", bucket_results[bucket]]
    if plan:
        command += ["--quote-plan", plan, "--await-quote-results"]
    if args.lexicons:  # the partials name the lexicon by digest; the merge reads it once
        command += ["--lexicons", os.path.abspath(args.lexicons)]
    for warning in warnings:
        command += ["--listing-warning", warning]
    for option in ("top", "date", "history"):
        value = getattr(args, option)
        if value is not None:
            command += ["--" + option.replace("_", "-"), str(value)]
    if args.no_history:
        command.append("--no-history")
    return command + threshold_arguments(args)


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    from pyspark.sql import SparkSession

    # A killed driver (SIGTERM from a scheduler) still removes its temporaries.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    builder = (
        SparkSession.builder.appName("frasario")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.task.maxFailures", str(spark_plan.DEFAULT_ATTEMPTS))
    )
    if args.master:
        builder = builder.master(spark_plan.master_with_retries(args.master))
    for variable in ("FRASARIO_SPARK_KILL_ONCE", "FRASARIO_SPARK_KILL_QUOTE_ONCE"):  # make test-spark's retries
        if os.environ.get(variable):
            builder = builder.config(f"spark.executorEnv.{variable}", os.environ[variable])
    spark = builder.getOrCreate()
    context = spark.sparkContext
    context.setLogLevel(args.log_level)
    master = context.master
    if master.startswith("local[") and master.count(",") == 0:
        print(
            f"frasario_spark: warning: master {master} retries no failed task; use local[N,{spark_plan.DEFAULT_ATTEMPTS}].",
            file=sys.stderr,
        )
    started = time.time()
    temporaries = []
    try:
        frasario = os.path.abspath(args.frasario)
        files, warnings, remote = plan_files(spark, args, frasario)
        shards = spark_plan.split(files, args.shards or 2 * context.defaultParallelism)
        max_memory = args.max_memory or f"{spark_plan.task_memory(context.getConf(), master, context.defaultParallelism) >> 20}M"
        print(
            f"frasario_spark: {len(files)} file(s), {sum(size for _, size in files) / 1e6:.1f} MB, in {len(shards)} shard(s); --max-memory {max_memory} per task.",
            file=sys.stderr,
        )
        context.addFile(frasario)
        # The tasks' code: executors import it (cloudpickle pickles its functions by reference).
        context.addPyFile(os.path.join(HERE, "spark_tasks.py"))
        lexicon_archive = None
        if args.lexicons:
            # A folder cannot be shipped to a cluster's executors (addFile refuses local
            # folders there): a zip archive is, and each executor unpacks it.
            packing = tempfile.mkdtemp(prefix="frasario-lexicons-")
            temporaries.append(packing)
            lexicon_archive = "frasario-lexicons.zip"
            shutil.make_archive(os.path.join(packing, "frasario-lexicons"), "zip", os.path.abspath(args.lexicons))
            context.addArchive(os.path.join(packing, lexicon_archive))
        # Merge tasks read the partials from the shared folder: each merges one bucket of them.
        merge_tasks = 0
        if args.partials_dir:
            merge_tasks = 2 * context.defaultParallelism if args.merge_tasks is None else max(0, args.merge_tasks)
        counter = make_counter(
            os.path.basename(frasario),
            lexicon_archive,
            count_arguments(args, "@lexicons" if lexicon_archive else None, max_memory, max(1, merge_tasks)),
            os.path.abspath(args.partials_dir) if args.partials_dir else None,
            os.getcwd(),
        )
        if args.partials_dir:
            os.makedirs(args.partials_dir, exist_ok=True)
        keep = args.keep_partials or tempfile.mkdtemp(prefix="frasario-partials-")
        if not args.keep_partials:
            temporaries.append(keep)
        os.makedirs(keep, exist_ok=True)
        try:
            partials = collect_partials(count_shards(context, shards, counter, remote), args, keep)
        except Exception as error:  # Py4JJavaError after the last attempt: one sentence, exit 1
            print(f"frasario_spark: counting failed: {spark_failure(error)}", file=sys.stderr)
            return 1
        counted = time.time()
        bucket_results = {}
        if args.partials_dir:
            shared = os.path.abspath(args.partials_dir)
            remove_stale_attempts(shared, set(partials.values()), "part-")
            if merge_tasks:
                merger = make_bucket_merger(
                    os.path.basename(frasario), [partials[shard] for shard in sorted(partials)], threshold_arguments(args), shared
                )
                try:
                    bucket_results = collect_locations(
                        context.parallelize(range(merge_tasks), merge_tasks).flatMap(merger).collect(), "bucket result"
                    )
                except Exception as error:
                    print(f"frasario_spark: merging failed: {spark_failure(error)}", file=sys.stderr)
                    return 1
                remove_stale_attempts(shared, set(bucket_results.values()), "bucket-")
        bucketed = time.time()
        quote_results, planned = {}, bucketed
        if bucket_results:
            # The driver ranks once to know what to quote and waits, its merged table in memory,
            # while the executors scan the quoted turns; then it finishes with their results.
            plan = os.path.join(shared, "quote-plan.frq")
            driver_merge = subprocess.Popen(
                merge_command(args, frasario, partials, warnings, bucket_results, plan), stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
            if driver_merge.stdout.readline().strip() != b"quote plan written":
                driver_merge.stdin.close()  # it failed before the plan, and said why on stderr
                return driver_merge.wait() or 1
            planned = time.time()
            # One place per content, as the merge counts a partial given twice once.
            ordered, seen = [], set()
            for shard in sorted(partials):
                checksum = partial_checksum(partials[shard])
                if checksum not in seen:
                    seen.add(checksum)
                    ordered.append(partials[shard])
            groups = spark_plan.contiguous_groups(ordered, merge_tasks)
            quoter = make_quote_task(os.path.basename(frasario), groups, plan, shared, args.threads)
            try:
                quote_results = collect_locations(
                    context.parallelize(range(len(groups)), len(groups)).flatMap(quoter).collect(), "quote result"
                )
            except Exception as error:
                driver_merge.kill()
                driver_merge.wait()
                print(f"frasario_spark: quoting failed: {spark_failure(error)}", file=sys.stderr)
                return 1
            remove_stale_attempts(shared, set(quote_results.values()), "quotes-")
            quoted = time.time()
            spark.stop()
            try:
                driver_merge.stdin.write("".join(quote_results[task] + "\n" for task in sorted(quote_results)).encode("utf-8"))
                driver_merge.stdin.close()
            except BrokenPipeError:
                pass  # it stopped while waiting; its exit status and stderr say why
            returncode = driver_merge.wait()
        else:
            quoted = time.time()
            spark.stop()
            returncode = subprocess.run(merge_command(args, frasario, partials, warnings, bucket_results)).returncode
        size = sum(os.path.getsize(path) for path in partials.values() if os.path.exists(path))
        # Files in the shared folder are named by attempt: those of a second attempt or later
        # tell which tasks Spark ran again.
        retried = []
        for path in [*partials.values(), *bucket_results.values(), *quote_results.values()]:
            found = re.search(r"^(.*)-attempt-(\d+)\.\w+$", os.path.basename(path))
            if found and int(found.group(2)) > 0:
                retried.append(f"{found.group(1)} (attempt {int(found.group(2)) + 1})")
        print(
            f"frasario_spark: counted {len(shards)} shard(s) in {counted - started:.1f} s"
            + (f", merged {merge_tasks} bucket(s) on the executors in {bucketed - counted:.1f} s" if bucket_results else "")
            + (f", ranked on the driver in {planned - bucketed:.1f} s, quoted on the executors in {quoted - planned:.1f} s" if quote_results else "")
            + f", finished on the driver in {time.time() - quoted:.1f} s; partials {size / 1e6:.1f} MB"
            + (f"; retried: {', '.join(retried)}." if retried else "."),
            file=sys.stderr,
        )
        return returncode
    finally:
        for folder in temporaries:
            shutil.rmtree(folder, ignore_errors=True)
        if args.partials_dir and os.path.isdir(args.partials_dir):
            # Bucket results, the quote plan and quote results are spent once the final merge
            # has read them, and useless after a failure: only the partials stay.
            for name in os.listdir(args.partials_dir):
                if name.startswith(("bucket-", "quotes-", "quote-plan")):
                    os.remove(os.path.join(args.partials_dir, name))


if __name__ == "__main__":
    sys.exit(main())
