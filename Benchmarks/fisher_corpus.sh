#!/usr/bin/env bash
# Rebuilds the Fisher Spanish ASR output (../shared/data) into JSONL conversations, speakers
# alternated, repeated COPIES times with distinct call ids: real ASR text at benchmark size.
set -euo pipefail
TARGET="$1"; COPIES="${2:-20}"
DATA="$(cd "$(dirname "$0")/../.." && pwd)/shared/data"
[ -f "$TARGET" ] && exit 0
python3 - "$DATA" "$COPIES" "$TARGET" <<'PY'
import json, sys, collections
data, copies, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conversations = collections.OrderedDict()
for name in ["fisher_dev", "fisher_dev2", "fisher_test"]:
    lines = open(f"{data}/{name}.asr.es", encoding="utf-8").read().split("\n")
    for index, entry in enumerate(open(f"{data}/{name}.mapping", encoding="utf-8").read().split("\n")):
        if entry.strip():
            conversations.setdefault(entry.split()[0], []).append(lines[index] if index < len(lines) else "")
with open(target, "w", encoding="utf-8") as out:
    for copy in range(copies):
        for call, turns in conversations.items():
            rows = [{"speaker": "cliente" if k % 2 else "agente", "text": t} for k, t in enumerate(turns) if t.strip()]
            out.write(json.dumps({"call_id": f"{call}-{copy}", "turns": rows}, ensure_ascii=False) + "\n")
PY
