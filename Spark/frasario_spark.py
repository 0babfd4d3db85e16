#!/usr/bin/env python3
"""Frasario on Apache Spark: count shards of the transcripts on the executors, merge on the driver.

The driver:
  1. lists the inputs with the same rules as `frasario run` (`frasario inputs` for local and
     shared paths; Spark's Hadoop FileSystem for storage URLs such as s3a://, gs://, abfss://,
     hdfs://), and splits the files into --shards shards of about equal bytes;
  2. ships the `frasario` binary and the lexicon folder to the executors (SparkFiles);
  3. runs `frasario count SHARD --partial part-NNNNN.frp` on each partition. Files behind a
     storage URL are read by Spark itself (binaryFiles) and written to the task's scratch
     folder first. A failed task is retried by Spark (spark.task.maxFailures); each attempt
     writes its partial atomically, so a retry never leaves half a partial;
  4. collects the partials: streamed back to the driver (default), or, with --partials-dir
     on a filesystem every node shares (NFS, /dbfs…), written there by the executors and
     collected as locations;
  5. runs `frasario merge` on the driver. The reports are byte for byte those of one
     `frasario run` over the same inputs.

Run it with spark-submit, on a laptop:
    spark-submit --master 'local[*]' Spark/frasario_spark.py --frasario .build/release/frasario \
        --lexicons Lexicons/es --out reports/2026-11-21 --shards 8 /data/transcripts/2026-11-21
or on a cluster (YARN, Kubernetes, Databricks, EMR, Dataproc):
    spark-submit --master yarn --deploy-mode client Spark/frasario_spark.py \
        --frasario /opt/frasario/bin/frasario --lexicons /opt/frasario/Lexicons/es \
        --out /reports/2026-11-21 --shards 200 s3a://contact-center/transcripts/2026-11-21/
The binary must run on the executors' OS (build it on the same Linux, e.g. Debian 12).
"""

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlparse

# The formats `frasario run` reads from a folder (see README, Input formats).
TRANSCRIPT_EXTENSIONS = (".txt", ".text", ".transcript", ".jsonl", ".ndjson", ".json", ".vtt", ".webvtt", ".srt")
CHUNK = 16 << 20  # bytes per record when a partial is streamed back to the driver


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="transcript files or folders: local paths or storage URLs")
    parser.add_argument("--frasario", required=True, help="the frasario binary (shipped to the executors)")
    parser.add_argument("--out", required=True, help="folder for the reports, on the driver")
    parser.add_argument("--shards", type=int, default=0, help="number of shards (default: 2 per executor core)")
    parser.add_argument("--lexicons", help="lexicon folder (shipped to the executors); omit for no lexicons")
    parser.add_argument(
        "--partials-dir", help="a folder every node shares: partials are written there instead of streamed back"
    )
    parser.add_argument("--keep-partials", help="keep the streamed partials in this driver folder")
    parser.add_argument("--threads", type=int, default=1, help="threads of each frasario count (one per task core)")
    parser.add_argument("--max-n", type=int)
    parser.add_argument("--max-memory", help="count-table memory per task, e.g. 4G")
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
    return parser.parse_args(argv)


def is_url(path):
    scheme = urlparse(path).scheme
    return len(scheme) > 1 and scheme != "file"


def list_local(frasario, inputs, format_):
    """Files and warnings exactly as `frasario run` would read them."""
    command = [frasario, "inputs", *inputs] + (["--format", format_] if format_ else [])
    listing = subprocess.run(command, capture_output=True, text=True)
    if listing.returncode != 0:
        sys.exit(f"frasario_spark: listing the inputs failed: {listing.stderr.strip()}")
    files = []
    for line in listing.stdout.splitlines():
        path, _, size = line.rpartition("\t")
        files.append((path, int(size)))
    prefix = "frasario: warning: "
    warnings = [line[len(prefix) :] for line in listing.stderr.splitlines() if line.startswith(prefix)]
    return files, warnings


def list_remote(spark, url):
    """Files under a storage URL, through Spark's own Hadoop FileSystem, in byte order of paths,
    with the folder rules of `frasario run` (transcript extensions, hidden files skipped)."""
    jvm = spark.sparkContext._jvm
    configuration = spark.sparkContext._jsc.hadoopConfiguration()
    root = jvm.org.apache.hadoop.fs.Path(url)
    filesystem = root.getFileSystem(configuration)
    files, skipped = [], []
    iterator = filesystem.listFiles(root, True)
    while iterator.hasNext():
        status = iterator.next()
        path = status.getPath().toString()
        relative = path[len(url.rstrip("/")) :]
        if any(part.startswith(".") for part in relative.split("/") if part):
            continue
        if path.lower().endswith(TRANSCRIPT_EXTENSIONS) or not filesystem.getFileStatus(root).isDirectory():
            files.append((path, status.getLen()))
        else:
            skipped.append(path)
    files.sort(key=lambda item: item[0].encode("utf-8"))
    warnings = []
    if skipped:
        shown = ", ".join(sorted(skipped)[:3]) + (", …" if len(skipped) > 3 else "")
        warnings.append(
            f"Skipped {len(skipped)} file(s) in {url} whose extension is not a transcript format ({shown}); pass them by name to read them."
        )
    return files, warnings


def split(files, shards):
    """Contiguous shards of about equal bytes, in reading order (any split merges to the same reports)."""
    shards = max(1, min(shards, len(files))) if files else 1
    total = sum(size for _, size in files) or 1
    result, current, filled = [], [], 0
    for path, size in files:
        current.append(path)
        filled += size
        if len(result) < shards - 1 and filled >= total * (len(result) + 1) / shards:
            result.append(current)
            current = []
    result.append(current)
    return result


def count_arguments(args, lexicons):
    arguments = ["--threads", str(args.threads), "--quiet"]
    arguments += ["--lexicons", lexicons] if lexicons else ["--no-lexicons"]
    if args.max_n:
        arguments += ["--max-n", str(args.max_n)]
    if args.max_memory:
        arguments += ["--max-memory", args.max_memory]
    for label in args.agent_speaker:
        arguments += ["--agent-speaker", label]
    if args.format:
        arguments += ["--format", args.format]
    return arguments


def executor_tools(binary_name, lexicon_name):
    """The shipped binary (made executable) and lexicon folder on this executor."""
    from pyspark import SparkFiles

    binary = SparkFiles.get(binary_name)
    mode = os.stat(binary).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary, SparkFiles.get(lexicon_name) if lexicon_name else None


def fail_once_for_tests(shard):
    """FRASARIO_SPARK_FAIL_ONCE=N makes the first attempt of shard N fail, to test Spark's retry."""
    from pyspark import TaskContext

    if os.environ.get("FRASARIO_SPARK_FAIL_ONCE") == str(shard) and TaskContext.get().attemptNumber() == 0:
        raise RuntimeError(
            f"frasario_spark: shard {shard} fails its first attempt on purpose (FRASARIO_SPARK_FAIL_ONCE)"
        )


def run_count(binary, inputs, partial, arguments, cwd=None):
    result = subprocess.run(
        [binary, "count", *inputs, "--partial", partial, *arguments], capture_output=True, text=True, cwd=cwd
    )
    if result.returncode != 0:
        raise RuntimeError(f"frasario count failed on {len(inputs)} file(s): {result.stderr.strip()}")


def make_counter(binary_name, lexicon_name, arguments, partials_dir):
    """The task: count one shard and hand back its partial (streamed, or its location)."""

    def count(shard, inputs, cwd=None):
        fail_once_for_tests(shard)
        binary, lexicons = executor_tools(binary_name, lexicon_name)
        if not inputs:  # an empty shard still writes a partial: no calls, nothing counted
            inputs = [tempfile.mkdtemp(prefix="frasario-empty-")]
        task_arguments = [lexicons if value == "@lexicons" else value for value in arguments]
        name = f"part-{shard:05d}.frp"
        if partials_dir:
            partial = os.path.join(partials_dir, name)
            run_count(binary, inputs, partial, task_arguments, cwd)
            yield (shard, 0, partial.encode("utf-8"))
            return
        with tempfile.TemporaryDirectory(prefix="frasario-shard-") as scratch:
            partial = os.path.join(scratch, name)
            run_count(binary, inputs, partial, task_arguments, cwd)
            with open(partial, "rb") as handle:
                sequence = 0
                while True:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    yield (shard, sequence, chunk)
                    sequence += 1

    return count


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("frasario").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    context = spark.sparkContext
    context.setLogLevel(args.log_level)
    started = time.time()

    frasario = os.path.abspath(args.frasario)
    local_inputs = [path for path in args.inputs if not is_url(path)]
    remote_inputs = [path for path in args.inputs if is_url(path)]
    files, warnings = list_local(frasario, local_inputs, args.format) if local_inputs else ([], [])
    for url in remote_inputs:
        listed, skipped = list_remote(spark, url)
        files += listed
        warnings += skipped
    shards = split(files, args.shards or 2 * context.defaultParallelism)
    print(
        f"frasario_spark: {len(files)} file(s), {sum(size for _, size in files) / 1e6:.1f} MB, in {len(shards)} shard(s).",
        file=sys.stderr,
    )

    context.addFile(frasario)
    lexicon_name = None
    if args.lexicons:
        context.addFile(os.path.abspath(args.lexicons), recursive=True)
        lexicon_name = os.path.basename(os.path.abspath(args.lexicons).rstrip("/"))
    counter = make_counter(
        os.path.basename(frasario),
        lexicon_name,
        count_arguments(args, "@lexicons" if lexicon_name else None),
        args.partials_dir,
    )

    shard_of = {path: index for index, shard in enumerate(shards) for path in shard}
    if not remote_inputs:
        tasks = context.parallelize(list(enumerate(shards)), len(shards))
        results = tasks.mapPartitions(
            lambda items: (record for shard, inputs in items for record in counter(shard, inputs))
        )
    else:
        # Spark reads what is behind the URLs; each task writes its shard's files under a scratch
        # folder that mirrors their paths, so rejects.csv names them as they are stored.
        def count_fetched(shard, pairs):
            with tempfile.TemporaryDirectory(prefix="frasario-fetch-") as scratch:
                inputs = []
                for path, content in sorted(pairs, key=lambda pair: pair[0].encode("utf-8")):
                    parsed = urlparse(path)
                    relative = (
                        os.path.join(parsed.netloc, parsed.path.lstrip("/")) if is_url(path) else path.lstrip("/")
                    )
                    target = os.path.join(scratch, relative)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "wb") as handle:
                        handle.write(content)
                    inputs.append(relative)
                yield from counter(shard, inputs, cwd=scratch)

        broadcast = context.broadcast(shard_of)
        fetched = (
            context.binaryFiles(",".join(path for path, _ in files), minPartitions=len(shards))
            .map(lambda pair: (broadcast.value[pair[0]] if pair[0] in broadcast.value else 0, pair))
            .partitionBy(len(shards), lambda shard: shard)
        )
        results = fetched.mapPartitionsWithIndex(lambda index, items: count_fetched(index, [pair for _, pair in items]))

    keep = args.keep_partials or tempfile.mkdtemp(prefix="frasario-partials-")
    os.makedirs(keep, exist_ok=True)
    partials = {}
    handles = {}
    if args.partials_dir:
        records = results.collect()  # locations only: the partials are already in the shared folder
    else:
        # Count every shard in parallel first (the partials wait in Spark's block store, on the
        # executors' disks), then stream them to the driver one partition at a time.
        from pyspark import StorageLevel

        results = results.persist(StorageLevel.DISK_ONLY)
        results.count()
        records = results.toLocalIterator()
    for shard, sequence, payload in records:
        if args.partials_dir:
            partials[shard] = payload.decode("utf-8")
            continue
        path = os.path.join(keep, f"part-{shard:05d}.frp")
        if sequence == 0:
            if shard in handles:
                handles[shard].close()
            handles[shard] = open(path, "wb")
        handles[shard].write(payload)
        partials[shard] = path
    for handle in handles.values():
        handle.close()
    counted = time.time()
    spark.stop()

    command = [frasario, "merge", *[partials[shard] for shard in sorted(partials)], "--out", args.out]
    for warning in warnings:
        command += ["--listing-warning", warning]
    for option in ("min_count", "min_calls", "top", "date", "history"):
        value = getattr(args, option)
        if value is not None:
            command += ["--" + option.replace("_", "-"), str(value)]
    if args.no_history:
        command.append("--no-history")
    merged = subprocess.run(command)
    if not args.keep_partials and not args.partials_dir:
        shutil.rmtree(keep, ignore_errors=True)
    size = (
        sum(os.path.getsize(path) for path in partials.values() if os.path.exists(path))
        if args.keep_partials or args.partials_dir
        else None
    )
    print(
        f"frasario_spark: counted {len(shards)} shard(s) in {counted - started:.1f} s, merged in {time.time() - counted:.1f} s"
        + (f"; partials {size / 1e6:.1f} MB" if size is not None else "")
        + ".",
        file=sys.stderr,
    )
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
