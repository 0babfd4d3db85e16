"""What runs on the Spark executors for Spark/frasario_spark.py: count a shard, merge a bucket,
quote the examples of a group of partials.
The driver ships this file with addPyFile; it imports nothing of the driver's."""

import os
import signal
import stat
import subprocess
import tempfile

CHUNK = 16 << 20  # bytes per record when a partial is streamed back to the driver
TRAILER = 32  # a partial ends with two section offsets and a checksum (u64 each), and an end mark


def executor_tools(binary_name, lexicon_archive):
    """The shipped binary (made executable) and the unpacked lexicon folder on this executor."""
    from pyspark import SparkFiles

    binary = SparkFiles.get(binary_name)
    mode = os.stat(binary).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary, SparkFiles.get(lexicon_archive) if lexicon_archive else None


def describe(paths):
    shown = ", ".join(paths[:3])
    return (shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")) if paths else "no file"


def run_count(binary, shard, inputs, partial, arguments, cwd, scratch):
    """One `frasario count`; a failure names the shard, its files and the exit status or signal.
    FRASARIO_SPARK_KILL_ONCE=N kills the first attempt of shard N with SIGKILL, to test retries."""
    from pyspark import TaskContext

    attempt = TaskContext.get().attemptNumber()
    process = subprocess.Popen(
        [binary, "count", *inputs, "--partial", partial, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
        # frasario's own temporaries (spools) go in the task's scratch folder too.
        env=dict(os.environ, TMPDIR=scratch),
    )
    if os.environ.get("FRASARIO_SPARK_KILL_ONCE") == str(shard) and attempt == 0:
        process.send_signal(signal.SIGKILL)
    _, errors = process.communicate()
    if process.returncode != 0:
        fail(
            f"frasario count on shard {shard} (attempt {attempt + 1}; {len(inputs)} file(s): {describe(inputs)})",
            process.returncode,
            errors,
        )


def fail(what, status, errors):
    """Raises the task's failure as one sentence: what failed, its exit status or signal, and
    frasario's own error."""
    how = f"was killed by signal {signal.Signals(-status).name}" if status < 0 else f"exited with status {status}"
    message = errors.decode("utf-8", "replace").strip()
    raise RuntimeError(f"{what} {how}" + (f": {message}" if message else ""))


def partial_checksum(path):
    """The checksum a partial carries in its trailer: its content identity."""
    with open(path, "rb") as handle:
        handle.seek(-TRAILER, os.SEEK_END)
        trailer = handle.read(TRAILER)
    return trailer[16:24].hex()


def make_counter(binary_name, lexicon_archive, arguments, partials_dir, driver_folder):
    """The task: count one shard and hand back its partial (streamed, or its location)."""

    def count(shard, inputs, scratch_inputs=None):
        from pyspark import TaskContext

        binary, lexicons = executor_tools(binary_name, lexicon_archive)
        task_arguments = [lexicons if value == "@lexicons" else value for value in arguments]
        attempt = TaskContext.get().attemptNumber()
        # Inside Spark's folder for this application's files: Spark removes it when the executor
        # stops, even if this task is killed before it can clean up after itself.
        from pyspark import SparkFiles

        with tempfile.TemporaryDirectory(prefix="frasario-shard-", dir=SparkFiles.getRootDirectory()) as scratch:
            if scratch_inputs is not None:
                cwd, inputs = scratch_inputs(scratch)
            elif any(not os.path.isabs(path) for path in inputs):
                if not os.path.isdir(driver_folder):
                    raise RuntimeError(
                        f"shard {shard}: relative inputs are read from the driver's folder {driver_folder}, which this executor does not see; give absolute paths or storage URLs"
                    )
                cwd = driver_folder
            else:
                cwd = None
            if not inputs:  # no file at all: an empty folder gives a partial with no call
                inputs = [os.path.join(scratch, "empty")]
                os.makedirs(inputs[0])
            if partials_dir:
                # Attempt-unique: a retried or speculative attempt never overwrites another's file.
                partial = os.path.join(partials_dir, f"part-{shard:05d}-attempt-{attempt}.frp")
                run_count(binary, shard, inputs, partial, task_arguments, cwd, scratch)
                yield (shard, 0, f"{partial}\t{os.path.getsize(partial)}\t{partial_checksum(partial)}".encode("utf-8"))
                return
            partial = os.path.join(scratch, f"part-{shard:05d}.frp")
            run_count(binary, shard, inputs, partial, task_arguments, cwd, scratch)
            with open(partial, "rb") as handle:
                sequence = 0
                while True:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    yield (shard, sequence, chunk)
                    sequence += 1

    return count


def make_bucket_merger(binary_name, partials, arguments, partials_dir):
    """The merge task: merge one bucket of every partial (read from the shared folder) into a
    bucket result there, under an attempt-unique name; hand back its location and checksum."""

    def merge(bucket):
        from pyspark import TaskContext

        binary, _ = executor_tools(binary_name, None)
        attempt = TaskContext.get().attemptNumber()
        result = os.path.join(partials_dir, f"bucket-{bucket:05d}-attempt-{attempt}.frb")
        process = subprocess.run(
            [binary, "merge", *partials, "--bucket", str(bucket), "--bucket-out", result, "--quiet", *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if process.returncode != 0:
            fail(f"frasario merge of bucket {bucket} (attempt {attempt + 1})", process.returncode, process.stderr)
        yield (bucket, 0, f"{result}\t{os.path.getsize(result)}\t{partial_checksum(result)}".encode("utf-8"))

    return merge


def make_quote_task(binary_name, groups, plan, partials_dir, threads):
    """The quote task: scan one group of partials' quoted turns (read from the shared folder)
    for the driver's quote plan into a quote result there, under an attempt-unique name; hand
    back its location and checksum."""

    def quote(task):
        from pyspark import TaskContext

        binary, _ = executor_tools(binary_name, None)
        attempt = TaskContext.get().attemptNumber()
        result = os.path.join(partials_dir, f"quotes-{task:05d}-attempt-{attempt}.frr")
        process = subprocess.Popen(
            [binary, "merge", *groups[task], "--quote", plan, "--quote-out", result, "--threads", str(threads), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # FRASARIO_SPARK_KILL_QUOTE_ONCE=N kills the first attempt of quote task N, to test retries.
        if os.environ.get("FRASARIO_SPARK_KILL_QUOTE_ONCE") == str(task) and attempt == 0:
            process.send_signal(signal.SIGKILL)
        _, errors = process.communicate()
        if process.returncode != 0:
            fail(f"frasario quote task {task} (attempt {attempt + 1}; {len(groups[task])} partial(s))", process.returncode, errors)
        yield (task, 0, f"{result}\t{os.path.getsize(result)}\t{partial_checksum(result)}".encode("utf-8"))

    return quote


def fetched_inputs(pairs):
    """For a shard read through Spark: writes its files under the scratch folder, mirroring their
    URLs, so rejects.csv names them as they are stored."""
    from urllib.parse import urlparse

    def write(scratch):
        inputs = []
        for path, content in sorted(pairs, key=lambda pair: pair[0].encode("utf-8")):
            parsed = urlparse(path)
            relative = os.path.join(parsed.netloc, parsed.path.lstrip("/"))
            target = os.path.join(scratch, "inputs", relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(content)
            inputs.append(relative)
        return os.path.join(scratch, "inputs"), inputs

    return write
