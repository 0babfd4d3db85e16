#!/usr/bin/env python3
"""Deterministic generator of realistic Spanish contact-center calls for benchmarks.

Every call mixes an agent script, customer questions and complaints planted from templates
(bank, telecom, e-commerce; Mexican, Argentine and Spain variants), fillers and stutters,
fake PII, and free talk drawn from a Zipfian long-tail vocabulary, so that the number of
distinct n-grams keeps growing with the corpus as it does with real calls.

    generate_corpus.py --megabytes 100 --seed 7 --jsonl out.jsonl --text out.txt

The JSONL file is Frasario's input; the text file holds the same turns, one per line,
for the peer tools (Python Counter, scikit-learn) that read plain text.
"""

import argparse
import json
import random

AGENT_OPENINGS = [
    "{empresa} buenas tardes le atiende {nombre} en qué le puedo ayudar",
    "gracias por llamar a {empresa} mi nombre es {nombre} con quién tengo el gusto",
    "{empresa} buenos días habla {nombre} cómo le puedo ayudar",
]
AGENT_LINES = [
    "me permite un momento por favor",
    "gracias por su paciencia",
    "con gusto le ayudo",
    "me puede proporcionar su número de cliente",
    "déjeme revisar en el sistema",
    "le comento que el pedido está en camino",
    "entiendo su molestia disculpe las molestias",
    "voy a levantar un reporte con el área correspondiente",
    "le puedo ayudar en algo más",
    "su folio es {numero}",
    "le transfiero con el área de aclaraciones",
    "ya quedó registrado su reporte",
]
CUSTOMER_QUESTIONS = [
    "dónde está mi pedido",
    "cuándo llega el técnico",
    "cómo cambio mi contraseña",
    "cuándo van a sacar la app para pagar con el celular",
    "tienen este modelo en otro color",
    "cuál es el horario de atención",
    "cómo puedo pagar la factura",
    "por qué me cobraron esto",
    "me pueden dar de baja hoy mismo",
    "hasta cuándo tengo para pagar",
    "tienen envío gratis",
    "puedo cambiar mi plan sin penalización",
    "cuánto cuesta el plan ilimitado",
]
CUSTOMER_COMPLAINTS = [
    "es la tercera vez que llamo por lo mismo",
    "llevo una semana esperando",
    "me cobraron dos veces",
    "no me funciona la aplicación",
    "quiero hablar con un supervisor",
    "nadie me da una solución",
    "me pasan de un lado a otro",
    "voy a poner una queja en profeco",
    "quiero dar de baja el servicio",
    "es una vergüenza",
    "ya estoy harto de esto",
    "me cortaron la línea sin avisar",
]
CUSTOMER_THANKS = ["muchas gracias por su ayuda", "muy amable gracias", "gracias que tenga buen día"]
VARIANTS = {
    "mx": ["oiga", "ahorita", "mande", "órale", "platicar", "celular", "ándale"],
    "ar": ["che", "mirá", "vos tenés", "querés", "dale", "celular", "re"],
    "es": ["vale", "tío", "vosotros", "móvil", "vale vale", "pues nada", "venga"],
}
FILLERS = ["eh", "este", "o sea", "mmm", "ehm", "pues", "bueno"]
EMPRESAS = ["Banco Altamar", "Telvira", "Tienda Lumen"]
NOMBRES = ["Mariana", "Jorge", "Ana", "Sergio", "Lucía", "Pablo", "Camila", "Roberto"]
SYLLABLES = [
    "ma",
    "pe",
    "ri",
    "to",
    "lu",
    "ca",
    "sa",
    "do",
    "ne",
    "ta",
    "bre",
    "cion",
    "mien",
    "gra",
    "tu",
    "ves",
    "lla",
    "ño",
]


def long_tail_vocabulary(rng, size):
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_sampler(rng, vocabulary, exponent=1.1):
    weights = [1.0 / (rank**exponent) for rank in range(1, len(vocabulary) + 1)]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def sample():
        import bisect

        return vocabulary[bisect.bisect_left(cumulative, rng.random() * total)]

    return sample


def fake_pii(rng):
    kind = rng.randint(0, 3)
    if kind == 0:
        return "mi tarjeta es %04d %04d %04d %04d" % tuple(rng.randint(0, 9999) for _ in range(4))
    if kind == 1:
        return "mi teléfono es 55 %04d %04d" % (rng.randint(0, 9999), rng.randint(0, 9999))
    if kind == 2:
        return "mi correo es %s.%s@correo.com" % (rng.choice(NOMBRES).lower(), rng.choice(["lopez", "perez", "ruiz"]))
    return "mi número de cliente es %08d" % rng.randint(0, 99999999)


def customer_line(rng, variant, free_word):
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(FILLERS))
    if rng.random() < 0.3:
        parts.append(rng.choice(VARIANTS[variant]))
    roll = rng.random()
    if roll < 0.25:
        question = rng.choice(CUSTOMER_QUESTIONS)
        parts.append("¿" + question + "?" if rng.random() < 0.6 else question)
    elif roll < 0.45:
        parts.append(rng.choice(CUSTOMER_COMPLAINTS))
    elif roll < 0.5:
        parts.append(fake_pii(rng))
    free = [free_word() for _ in range(rng.randint(3, 14))]
    if rng.random() < 0.1 and free:
        free.insert(1, free[0])  # a stutter
    parts.append(" ".join(free))
    return " ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jsonl", required=True)
    parser.add_argument("--text")
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    base = [
        "que",
        "de",
        "no",
        "la",
        "el",
        "y",
        "en",
        "me",
        "lo",
        "es",
        "un",
        "por",
        "para",
        "con",
        "se",
        "sí",
        "pero",
        "ya",
        "todo",
        "más",
        "bien",
        "cuenta",
        "servicio",
        "pago",
        "tarjeta",
        "factura",
        "línea",
        "internet",
        "pedido",
        "envío",
        "cargo",
        "saldo",
        "app",
        "código",
        "técnico",
        "sucursal",
        "semana",
    ]
    vocabulary = base + long_tail_vocabulary(rng, 60000)
    free_word = zipf_sampler(rng, vocabulary)
    target = int(arguments.megabytes * 1_000_000)
    written = 0
    call = 0
    text_file = open(arguments.text, "w", encoding="utf-8") if arguments.text else None
    with open(arguments.jsonl, "w", encoding="utf-8") as out:
        while written < target:
            call += 1
            variant = rng.choice(list(VARIANTS))
            empresa, nombre = rng.choice(EMPRESAS), rng.choice(NOMBRES)
            turns = [("agente", rng.choice(AGENT_OPENINGS).format(empresa=empresa, nombre=nombre))]
            for _ in range(rng.randint(6, 30)):
                turns.append(("cliente", customer_line(rng, variant, free_word)))
                line = rng.choice(AGENT_LINES).format(numero=rng.randint(10000, 99999))
                if rng.random() < 0.5:
                    line += " " + " ".join(free_word() for _ in range(rng.randint(2, 8)))
                turns.append(("agente", line))
            turns.append(("cliente", rng.choice(CUSTOMER_THANKS)))
            clock = 0.0
            rows = []
            for speaker, text in turns:
                duration = round(1.0 + len(text) / 15.0, 1)
                rows.append(
                    {"speaker": speaker, "text": text, "start": round(clock, 1), "end": round(clock + duration, 1)}
                )
                clock += duration + 0.4
            record = {
                "call_id": "gen-%07d" % call,
                "date": "2026-11-%02d" % (1 + call % 28),
                "channel": "voz",
                "turns": rows,
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            if text_file:
                for row in rows:
                    text_file.write(row["text"] + "\n")
    if text_file:
        text_file.close()


if __name__ == "__main__":
    main()
