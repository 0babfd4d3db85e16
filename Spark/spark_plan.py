"""The driver's planning for Spark/frasario_spark.py: which files, in which shards, with how much
memory per task. Runs on the driver only (the executors never import it)."""

import os
import re
import subprocess
import sys
from urllib.parse import unquote, urlparse

# The formats `frasario run` reads from a folder (see README, Input formats).
TRANSCRIPT_EXTENSIONS = (".txt", ".text", ".transcript", ".jsonl", ".ndjson", ".json", ".vtt", ".webvtt", ".srt")

# Attempts per task when the master does not say (Spark's own default for clusters).
DEFAULT_ATTEMPTS = 4

# The smallest count-table budget given to a task: below it a shard of ordinary size prunes.
MINIMUM_TASK_MEMORY = 256 << 20


def is_url(path):
    """A storage URL read through Hadoop (s3a://, gs://, abfss://, hdfs://…); file:// is a path."""
    scheme = urlparse(path).scheme
    return len(scheme) > 1 and scheme != "file"


def local_path(path):
    """A local path for a path or a file:// URL."""
    parsed = urlparse(path)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            sys.exit(f"frasario_spark: {path} names another host; give a path every node can read")
        return unquote(parsed.path)
    return path


def list_local(frasario, inputs, format_):
    """Files and warnings exactly as `frasario run` would read them (each file once)."""
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


def read_once(files):
    """Files without repeats (a storage URL listed twice, or inside a folder also given), and the
    warning `frasario run` gives for local files given twice."""
    seen, kept, repeated = set(), [], []
    for path, size in files:
        if path in seen:
            repeated.append(path)
        else:
            seen.add(path)
            kept.append((path, size))
    warnings = []
    if repeated:
        shown = ", ".join(repeated[:3]) + (", …" if len(repeated) > 3 else "")
        warnings.append(f"Read once: {len(repeated)} input file(s) were given more than once: {shown}.")
    return kept, warnings


def split(files, shards):
    """Balanced shards: the largest file first into the least loaded shard (ties: the lower
    shard), then each shard's files in reading order. Never more shards than files, so no
    shard is empty; any split merges to the same reports."""
    if not files:
        return [[]]
    count = max(1, min(shards, len(files)))
    loads = [0] * count
    members = [[] for _ in range(count)]
    order = sorted(range(len(files)), key=lambda index: (-files[index][1], index))
    for index in order:
        target = min(range(count), key=lambda shard: (loads[shard], shard))
        loads[target] += files[index][1]
        members[target].append(index)
    return [[files[index][0] for index in sorted(indices)] for indices in members]


def parse_size(text, default):
    """Bytes of a JVM-style size ("4g", "512m", "1024k", "2048"); `default` when absent."""
    if not text:
        return default
    match = re.fullmatch(r"\s*(\d+)\s*([kmgt]?)b?\s*", text.lower())
    if not match:
        return default
    return int(match.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[match.group(2)]


def task_memory(conf, master, default_parallelism):
    """The --max-memory of each `frasario count`: half of the memory its executor has, shared by
    the tasks that run on it at once (cores ÷ spark.task.cpus), at least 256 MB.

    - a cluster: spark.executor.memory (Spark's default 1g) and spark.executor.cores (default 1);
    - local-cluster[W,C,M]: M MB and C cores per executor;
    - local[N]: the executors are this machine: its physical memory, N cores (frasario runs
      beside the JVM, not in its heap, so spark.driver.memory says nothing of its room)."""
    cluster = re.fullmatch(r"local-cluster\[\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\]", master or "")
    if cluster:
        cores, memory = int(cluster.group(2)), int(cluster.group(3)) << 20
    elif (master or "").startswith("local"):
        cores = default_parallelism
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    else:
        memory = parse_size(conf.get("spark.executor.memory", None), 1 << 30)
        cores = int(conf.get("spark.executor.cores", None) or 1)
    task_cpus = int(conf.get("spark.task.cpus", "1") or 1)
    concurrent = max(1, cores // max(1, task_cpus))
    return max(MINIMUM_TASK_MEMORY, memory // concurrent // 2)


def master_with_retries(master):
    """local[N] retries no failed task; local[N,F] does. A local master without F gets
    F = DEFAULT_ATTEMPTS; other masters read spark.task.maxFailures (set by the driver)."""
    if master and re.fullmatch(r"local(\[\s*(\d+|\*)\s*\])?", master):
        threads = re.fullmatch(r"local(\[\s*(\d+|\*)\s*\])?", master).group(2) or "1"
        return f"local[{threads},{DEFAULT_ATTEMPTS}]"
    return master


def contiguous_groups(items, count):
    """`items` cut into at most `count` contiguous groups of nearly equal length, in order (a
    quote task's group of partials: their order is the merge's)."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    groups, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups
