"""The damaged-files case of `make torture` (Benchmarks/torture.py): partials, bucket results,
quote plans and quote results with bytes changed at random, most of them with their trailer's
checksum written over the damage (as a writer with a bug would leave them), merged every way a
cluster merges them. Every command must end with exit status 0 or 1 (one sentence): never a
signal, a trap or a hang. Standard library only.
"""

import os
import random
import struct

MASK = (1 << 64) - 1
TRAILER = 32  # two section offsets, the checksum, the end mark (u64 each)


def checksum(data):
    """`PartialChecksum`: FNV-1a over the bytes, then SplitMix64's finalizer."""
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & MASK
    value ^= value >> 30
    value = (value * 0xBF58476D1CE4E5B9) & MASK
    value ^= value >> 27
    value = (value * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


def damaged(data, generator):
    """A copy of `data` with 1 to 16 bytes changed after the mark and version, and (four times in
    five) the checksum recomputed over the damage."""
    copy = bytearray(data)
    end = len(copy) - TRAILER
    for _ in range(generator.choice([1, 1, 2, 4, 16])):
        position = generator.randrange(12, end)
        copy[position] = generator.choice([generator.randrange(256), 0xFF, 0x00, 0x80, copy[position] ^ 0x01])
    if generator.random() < 0.8:
        copy[end + 16 : end + 24] = struct.pack("<Q", checksum(copy[:end]))
    return bytes(copy)


def run_case(torture, run, samples, lexicons, rounds=80):
    """Counts two shards of `samples`, merges them on two buckets with quote tasks, then damages
    each kind of file `rounds` times and runs every command that reads it."""
    folder = torture.folder("damaged-files")

    def path(name):
        return os.path.join(folder, name)

    setup = [
        ["count", os.path.join(samples, "banco"), "--partial", path("p1.frp"), "--buckets", "2"],
        ["count", os.path.join(samples, "telecom.jsonl"), os.path.join(samples, "ecommerce.jsonl")]
        + ["--partial", path("p2.frp"), "--buckets", "2"],
        ["merge", path("p1.frp"), path("p2.frp"), "--bucket", "0", "--bucket-out", path("b0.frb")],
        ["merge", path("p1.frp"), path("p2.frp"), "--bucket", "1", "--bucket-out", path("b1.frb")],
        ["merge", path("p1.frp"), path("p2.frp"), "--bucket-result", path("b0.frb"), "--bucket-result", path("b1.frb")]
        + ["--quote-plan", path("plan.frq"), "--lexicons", lexicons, "--no-history"],
        ["merge", path("p1.frp"), "--quote", path("plan.frq"), "--quote-out", path("q1.frr")],
        ["merge", path("p2.frp"), "--quote", path("plan.frq"), "--quote-out", path("q2.frr")],
    ]
    for arguments in setup:
        lexicon = ["--lexicons", lexicons] if arguments[0] == "count" else []
        code, errors, _, _ = run(torture.binary, arguments + ["--quiet"] + lexicon)
        if code != 0:
            torture.report("damaged files", False, f"setup failed: {' '.join(arguments[:2])}: {errors.strip()[:200]}")
            return

    def commands(files):
        final = ["--out", path("out"), "--lexicons", lexicons, "--no-history"]
        results = ["--bucket-result", files["b0.frb"], "--bucket-result", files["b1.frb"]]
        quotes = ["--quote-from", files["plan.frq"], "--quote-result", files["q1.frr"]]
        quotes += ["--quote-result", files["q2.frr"]]
        shards = [files["p1.frp"], files["p2.frp"]]
        return [
            ["merge", *shards, *final],
            ["merge", *shards, "--bucket", "0", "--bucket-out", path("bx.frb")],
            ["merge", *shards, "--bucket", "1", "--bucket-out", path("bx.frb")],
            ["merge", *shards, *results, "--quote-plan", path("px.frq"), "--lexicons", lexicons, "--no-history"],
            ["merge", files["p1.frp"], "--quote", files["plan.frq"], "--quote-out", path("qx.frr")],
            ["merge", *shards, *results, *quotes, *final],
        ]

    generator = random.Random(20261206)
    kinds = ["p1.frp", "b0.frb", "plan.frq", "q1.frr"]
    originals = {name: open(path(name), "rb").read() for name in kinds}
    runs, bad = 0, []
    for round_index in range(rounds):
        kind = kinds[round_index % len(kinds)]
        copy = path("damaged-" + kind)
        with open(copy, "wb") as handle:
            handle.write(damaged(originals[kind], generator))
        files = {name: path(name) for name in ["p1.frp", "p2.frp", "b0.frb", "b1.frb", "plan.frq", "q1.frr", "q2.frr"]}
        files[kind] = copy
        for arguments in commands(files):
            code, errors, _, _ = run(torture.binary, arguments + ["--quiet"], timeout=60)
            runs += 1
            if code not in (0, 1):
                bad.append(f"{kind} round {round_index}: {'timed out' if code is None else f'exit {code}'}")
    torture.report(
        "damaged files",
        not bad,
        f"{runs} merges of damaged partials, bucket results, plans and quote results: "
        + ("every one exit 0 or 1" if not bad else f"{len(bad)} crashed or hung: {'; '.join(bad[:3])}"),
    )
