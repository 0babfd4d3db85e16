#!/usr/bin/env python3
"""`make quality`: does Frasario rank the phrases that matter, on real speech?

Real Spanish telephone ASR (Fisher, ../shared/data) is cut into ~700 "calls" of 14-22
consecutive utterances, speakers alternating agente/cliente. Into that real, noisy text we
plant phrases at exactly known call counts, so the right answer is known:
  - an agent greeting with the agent's name («gracias por llamar a banco altamar le atiende
    {name} en qué le puedo ayudar», ~85% of calls, 14 names) and a closing (~50%);
  - ten customer phrases (1.5% to 12% of calls), inserted at a word boundary of a customer
    turn, ASR style: lowercase, no punctuation, accents dropped in ~30% of plants, a filler
    («eh», «este», «o sea») inside ~30% of the plants of some phrases. Four are questions.
Then `frasario run` ranks the corpus and we measure, on report.json:
  recall@20     planted phrases found in the customer top 20 (the phrase, or a contiguous part
                of at least 3 words), with the reported calls against the truth ("exact");
                target: every phrase with share >= 2%, with exact counts
  junk@20       customer top-20 rows, not part of a planted phrase, made only of words among
                the 1,000 most frequent of general Spanish (target 0); a part made only of
                the 100 most frequent («no», «la») does not count as planted
  script leaks  customer top-50 rows that are a run of >= 2 words of an agent script line or
                carry an agent name (target 0); runs made only of the 100 most frequent words
                («lo que») are everyday speech, left to junk@20
  greeting      the agent ranking shows the greeting ONCE (its name a slot «‹nombre›», or masked
                after «le atiende»), and no agent top-20 row names an agent
  questions     planted questions in the customer_questions top 20 (whole, or >= 3 words
                from the interrogative)
  keywords      the keywords top 20, flagging words among the 300 most frequent
A second section replays Examples/semana (seven nights, one history) and lists, per night,
the top question and any emerging row that is a single very common word (target: none).
"Very common" comes from Sources/Frasario/Rank/SpanishReferenceFrequencies.swift. Words are
compared folded: lowercase, accents removed except ñ, fillers removed.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATE = "2026-11-20"
SETS = ["fisher_dev", "fisher_dev2", "fisher_test"]
NAMES = [
    "mariana",
    "diego",
    "lucía",
    "jorge",
    "sofía",
    "andrés",
    "valentina",
    "carlos",
    "camila",
    "javier",
    "daniela",
    "fernando",
    "paula",
    "ramón",
]
GREETING = "gracias por llamar a banco altamar le atiende {name} en qué le puedo ayudar"
CLOSING = "hay algo más en lo que le pueda ayudar"
GREETING_SHARE, CLOSING_SHARE = 0.85, 0.50
# (phrase, share of calls, share of its plants with a filler inside, is a question)
PHRASES = [
    ("no me llega el código de verificación", 0.12, 0.3, False),
    ("quiero cancelar la tarjeta de crédito", 0.08, 0.3, False),
    ("me cobraron una comisión que no reconozco", 0.06, 0.3, False),
    ("me bloquearon la cuenta sin avisar", 0.05, 0.0, False),
    ("cuándo van a sacar la aplicación nueva", 0.04, 0.0, True),
    ("cuánto cuesta la anualidad", 0.03, 0.0, True),
    ("dónde hay cajeros en el aeropuerto", 0.03, 0.3, True),
    ("el cajero se tragó mi tarjeta", 0.025, 0.0, False),
    ("me pueden mandar el extracto por correo", 0.02, 0.0, True),
    ("la transferencia no aparece en mi cuenta", 0.015, 0.0, False),
    ("la aplicación se cierra sola", 0.015, 0.0, False),
]
FILLERS = ["eh", "eh", "este", "o sea"]
FILLER_WORDS = {"eh", "ehm", "em", "mm", "mhm", "hm", "uh", "um", "este"}
ACCENTLESS_SHARE = 0.3
SCALES = {"full": None, "small": 250}


def fold(text):
    """Lowercase, accents removed except ñ (ü → u), as Frasario folds."""
    text = unicodedata.normalize("NFD", text.lower())
    text = re.sub(r"n\u0303", "\x00", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text.replace("\x00", "ñ"))


def words(text, drop_fillers=True):
    """Folded tokens; slots («‹…›») stay one token; fillers («eh», «este», «o sea») dropped."""
    tokens = re.findall(r"‹[^›]*›|<\w+>|\w+", fold(text))
    if not drop_fillers:
        return tokens
    kept = []
    for token in tokens:
        if token == "sea" and kept and kept[-1] == "o":
            kept.pop()
        elif token not in FILLER_WORDS:
            kept.append(token)
    return kept


def is_slot(token):
    return token.startswith("‹")


def part_of(row, phrase, from_start=False):
    """How many words of `phrase` (token list) the row covers as a contiguous run; 0 if the
    row is not part of it. A slot covers 1 to 4 words."""
    if not row:
        return 0
    body = " ".join(r"\S+(?: \S+){0,3}?" if is_slot(t) else re.escape(t) for t in row)
    pattern = re.compile(body + r"(?= |$)")
    best = 0
    for start in [0] if from_start else range(len(phrase)):
        match = pattern.match(" ".join(phrase[start:]))
        if match:
            best = max(best, len(match.group(0).split()))
    return best


def reference_words(path):
    """The reference list's words, most frequent first (folded already)."""
    source = open(path, encoding="utf-8").read()
    table = source.split('static let table = """', 1)[1].split('"""', 1)[0]
    return [line.split()[0] for line in table.strip().splitlines() if line.strip()]


def conversations(data):
    """Conversation id → its utterances in order, empty lines skipped."""
    result = {}
    for name in SETS:
        lines = open(os.path.join(data, name + ".asr.es"), encoding="utf-8").read().split("\n")
        mapping = open(os.path.join(data, name + ".mapping"), encoding="utf-8").read().split("\n")
        for index, entry in enumerate(mapping):
            if entry.strip():
                text = lines[index].strip() if index < len(lines) else ""
                utterances = result.setdefault(entry.split()[0], [])
                if text:
                    utterances.append(text)
    return result


def cut_calls(convs, rng, limit):
    """Consecutive utterances in chunks of 14-22; a short tail joins the previous chunk."""
    calls = []
    for conv, utterances in convs.items():
        start, part = 0, 0
        while start < len(utterances):
            length = rng.randint(14, 22)
            if len(utterances) - (start + length) < 8:
                length = len(utterances) - start
            chunk = utterances[start : start + length]
            start += length
            if len(chunk) >= 8:
                part += 1
                turns = [{"speaker": "agente" if k % 2 == 0 else "cliente", "text": t} for k, t in enumerate(chunk)]
                calls.append({"call_id": f"{conv}-{part:02d}", "date": DATE, "turns": turns})
    if limit and len(calls) > limit:
        keep = sorted(rng.sample(range(len(calls)), limit))
        calls = [calls[i] for i in keep]
    return calls


def asr_style(phrase, rng, filler_share):
    """One plant of a phrase: maybe a filler inside, maybe without accents."""
    variant = {"filler": False, "accentless": False}
    tokens = phrase.split()
    if filler_share and rng.random() < filler_share:
        tokens.insert(rng.randint(1, len(tokens) - 1), rng.choice(FILLERS))
        variant["filler"] = True
    text = " ".join(tokens)
    if rng.random() < ACCENTLESS_SHARE:
        variant["accentless"] = fold(text) != text
        text = fold(text)
    return text, variant


def plant(calls, rng):
    """Plants the scripts and phrases; returns the truth table."""
    n = len(calls)
    truth = []
    for index in sorted(rng.sample(range(n), round(GREETING_SHARE * n))):
        first = calls[index]["turns"][0]
        greeting, _ = asr_style(GREETING.format(name=rng.choice(NAMES)), rng, 0)
        first["text"] = greeting + " " + first["text"]
    for index in sorted(rng.sample(range(n), round(CLOSING_SHARE * n))):
        last = [t for t in calls[index]["turns"] if t["speaker"] == "agente"][-1]
        closing, _ = asr_style(CLOSING, rng, 0)
        last["text"] = closing + " " + last["text"]
    # Insertions are applied at the end, at boundaries of the original words, so that one
    # plant never splits another.
    insertions = {}
    for phrase, share, filler_share, question in PHRASES:
        chosen = rng.sample(range(n), max(2, round(share * n)))
        fillers = accentless = 0
        for index in chosen:
            customer = [k for k, t in enumerate(calls[index]["turns"]) if t["speaker"] == "cliente"]
            turn = rng.choice(customer)
            position = rng.randint(0, len(calls[index]["turns"][turn]["text"].split()))
            text, variant = asr_style(phrase, rng, filler_share)
            fillers += variant["filler"]
            accentless += variant["accentless"]
            insertions.setdefault((index, turn), []).append((position, text))
        truth.append(
            {
                "phrase": phrase,
                "calls": len(set(chosen)),
                "share": len(set(chosen)) / n,
                "is_question": question,
                "with_filler": fillers,
                "accentless": accentless,
            }
        )
    for (index, turn), items in insertions.items():
        tokens = calls[index]["turns"][turn]["text"].split()
        for position, text in sorted(items, reverse=True):
            tokens[position:position] = text.split()
        calls[index]["turns"][turn]["text"] = " ".join(tokens)
    return truth


def run_frasario(binary, inputs, out, extra):
    command = [binary, "run", *inputs, "--out", out, "--lexicons", os.path.join(ROOT, "Lexicons/es"), "--quiet", *extra]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"quality: {' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return json.load(open(os.path.join(out, "report.json"), encoding="utf-8")), elapsed


def ranking(report, kind, top):
    rows = [r for r in report.get("phrases", []) if r.get("ranking") == kind]
    return sorted(rows, key=lambda r: r.get("rank", 0))[:top]


def row_line(row, note=""):
    share = row.get("shareOfCalls", row.get("share_of_calls", 0)) * 100
    return f"  {row.get('rank', '?'):>3}  {row.get('calls', '?'):>4} calls {share:5.1f}%  {row.get('text', '')}{note}"


def measure(report, truth, common1000, common100, common300):
    """The figures of the first section, printed as they are computed."""
    figures = {}
    customer20, customer50 = ranking(report, "customer", 20), ranking(report, "customer", 50)
    planted = [words(t["phrase"]) for t in truth]

    print("\nrecall@20 (customer ranking; exact = reported calls equal the truth)")
    for t, tokens in zip(truth, planted):
        need = min(3, len(tokens))
        hit = next((r for r in customer20 if part_of(words(r["text"]), tokens) >= need), None)
        t["found"] = hit is not None
        t["rank"], t["reported_calls"], t["row"] = (
            (hit["rank"], hit["calls"], hit["text"]) if hit else (None, None, None)
        )
        t["exact"] = bool(hit) and hit["calls"] == t["calls"]
        where = f"#{hit['rank']:<3} {hit['calls']:>3} calls  «{hit['text']}»" if hit else "missing"
        flag = " exact" if t["exact"] else ""
        print(f"  {t['share'] * 100:5.1f}% {t['calls']:>3} true calls  {t['phrase']:<42} {where}{flag}")
    for label, subset in (("share >= 2%", [t for t in truth if t["share"] >= 0.02 - 1e-9]), ("all", truth)):
        found, exact = sum(t["found"] for t in subset), sum(t["exact"] for t in subset)
        figures["recall_major" if label != "all" else "recall_all"] = {
            "found": found,
            "exact": exact,
            "total": len(subset),
        }
        print(f"  recall@20 {label}: {found}/{len(subset)} found, {exact}/{len(subset)} with exact calls")
    figures["missing_major"] = [t["phrase"] for t in truth if t["share"] >= 0.02 - 1e-9 and not t["found"]]

    def planted_part(row):
        """Part of a planted phrase, and not only words such as «no», «la» (100 most frequent)."""
        tokens = words(row["text"])
        return any(part_of(tokens, p) for p in planted) and not all(w in common100 for w in tokens if not is_slot(w))

    junk = []
    for row in customer20:
        tokens = [w for w in words(row["text"], drop_fillers=False) if not is_slot(w)]
        if tokens and all(w in common1000 for w in tokens) and not planted_part(row):
            junk.append(row)
    figures["junk_at_20"], figures["junk_rows"] = len(junk), [r["text"] for r in junk]
    print(f"\njunk@20: {len(junk)} customer top-20 rows made only of very common words")
    for row in junk:
        print(row_line(row))

    names = {fold(n) for n in NAMES}
    scripts = [words(GREETING.format(name="NAME")), words(CLOSING)]

    def same(row_token, script_token):
        if script_token == "name":
            return row_token in names or is_slot(row_token)
        return row_token == script_token

    def script_run(tokens):
        for script in scripts:
            for start in range(len(script) - len(tokens) + 1):
                if all(same(t, s) for t, s in zip(tokens, script[start:])):
                    return True
        return False

    leaks = []
    for row in customer50:
        tokens = words(row["text"], drop_fillers=False)
        named = any(t in names or t in ("‹nombre›", "‹name›") for t in tokens)
        everyday = all(t in common100 for t in tokens)
        if named or (len(tokens) >= 2 and script_run(tokens) and not everyday):
            leaks.append(row)
    figures["script_leaks"], figures["leak_rows"] = len(leaks), [r["text"] for r in leaks]
    print(f"\nscript leaks: {len(leaks)} customer top-50 rows from the agent scripts")
    for row in leaks:
        print(row_line(row))

    agent = ranking(report, "agent", 1000)
    greeting_rows = [
        r for r in agent if "le atiende" in fold(r["text"]) or "banco altamar" in fold(r["text"])
    ]
    named_rows = [r for r in agent[:20] if any(t in names for t in words(r["text"]))]
    figures["greeting"] = {
        "greeting_rows": len(greeting_rows),
        "one_row": len(greeting_rows) == 1,
        "named_rows_top20": len(named_rows),
        "rows": [r["text"] for r in greeting_rows],
    }
    print(
        f"\ngreeting: {len(greeting_rows)} agent row(s) of the greeting (target 1: one row, its name a slot or masked); "
        f"{len(named_rows)} agent top-20 row(s) name an agent (target 0)"
    )
    for row in greeting_rows + named_rows:
        print(row_line(row))

    questions = ranking(report, "customer_questions", 20)
    print("\nquestions: customer_questions top 10")
    for row in questions[:10]:
        print(row_line(row))
    figures["questions"] = {}
    for t, tokens in zip(truth, planted):
        if t["is_question"]:
            hit = next(
                (r for r in questions if part_of(words(r["text"]), tokens, from_start=True) >= min(3, len(tokens))),
                None,
            )
            figures["questions"][t["phrase"]] = hit["rank"] if hit else None
            print(f"  planted «{t['phrase']}»: " + (f"#{hit['rank']} «{hit['text']}»" if hit else "not in the top 20"))
    figures["questions_found"] = sum(v is not None for v in figures["questions"].values())

    keywords = ranking(report, "keywords", 20)
    figures["keywords"] = [r["text"] for r in keywords]
    figures["keywords_common"] = [r["text"] for r in keywords if all(w in common300 for w in words(r["text"], False))]
    if keywords:
        print(f"\nkeywords top 20 ({len(figures['keywords_common'])} among the 300 most frequent words, marked *)")
        for row in keywords:
            print(row_line(row, "  *" if row["text"] in figures["keywords_common"] else ""))
    else:
        print("\nkeywords: no `keywords` ranking in this report")

    print("\ncustomer top 20")
    for row in customer20:
        note = "  [planted]" if planted_part(row) else "  [junk]" if row in junk else ""
        print(row_line(row, note))
    return figures


def week(binary, work, common1000):
    """Examples/semana, night by night into one history: top question, common-word emerging rows."""
    nights = sorted(d for d in os.listdir(os.path.join(ROOT, "Examples/semana")) if d.startswith("20"))
    history = os.path.join(work, "h.sqlite")
    results = []
    print("\nExamples/semana, seven nights into one history")
    for night in nights:
        report, _ = run_frasario(
            binary,
            [os.path.join(ROOT, "Examples/semana", night)],
            os.path.join(work, "week", night),
            ["--history", history, "--date", night],
        )
        top = ranking(report, "customer_questions", 1)
        common = [
            r["text"]
            for r in report.get("emerging", [])
            if len(words(r["text"], False)) == 1 and words(r["text"], False)[0] in common1000
        ]
        results.append(
            {
                "date": night,
                "top_question": top[0]["text"] if top else None,
                "emerging": len(report.get("emerging", [])),
                "common_word_emerging": common,
            }
        )
        print(
            f"  {night}  top question: «{top[0]['text'] if top else '—'}»  emerging: {len(report.get('emerging', []))}"
            f"  common single words: {', '.join(common) if common else 'none'}"
        )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/frasario"))
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    parser.add_argument("--keep", metavar="DIR", help="keep the corpus and the reports in DIR")
    parser.add_argument("--skip-week", action="store_true", help="skip the Examples/semana section")
    args = parser.parse_args()

    if not os.path.exists(os.path.join(args.data, "fisher_dev.asr.es")):
        print(f"quality: skipped, no Fisher ASR data in {os.path.abspath(args.data)}")
        return 0
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"quality: {binary} is not built (make build)")
    reference_path = os.path.join(ROOT, "Sources/Frasario/Rank/SpanishReferenceFrequencies.swift")
    if not os.path.exists(reference_path):
        sys.exit(f"quality: {reference_path} is missing: no reference for «very common» words")
    reference = reference_words(reference_path)
    common1000, common300, common100 = set(reference[:1000]), set(reference[:300]), set(reference[:100])

    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="frasario-quality-")
    os.makedirs(work, exist_ok=True)
    try:
        rng = random.Random(args.seed)
        calls = cut_calls(conversations(args.data), rng, SCALES[args.scale])
        truth = plant(calls, rng)
        corpus = os.path.join(work, "corpus.jsonl")
        with open(corpus, "w", encoding="utf-8") as out:
            for call in calls:
                out.write(json.dumps(call, ensure_ascii=False) + "\n")
        turns = sum(len(c["turns"]) for c in calls)
        print(
            f"quality: {len(calls)} calls, {turns} turns of real Fisher ASR (seed {args.seed}, scale {args.scale}), "
            f"{len(truth)} planted customer phrases; {binary}"
        )
        report, elapsed = run_frasario(binary, [corpus], os.path.join(work, "out"), ["--date", DATE, "--no-history"])
        figures = {
            "calls": len(calls),
            "turns": turns,
            "seed": args.seed,
            "scale": args.scale,
            "elapsed_seconds": round(elapsed, 2),
        }
        figures.update(measure(report, truth, common1000, common100, common300))
        figures["truth"] = truth
        print(f"\nrun: {elapsed:.2f} s for {len(calls)} calls")
        if not args.skip_week:
            figures["week"] = week(binary, work, common1000)
            figures["week_common_word_emerging"] = sum(len(n["common_word_emerging"]) for n in figures["week"])
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(figures, out, ensure_ascii=False, indent=2)
        if args.keep:
            print(f"\ncorpus and reports kept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
