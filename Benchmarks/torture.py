#!/usr/bin/env python3
"""The large hostile cases of the reliability promise, run against the release binary.

`make test` runs the small versions of these cases as unit tests; this runs them at the size
that broke earlier versions: a 20 MB call, a 200 MB JSON line, a million nested arrays, 20,000
files, binary noise, a FIFO, a run killed at random moments, a full temporary folder, a full
report folder, and damaged partials and merge files (Benchmarks/torture_partials.py). Each case
prints PASS or FAIL with what was measured; the exit status is the number of failed cases.
Standard library only.

    python3 Benchmarks/torture.py --binary .build/release/frasario [--keep DIR] [--only NAME]
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

import torture_partials

WORDS = (
    "quiero dar de baja la línea porque no me llega el código de verificación y me cobraron "
    "dos veces la cuota de mantenimiento buenas tardes gracias por su paciencia un momento por favor"
).split()


def call_line(call_id, text, speaker="cliente"):
    return json.dumps({"call_id": call_id, "turns": [{"speaker": speaker, "text": text}]}, ensure_ascii=False) + "\n"


def run(binary, arguments, timeout=600, env=None):
    """Runs the binary; returns (exit status, stderr text, peak RSS in MiB, seconds)."""
    started = time.monotonic()
    process = subprocess.Popen([binary] + arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = started + timeout
    while True:
        waited, status, usage = os.wait4(process.pid, os.WNOHANG)
        if waited:
            errors = process.stderr.read().decode("utf-8", "replace")
            code = os.waitstatus_to_exitcode(status)
            return code, errors, usage.ru_maxrss / 1024, time.monotonic() - started
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            return None, "timed out", 0, timeout
        time.sleep(0.02)


def rejects(out):
    with open(os.path.join(out, "rejects.csv"), encoding="utf-8") as handle:
        return handle.read().splitlines()[1:]


def summary(out):
    with open(os.path.join(out, "report.json"), encoding="utf-8") as handle:
        return json.load(handle)["summary"]


def unique_words_text(size, seed):
    generator = random.Random(seed)
    syllables = ["ma", "ri", "to", "ca", "pe", "lo", "su", "ne", "vi", "da", "go", "fe", "ju", "sa"]
    parts, total = [], 0
    while total < size:
        line = " ".join("".join(generator.choice(syllables) for _ in range(generator.randint(2, 5))) for _ in range(15))
        parts.append(line)
        total += len(line) + 1
    return "\n".join(parts)


class Torture:
    def __init__(self, binary, root):
        self.binary = os.path.abspath(binary)
        self.root = root
        self.failures = 0

    def report(self, name, passed, detail):
        print(f"{'PASS' if passed else 'FAIL'}  {name:<22} {detail}", flush=True)
        if not passed:
            self.failures += 1

    def folder(self, name):
        path = os.path.join(self.root, name)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path

    # Memory bound per call.
    def huge_call(self):
        folder = self.folder("huge-call")
        os.makedirs(os.path.join(folder, "in"))
        with open(os.path.join(folder, "in", "dia-entero.txt"), "w") as handle:
            handle.write(unique_words_text(20_000_000, 1))
        out = os.path.join(folder, "out")
        code, errors, rss, seconds = run(
            self.binary,
            [
                "run",
                os.path.join(folder, "in"),
                "--out",
                out,
                "--no-history",
                "--no-lexicons",
                "--max-memory",
                "256M",
                "--quiet",
            ],
        )
        lines = rejects(out) if code == 0 else []
        self.report(
            "20 MB call, default",
            code == 0 and len(lines) == 1 and "--max-call-size" in lines[0] and rss < 300,
            f"exit {code}, {len(lines)} reject(s), peak {rss:.0f} MiB, {seconds:.1f} s",
        )
        code, errors, rss, seconds = run(
            self.binary,
            [
                "run",
                os.path.join(folder, "in"),
                "--out",
                out,
                "--no-history",
                "--no-lexicons",
                "--max-memory",
                "256M",
                "--max-call-size",
                "32M",
                "--quiet",
            ],
        )
        counted = summary(out)["calls_processed"] if code == 0 else None
        self.report(
            "20 MB call, counted",
            code == 0 and counted == 1 and rss < 768,
            f"exit {code}, {counted} call counted under --max-memory 256M, peak {rss:.0f} MiB, {seconds:.1f} s",
        )

    def long_line(self):
        folder = self.folder("long-line")
        path = os.path.join(folder, "llamadas.jsonl")
        with open(path, "w") as handle:
            for index in range(50):
                handle.write(call_line(f"antes-{index}", "no me llega el código de verificación"))
            handle.write('{"call_id": "gigante", "turns": [{"speaker": "cliente", "text": "')
            chunk = "hola " * 200_000
            for _ in range(200):
                handle.write(chunk)
            handle.write('"}]}\n')
            for index in range(50):
                handle.write(call_line(f"despues-{index}", "me cobraron dos veces la cuota"))
        out = os.path.join(folder, "out")
        code, errors, rss, seconds = run(
            self.binary, ["run", path, "--out", out, "--no-history", "--no-lexicons", "--quiet"]
        )
        figures = summary(out) if code == 0 else {}
        lines = rejects(out) if code == 0 else []
        self.report(
            "200 MB JSON line",
            code == 0
            and figures.get("calls_processed") == 100
            and len(lines) == 1
            and ",51," in lines[0]
            and rss < 300,
            f"exit {code}, {figures.get('calls_processed')} processed, reject {lines[:1]}, peak {rss:.0f} MiB, {seconds:.1f} s",
        )

    def deep_nesting(self):
        folder = self.folder("deep-nesting")
        path = os.path.join(folder, "llamadas.jsonl")
        with open(path, "w") as handle:
            handle.write(call_line("bien-1", "quiero dar de baja la línea"))
            handle.write('{"call_id": "hondo", "extra": ' + "[" * 1_000_000 + "]" * 1_000_000 + ', "turns": []}\n')
            handle.write(
                '{"call_id": "hondo-2", "extra": ' + '{"a": ' * 300_000 + "1" + "}" * 300_000 + ', "turns": []}\n'
            )
            handle.write(call_line("bien-2", "quiero dar de baja la línea"))
        out = os.path.join(folder, "out")
        code, errors, rss, seconds = run(
            self.binary, ["run", path, "--out", out, "--no-history", "--no-lexicons", "--quiet"]
        )
        figures = summary(out) if code == 0 else {}
        self.report(
            "1,000,000 nested arrays",
            code == 0 and figures.get("calls_processed") == 2 and figures.get("calls_rejected") == 2,
            f"exit {code}, {figures.get('calls_processed')} processed, {figures.get('calls_rejected')} rejected, {seconds:.1f} s",
        )

    def binary_noise(self):
        folder = self.folder("binary-noise")
        generator = random.Random(7)
        with open(os.path.join(folder, "ruido.jsonl"), "wb") as handle:
            handle.write(bytes(generator.getrandbits(8) for _ in range(2_000_000)))
        with open(os.path.join(folder, "ruido.txt"), "wb") as handle:
            handle.write(bytes(generator.getrandbits(8) for _ in range(2_000_000)))
        with open(os.path.join(folder, "mezcla.jsonl"), "wb") as handle:
            for index in range(2000):
                if index % 10 == 3:
                    handle.write(bytes(generator.getrandbits(8) for _ in range(200)).replace(b"\n", b" ") + b"\n")
                else:
                    handle.write(call_line(f"m-{index}", "no me llega el código").encode())
        out = os.path.join(folder, "out")
        code, errors, rss, seconds = run(
            self.binary, ["run", folder, "--out", out, "--no-history", "--no-lexicons", "--quiet"]
        )
        figures = summary(out) if code == 0 else {}
        balanced = figures and figures["calls_read"] == figures["calls_processed"] + figures["calls_rejected"]
        self.report(
            "binary noise",
            code == 0 and balanced and figures.get("calls_processed") == 1800,
            f"exit {code}, {figures.get('calls_read')} read = {figures.get('calls_processed')} processed + {figures.get('calls_rejected')} rejected",
        )

    def many_files(self):
        folder = self.folder("many-files")
        calls = os.path.join(folder, "in")
        for index in range(20_000):
            directory = os.path.join(calls, f"{index // 1000:02d}")
            if index % 1000 == 0:
                os.makedirs(directory)
            with open(os.path.join(directory, f"llamada-{index:05d}.txt"), "w") as handle:
                handle.write(
                    f"CLIENTE: hola {random.Random(index).choice(WORDS)} no me llega el código\nAGENTE: un momento por favor\n"
                )
        out = os.path.join(folder, "out")
        code, errors, rss, seconds = run(
            self.binary, ["run", calls, "--out", out, "--no-history", "--no-lexicons", "--quiet"]
        )
        figures = summary(out) if code == 0 else {}
        self.report(
            "20,000 files",
            code == 0 and figures.get("calls_processed") == 20_000,
            f"exit {code}, {figures.get('calls_processed')} processed, {seconds:.1f} s, peak {rss:.0f} MiB",
        )

    def fifo(self):
        folder = self.folder("fifo")
        with open(os.path.join(folder, "a.txt"), "w") as handle:
            handle.write("CLIENTE: no me llega el código\n")
        os.mkfifo(os.path.join(folder, "tuberia.txt"))
        out = os.path.join(folder, "out")
        code, errors, rss, seconds = run(
            self.binary, ["run", folder, "--out", out, "--no-history", "--no-lexicons"], timeout=60
        )
        self.report(
            "FIFO in the input",
            code == 0 and "tuberia.txt" in errors,
            f"exit {code} after {seconds:.1f} s, warned: {'tuberia.txt' in errors}",
        )

    def killed_runs(self):
        """Kills runs at random moments; the previous reports and the history must stay whole."""
        folder = self.folder("killed")
        source = os.path.join(folder, "noche.jsonl")
        generator = random.Random(3)
        with open(source, "w") as handle:
            for index in range(60_000):
                words = " ".join(generator.choice(WORDS) for _ in range(30))
                handle.write(call_line(f"k-{index}", words))
        out = os.path.join(folder, "out")
        history = os.path.join(folder, "frasario.sqlite")
        code, errors, _, _ = run(
            self.binary, ["run", source, "--out", out, "--history", history, "--date", "2026-11-20", "--quiet"]
        )
        if code != 0:
            self.report("killed runs", False, f"the first run failed: {errors.strip()}")
            return

        def snapshot():
            files = {name: open(os.path.join(out, name), "rb").read() for name in sorted(os.listdir(out))}
            with sqlite3.connect(history) as database:
                nights = database.execute("select date from run order by date").fetchall()
                integrity = database.execute("pragma integrity_check").fetchone()[0]
            return files, nights, integrity

        before = snapshot()
        intact = 0
        moments = [0.2, 0.5, 0.9, 1.3, 1.8, 2.4, 3.0]
        for moment in moments:
            process = subprocess.Popen(
                [self.binary, "run", source, "--out", out, "--history", history, "--date", "2026-11-21", "--quiet"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(moment)
            process.send_signal(signal.SIGKILL)
            process.wait()
            after = snapshot()
            # Either nothing changed, or the killed run had finished: then all of it is new.
            finished = after[1] != before[1]
            if after[2] == "ok" and (after == before or finished):
                intact += 1
            if finished:
                break
        leftovers = [name for name in os.listdir(folder) + os.listdir(out) if ".tmp" in name]
        self.report(
            "killed mid-run",
            intact == len([m for m in moments if m <= moment]) and not leftovers,
            f"{intact} kills left the previous reports and a sound history; temporaries left: {leftovers or 'none'}",
        )

    def full_disks(self):
        """A full temporary folder and a full report folder: a sentence and exit 1, never a crash."""
        if os.geteuid() != 0:
            self.report("full disks", True, "skipped: mounting a small tmpfs needs root")
            return
        folder = self.folder("full")
        tiny = os.path.join(folder, "tiny")
        os.makedirs(tiny)
        if (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tiny], stderr=subprocess.DEVNULL
            ).returncode
            != 0
        ):
            self.report("full disks", True, "skipped: this machine does not allow mounting a tmpfs")
            return
        try:
            source = os.path.join(folder, "noche.jsonl")
            generator = random.Random(5)
            with open(source, "w") as handle:
                for index in range(30_000):
                    handle.write(call_line(f"f-{index}", " ".join(generator.choice(WORDS) for _ in range(30))))
            environment = dict(os.environ, TMPDIR=tiny)
            out = os.path.join(folder, "out")
            code, errors, _, _ = run(
                self.binary, ["run", source, "--out", out, "--no-history", "--quiet"], env=environment
            )
            self.report(
                "full TMPDIR",
                code == 1 and errors.count("\n") <= 2 and "No space left on device" in errors,
                f"exit {code}: {errors.strip()[:200]}",
            )
            # Fill the tmpfs but for 16 KB: the reports cannot fit.
            filler = os.open(os.path.join(tiny, "relleno"), os.O_WRONLY | os.O_CREAT, 0o644)
            try:
                while True:
                    os.write(filler, b"\0" * 4096)
            except OSError:
                pass
            os.ftruncate(filler, max(0, os.fstat(filler).st_size - 16384))
            os.close(filler)
            history = os.path.join(folder, "frasario.sqlite")
            code, errors, _, _ = run(
                self.binary,
                [
                    "run",
                    source,
                    "--out",
                    os.path.join(tiny, "out"),
                    "--history",
                    history,
                    "--date",
                    "2026-11-21",
                    "--quiet",
                ],
            )
            recorded = 0
            if os.path.exists(history):
                with sqlite3.connect(history) as database:
                    recorded = database.execute("select count(*) from run").fetchone()[0]
            self.report(
                "full --out",
                code == 1 and recorded == 0,
                f"exit {code}, nights recorded {recorded}: {errors.strip()[:160]}",
            )
        finally:
            subprocess.run(["umount", tiny])

    def damaged_files(self):
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        torture_partials.run_case(self, run, os.path.join(root, "Samples"), os.path.join(root, "Lexicons/es"))

    def run_all(self, only):
        cases = [
            self.huge_call,
            self.long_line,
            self.deep_nesting,
            self.binary_noise,
            self.many_files,
            self.fifo,
            self.killed_runs,
            self.full_disks,
            self.damaged_files,
        ]
        for case in cases:
            if only and only not in case.__name__:
                continue
            try:
                case()
            except Exception as error:  # a harness error is a failed case, with its reason
                self.report(case.__name__, False, f"harness error: {error!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/frasario")
    parser.add_argument(
        "--keep", help="folder for the generated inputs and outputs (default: a temporary one, removed)"
    )
    parser.add_argument("--only", help="run only the cases whose name contains this")
    arguments = parser.parse_args()
    root = arguments.keep or tempfile.mkdtemp(prefix="frasario-torture-")
    os.makedirs(root, exist_ok=True)
    torture = Torture(arguments.binary, root)
    started = time.monotonic()
    try:
        torture.run_all(arguments.only)
    finally:
        if not arguments.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"torture: {torture.failures} failed, {time.monotonic() - started:.0f} s")
    sys.exit(min(torture.failures, 100))


if __name__ == "__main__":
    main()
