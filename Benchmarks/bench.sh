#!/usr/bin/env bash
# Throughput of `frasario run` on real ASR text: the Fisher Spanish ASR output in ../shared/data,
# rebuilt into conversations (speakers alternated) and repeated to REPEAT copies with distinct call ids.
# Prints MB/s, calls/s and peak memory for 1 and 2 threads, with and without the lexicons.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-50}"
DATA="${DATA:-../shared/data}"
WORK="${WORK:-.build/bench}"
BIN=.build/release/frasario
mkdir -p "$WORK"
if [ ! -f "$DATA/fisher_dev.asr.es" ]; then
    echo "bench: $DATA is absent; nothing to measure." >&2
    exit 0
fi
CORPUS="$WORK/fisher-x$REPEAT.jsonl"
if [ ! -f "$CORPUS" ]; then
    python3 - "$DATA" "$REPEAT" "$CORPUS" <<'PY'
import json, sys, collections
data, repeat, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conversations = collections.OrderedDict()
for name in ["fisher_dev", "fisher_dev2", "fisher_test"]:
    lines = open(f"{data}/{name}.asr.es", encoding="utf-8").read().split("\n")
    for index, entry in enumerate(open(f"{data}/{name}.mapping", encoding="utf-8").read().split("\n")):
        if entry.strip():
            conversations.setdefault(entry.split()[0], []).append(lines[index] if index < len(lines) else "")
with open(target, "w", encoding="utf-8") as out:
    for copy in range(repeat):
        for call, turns in conversations.items():
            rows = [{"speaker": "cliente" if k % 2 else "agente", "text": t} for k, t in enumerate(turns) if t.strip()]
            out.write(json.dumps({"call_id": f"{call}-{copy}", "turns": rows}, ensure_ascii=False) + "\n")
PY
fi
SIZE=$(stat -c %s "$CORPUS")
printf "corpus: %s, %.1f MB of real Spanish ASR text\n" "$CORPUS" "$(echo "$SIZE / 1000000" | bc -l)"
printf "%-28s %8s %10s %10s %12s\n" "run" "threads" "seconds" "MB/s" "peak RSS MB"
for lexicon in "--no-lexicons" "--lexicons Lexicons/es"; do
    for threads in 1 2; do
        /usr/bin/time -f "%e %M" -o "$WORK/time.txt" $BIN run "$CORPUS" --out "$WORK/out" --threads "$threads" $lexicon --quiet
        read -r seconds rss < "$WORK/time.txt"
        label=$([ "$lexicon" = "--no-lexicons" ] && echo "count only" || echo "count + 136 lexicon rules")
        printf "%-28s %8s %10s %10.1f %12.0f\n" "$label" "$threads" "$seconds" "$(echo "$SIZE / 1000000 / $seconds" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
    done
done
