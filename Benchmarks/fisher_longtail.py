#!/usr/bin/env python3
"""The corpus of the second performance round: the Fisher Spanish ASR of ../shared/data with 5%
of its words replaced from a Zipfian long tail of 200,000 made-up words (so the vocabulary grows
as real data does), as JSONL calls of 20 turns, agent and customer alternating. Seeded.

    python3 Benchmarks/fisher_longtail.py OUT.jsonl [--megabytes 20]
"""

import argparse
import json
import os
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=float, default=20)
    arguments = parser.parse_args()
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
    lines = []
    for name in ["fisher_dev", "fisher_dev2", "fisher_test"]:
        with open(os.path.join(data, f"{name}.asr.es"), encoding="utf-8") as handle:
            lines += [line.strip() for line in handle if line.strip()]
    generator = random.Random(16)
    syllables = ["ca", "lo", "me", "ta", "ri", "su", "no", "pa", "de", "vi", "ga", "to", "re", "mu", "sa", "ni"]
    tail = ["".join(generator.choice(syllables) for _ in range(generator.randint(3, 5))) for _ in range(200_000)]

    def rare():
        rank = int(generator.paretovariate(1.1))
        return tail[min(rank * 37 % len(tail), len(tail) - 1)]

    size, call, line = 0, 0, 0
    with open(arguments.out, "w", encoding="utf-8") as out:
        while size < arguments.megabytes * 1_000_000:
            turns = []
            for turn in range(20):
                words = lines[line % len(lines)].split()
                line += 1
                words = [rare() if generator.random() < 0.05 else word for word in words]
                turns.append({"speaker": "cliente" if turn % 2 else "agente", "text": " ".join(words)})
            record = json.dumps({"call_id": f"c{call}", "turns": turns}, ensure_ascii=False) + "\n"
            call += 1
            out.write(record)
            size += len(record.encode())
    print(f"{arguments.out}: {call} calls, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
