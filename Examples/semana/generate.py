#!/usr/bin/env python3
"""Generate a synthetic demo week of nightly JSONL batches for Frasario.

Banco Aurora, a Spanish bank/fintech contact center, receives between 36 and 48 calls a
night from 2026-11-16 to 2026-11-22. Each night is written to
<out>/<date>/llamadas.jsonl, one call per line:

    {"call_id": "sem-1116-0001", "date": "2026-11-16", "channel": "voz",
     "turns": [{"speaker": "agente", "text": "..."}, {"speaker": "cliente", "text": "..."}]}

The week exists to demonstrate and test run history, trends and emerging phrases. The
number of calls per topic and night is fixed by a schedule drawn first from the seeded
RNG (not by per-call draws), so these planted trends always hold:

  1. "código de verificación" (SMS code not arriving): 2-3 calls a night on 11-16..11-21,
     then a spike of 14-16 calls on 11-22 (an SMS incident).
  2. "la app nueva" (new app): absent (the words "app nueva" appear nowhere) on
     11-16..11-20, 4-5 calls on 11-21 (launch), 9-11 calls on 11-22.
  3. "cobro duplicado" / "me han cobrado dos veces": steady, 5-7 a night.
  4. "dar de baja" (card/account): a steady decline, 14, 12, 10, 8, 6, 5, 4 calls (its share
     of calls falls every night: flagged ▼ by the last night).
  5. "bloquear la tarjeta" (lost/stolen card): steady, 4-6.
  6. "transferencia" that has not arrived: steady, 4-6.
  7. "hablar con un supervisor" / "es la tercera vez que llamo": 2-4 a night, always as a
     second topic inside (phone) calls of topics 1-6.
  8. Miscellaneous (address, PIN, mortgage, opening hours, foreign customers...) fills
     the rest of the night; it also appears as a short second request in some calls.
  9. "bizum" (payments between people fail): one call a night on 11-16..11-21, below the
     default --min-calls, then 9 calls on 11-22: a rise, never «nueva».
 10. "tarjeta virtual" (how to get the virtual card): absent on 11-16..11-21, 6 calls on
     11-22: the brand-new phrase.

Every call of topics 1-7 carries its key phrase verbatim (for topic 1 with accents at
least in the agent's turn); no other call does, and the script checks this before
writing. About 15% of calls are chats (lowercase, no accents, "q", "xq", "porfa") and
about 10% carry synthetic personal data the pipeline must mask (card, phone, e-mail, DNI).

Regenerate (deterministic: random.Random(20261122), byte-identical on every run):

    python3 Examples/semana/generate.py            # writes next to this script
    python3 Examples/semana/generate.py --out DIR  # writes DIR/2026-11-16/... instead
"""

import argparse
import datetime
import json
import os
import re
import unicodedata
from random import Random

SEED = 20261122
FIRST_DAY = datetime.date(2026, 11, 16)
DAYS = 7
MIN_CALLS, MAX_CALLS, MIN_MISC = 46, 52, 3
DECREASING_BAJA = [14, 12, 10, 8, 6, 5, 4]
KEYS = {
    1: ["codigo de verificacion"],
    2: ["app nueva"],
    3: ["cobro duplicado", "me han cobrado dos veces"],
    4: ["dar de baja"],
    5: ["bloquear la tarjeta"],
    6: ["transferencia"],
    7: ["hablar con un supervisor", "tercera vez que llamo"],
    9: ["bizum"],
    10: ["tarjeta virtual"],
}

# --- Topic phrasings ------------------------------------------------------------------
# c: customer wordings (lowercase start; questions carry their own ¿?), ack: agent's first
# words, res: agent's answer, fu: (customer follow-up, agent answer), extra: context.
TOPICS = {
    1: [
        dict(
            c=[
                "no me llega el código de verificación",
                "el código de verificación no me llega al móvil",
                "estoy intentando pagar una compra por internet y no me llega el código de verificación",
                "¿por qué no me llega el código de verificación?",
                "llevo un buen rato esperando el código de verificación y nada",
                "me pide un código de verificación para entrar y el SMS no llega",
                "no me está llegando el código de verificación al celular",
                "le doy a reenviar el código de verificación y no me llega nada",
                "¿me pueden mandar otra vez el código de verificación? Es que no me ha llegado",
                "el código de verificación me llega tarde y cuando lo pongo ya ha caducado",
                "me sale que introduzca el código de verificación pero no me ha llegado ningún mensaje",
                "no recibo el SMS con la clave para confirmar el pago",
            ],
            extra=[
                "Ya he reiniciado el móvil y nada.",
                "Tengo cobertura, eh, los demás mensajes sí me llegan.",
                "Lo he intentado varias veces.",
                "Y necesito hacer el pago hoy.",
            ],
            ack=["Vale, vamos a revisarlo.", "Entiendo, lo compruebo ahora mismo.", "De acuerdo, déjeme que lo mire."],
            res=[
                "El móvil que tenemos registrado es el correcto. Le reenvío el código de verificación ahora mismo; debería llegarle en un par de minutos.",
                "Puede que el teléfono esté filtrando mensajes de remitentes desconocidos. Le vuelvo a enviar el código de verificación, revise la carpeta de spam de los SMS.",
                "Veo que el código de verificación se generó pero caducó. Le genero uno nuevo; tiene cinco minutos para introducirlo.",
            ],
            res_spike=[
                "Sí, hoy tenemos una incidencia con el envío del código de verificación por SMS. Los técnicos ya están en ello y debería quedar resuelto en unas horas.",
                "Le confirmo que ahora mismo hay un retraso general en los SMS con el código de verificación. Le recomiendo intentarlo de nuevo más tarde o confirmar desde la app con la firma digital.",
                "No es cosa suya: estamos teniendo un problema con el proveedor de SMS y el código de verificación llega con mucho retraso. Disculpe las molestias.",
            ],
            fu=[
                ("¿Y cuánto suele tardar en llegar?", "Normalmente es inmediato, como mucho un par de minutos."),
                (
                    "¿Me lo pueden mandar por correo en vez de por SMS?",
                    "Por seguridad el código de verificación solo se envía por SMS al móvil registrado.",
                ),
                (
                    "¿Puedo cambiar el número de móvil? Es que tengo uno nuevo.",
                    "Sí, pero el cambio de móvil hay que hacerlo en una oficina o desde un cajero con la tarjeta.",
                ),
                ("¿Y si mañana sigue sin llegar qué hago?", "Llámenos de nuevo y lo pasamos al equipo técnico."),
            ],
        )
    ],
    2: [
        dict(  # before and at launch: when, what
            c=[
                "¿cuándo sale la app nueva?",
                "¿la app nueva va a integrar la banca y las tarjetas?",
                "he visto el anuncio de la app nueva, ¿ya se puede descargar?",
                "¿tengo que borrar la app de siempre para instalar la app nueva?",
                "¿la app nueva ya está disponible para Android?",
                "¿en la app nueva voy a ver también la hipoteca y la tarjeta de crédito?",
                "me ha llegado un correo sobre la app nueva y no sé qué tengo que hacer",
                "quería preguntar por la app nueva, ¿es gratis?",
            ],
            ack=["Sí, claro, le cuento.", "Buena pregunta, le explico.", "Claro, con mucho gusto."],
            res=[
                "La app nueva se está activando por fases desde esta semana; le llegará una notificación cuando esté disponible para usted.",
                "Sí, la app nueva integra la cuenta, las tarjetas, la hipoteca y los seguros en un solo sitio, y es gratuita.",
                "La app nueva ya está en las tiendas de Android e iPhone. Puede instalarla y la antigua seguirá funcionando unos meses.",
            ],
            fu=[
                (
                    "¿Y mis claves de siempre valen?",
                    "Sí, entra con el mismo usuario y la misma clave de la banca online.",
                ),
                (
                    "¿La antigua la van a quitar?",
                    "Seguirá funcionando hasta final de año; después solo quedará la app nueva.",
                ),
            ],
        ),
        dict(  # after launch: cannot get in
            c=[
                "no puedo entrar en la app nueva",
                "me he descargado la app nueva y no me deja entrar",
                "la app nueva me pide otra vez las claves y no me las acepta",
                "¿qué pasa con la app nueva? No me deja iniciar sesión",
                "he instalado la app nueva y se queda cargando todo el rato",
                "¿por qué la app nueva me dice que mi dispositivo no está autorizado?",
                "en la app nueva no me salen las tarjetas, solo la cuenta",
                "ayer me funcionaba y hoy la app nueva no me deja entrar",
            ],
            ack=["Vaya, lo siento, vamos a verlo.", "Entiendo, déjeme que lo revise.", "De acuerdo, le ayudo."],
            res=[
                "Para entrar en la app nueva tiene que activar el dispositivo la primera vez; le llegará un aviso a la app antigua para confirmarlo.",
                "En la app nueva el usuario es el DNI y la clave es la misma de la banca online. Le desbloqueo el acceso ahora mismo.",
                "Estamos viendo algunos problemas de acceso a la app nueva tras la actualización. Desinstálela, vuelva a instalarla y debería funcionar.",
            ],
            fu=[
                ("¿Y mientras tanto puedo usar la otra app?", "Sí, la app antigua sigue funcionando con normalidad."),
                (
                    "¿Esto le pasa a más gente?",
                    "Sí, hemos recibido varias llamadas; el equipo técnico ya lo está revisando.",
                ),
            ],
        ),
    ],
    3: [
        dict(
            c=[
                "me han cobrado dos veces la compra del supermercado",
                "tengo un cobro duplicado en la tarjeta",
                "me han cobrado dos veces lo mismo en {merchant}",
                "¿por qué me aparece un cobro duplicado de {amount}?",
                "he mirado los movimientos y me han cobrado dos veces el recibo de la luz",
                "me sale un cobro duplicado de {merchant}, ¿me lo pueden devolver?",
                "en la app me aparece un cobro duplicado",
                "me han cobrado dos veces la cuota de la tarjeta este mes",
                "quería reclamar un cobro duplicado de {amount}",
                "me cobraron dos veces en {merchant} y quiero que me devuelvan la plata",
            ],
            extra=["Es de {amount}.", "Lo he visto esta mañana en los movimientos.", "Y solo hice una compra, ¿eh?"],
            ack=["Vale, lo miro.", "Entiendo, vamos a revisar los movimientos.", "De acuerdo, un momento."],
            res=[
                "Efectivamente, veo el cobro duplicado de {amount} en {merchant}. Abro una reclamación y se le devolverá en cinco a diez días hábiles.",
                "Sí, aparece un cobro duplicado. Uno de los dos cargos está todavía pendiente y se anulará solo en unos días; si no, lo reclamamos.",
                "Le confirmo el cobro duplicado. Ya he tramitado la devolución del segundo cargo de {amount}.",
            ],
            fu=[
                ("¿Y cuándo me devuelven el dinero?", "Entre cinco y diez días hábiles, lo verá en sus movimientos."),
                ("¿Tengo que hacer algo yo?", "No, ya queda la reclamación abierta; le avisaremos por correo."),
                (
                    "¿Me pueden mandar un justificante de la reclamación?",
                    "Sí, se lo envío al correo que tiene registrado.",
                ),
            ],
        )
    ],
    4: [
        dict(  # the card
            c=[
                "quiero dar de baja la tarjeta de crédito",
                "¿cómo puedo dar de baja la tarjeta?",
                "me gustaría dar de baja la tarjeta porque ya no la uso",
                "quiero dar de baja la tarjeta adicional de mi marido",
                "¿qué tengo que hacer para dar de baja la tarjeta? Es que me cobran la cuota anual",
            ],
            ack=["Entiendo.", "Vale, lamento oír eso.", "De acuerdo."],
            res=[
                "Antes de tramitar la baja, le puedo quitar la cuota anual de la tarjeta. ¿Le interesa? Si no, la tramito igualmente.",
                "Le tramito la baja de la tarjeta ahora mismo; recibirá la confirmación por correo en un par de días.",
            ],
            fu=[
                ("¿Me cobran algo por cancelarla?", "No, la baja no tiene ningún coste."),
                ("No, no me interesa, quiero la baja.", "Entendido, queda tramitada."),
            ],
        ),
        dict(  # the account
            c=[
                "quería dar de baja la cuenta, que me cambio de banco",
                "¿me pueden dar de baja la cuenta? Me cobran demasiadas comisiones",
                "necesito dar de baja la cuenta de ahorro",
                "llamo para dar de baja la cuenta, ya lo he decidido",
            ],
            ack=["Entiendo.", "Vale, lamento oír eso.", "De acuerdo."],
            res=[
                "Para cerrar la cuenta tiene que estar a cero y sin recibos pendientes. Le dejo la solicitud de baja hecha y le llamarán para confirmarla.",
                "Antes de cerrarla, le puedo dejar la cuenta sin comisiones. ¿Le interesa? Si no, tramito la baja igualmente.",
            ],
            fu=[
                ("¿Me cobran algo por cerrarla?", "No, la baja no tiene ningún coste."),
                (
                    "¿Y los recibos que tengo domiciliados?",
                    "Tendría que cambiarlos a la nueva cuenta antes de que cerremos esta.",
                ),
                ("No, no me interesa, quiero la baja.", "Entendido, queda tramitada."),
            ],
        ),
    ],
    5: [
        dict(
            c=[
                "necesito bloquear la tarjeta, que me la han robado",
                "he perdido la cartera y quiero bloquear la tarjeta",
                "¿me pueden bloquear la tarjeta? No la encuentro por ningún lado",
                "me robaron la billetera en el metro y necesito bloquear la tarjeta ya",
                "creo que me han clonado la tarjeta, quiero bloquearla",
                "¿cómo puedo bloquear la tarjeta? Estoy de viaje y la he perdido",
                "quiero bloquear la tarjeta porque me aparecen compras que no he hecho",
                "se me ha quedado la tarjeta en el cajero, ¿la pueden bloquear?",
            ],
            ack=[
                "Tranquilo, vamos a bloquear la tarjeta ahora mismo.",
                "Vale, le ayudo a bloquear la tarjeta enseguida.",
                "De acuerdo, no se preocupe, lo primero es bloquear la tarjeta.",
            ],
            res=[
                "Ya está bloqueada. Le enviaremos una tarjeta nueva a su domicilio en unos cinco días.",
                "La tarjeta queda bloqueada desde este momento. Si ve algún cargo que no reconoce, lo reclamamos.",
                "Listo, bloqueada. También puede bloquearla y desbloquearla usted desde la app en el apartado de tarjetas.",
            ],
            fu=[
                ("¿Y la tarjeta nueva tendrá el mismo PIN?", "Sí, se mantiene el mismo PIN."),
                (
                    "¿Me devuelven lo que hayan gastado?",
                    "Abrimos una reclamación por los cargos no reconocidos y se estudia en unos días.",
                ),
                (
                    "¿Puedo sacar dinero mientras tanto?",
                    "Sí, con el DNI en cualquier oficina o con el código desde la app en el cajero.",
                ),
            ],
        )
    ],
    6: [
        dict(
            c=[
                "la transferencia no ha llegado",
                "hice una transferencia {weekday} y todavía no ha llegado",
                "¿por qué no me ha llegado la transferencia de la nómina?",
                "me tenían que hacer una transferencia y no me aparece",
                "mandé una transferencia a mi hijo y dice que no la ha recibido",
                "la transferencia internacional sigue sin llegar",
                "¿cuánto tarda una transferencia? La hice hace tres días y no ha llegado",
                "hice una transferencia a otro banco y no ha llegado, ¿me la pueden rastrear?",
            ],
            ack=["Vale, déjeme que la busque.", "Un momento, que lo compruebo.", "Entiendo, vamos a verla."],
            res=[
                "Veo la transferencia emitida {weekday}. A otros bancos puede tardar hasta dos días hábiles; debería llegar mañana.",
                "La transferencia está retenida por una revisión de seguridad. La libero ahora y llegará hoy mismo.",
                "La transferencia salió correctamente de nuestro lado; le envío el justificante para que lo reclame en el banco de destino.",
            ],
            fu=[
                ("¿Y me pueden mandar el justificante?", "Sí, se lo envío ahora al correo."),
                ("¿Me van a cobrar comisión por esto?", "No, no tiene ninguna comisión."),
            ],
        )
    ],
    9: [
        dict(
            c=[
                "no me deja hacer un bizum",
                "el bizum que me mandaron no me ha llegado",
                "¿por qué me da error el bizum?",
                "intento enviar un bizum a mi hermana y me sale un error",
                "me dice que el bizum no está disponible",
                "he hecho un bizum y se ha quedado pendiente",
            ],
            ack=["Vale, lo reviso.", "Entiendo, déjeme comprobarlo.", "De acuerdo, vamos a verlo."],
            res=[
                "Veo que el servicio de pagos entre particulares ha dado errores; ya está restablecido, inténtelo de nuevo.",
                "Su número está dado de alta correctamente; el problema es del servicio, el equipo técnico ya lo sabe.",
                "El envío quedó pendiente; se lo anulo y puede volver a hacerlo en unos minutos.",
            ],
            fu=[
                ("¿Y me han cobrado algo?", "No, un envío fallido no tiene ningún coste."),
                ("¿Esto le pasa a más gente?", "Sí, hoy hemos tenido varias llamadas por lo mismo."),
            ],
        )
    ],
    10: [
        dict(
            c=[
                "¿cómo puedo pedir la tarjeta virtual?",
                "quería saber si tienen tarjeta virtual para comprar por internet",
                "he visto que ya se puede pedir la tarjeta virtual, ¿cómo se hace?",
                "¿la tarjeta virtual tiene algún coste?",
                "quiero activar la tarjeta virtual en el móvil",
            ],
            ack=["Claro, le explico.", "Sí, con mucho gusto.", "Buena pregunta."],
            res=[
                "Se pide desde la app, en el apartado de tarjetas; queda activa al momento y no tiene coste.",
                "Sí, desde hoy está disponible para todos los clientes; le mando las instrucciones al correo.",
            ],
            fu=[("¿Y sirve para pagar con el móvil?", "Sí, puede añadirla al monedero del móvil.")],
        )
    ],
}

MISC = [
    dict(
        name="direccion",
        c=[
            "quería cambiar la dirección de correspondencia",
            "me he mudado y quiero actualizar mi dirección",
            "¿dónde puedo cambiar la dirección postal?",
            "me cambié de casa y quiero actualizar el domicilio",
        ],
        res=[
            "Se la cambio yo ahora; le llegará una carta de confirmación a la nueva dirección.",
            "Puede cambiarla en la app, en Perfil, o se la cambio yo ahora mismo.",
        ],
    ),
    dict(
        name="pin",
        c=[
            "no me acuerdo del PIN de la tarjeta",
            "¿cómo puedo cambiar el PIN?",
            "he metido mal el PIN tres veces y el cajero no me deja sacar",
            "¿me pueden recordar el PIN de la tarjeta?",
        ],
        res=[
            "El PIN lo puede consultar en la app, en el apartado de la tarjeta, con su clave.",
            "El PIN se puede cambiar en cualquier cajero de Banco Aurora. Si lo ha bloqueado, se desbloquea a medianoche.",
        ],
    ),
    dict(
        name="hipoteca",
        c=[
            "quería información sobre la hipoteca",
            "¿cuánto me queda de hipoteca?",
            "¿puedo amortizar una parte de la hipoteca?",
            "me interesa una hipoteca a tipo fijo, ¿qué condiciones tienen?",
        ],
        res=[
            "Le paso la consulta a un gestor hipotecario y le llamará esta semana.",
            "Sí, puede amortizar cuando quiera; la comisión depende del contrato, se lo miro.",
        ],
    ),
    dict(
        name="horario",
        c=[
            "¿a qué hora abre la oficina de la calle Mayor?",
            "¿abren los sábados?",
            "¿cuál es el horario de las oficinas?",
            "¿hasta qué hora se puede llamar a este teléfono?",
        ],
        res=[
            "Las oficinas abren de lunes a viernes de ocho y media a dos y media.",
            "El teléfono atiende todos los días de ocho de la mañana a diez de la noche.",
        ],
    ),
    dict(
        name="limite",
        c=[
            "¿me pueden subir el límite de la tarjeta?",
            "quiero aumentar el límite de compra, que me voy de viaje",
            "necesito un certificado de titularidad de la cuenta",
        ],
        res=[
            "Se lo cambio ahora; el nuevo límite se aplica en unos minutos.",
            "Se lo envío por correo en un rato, también lo puede descargar en la app.",
        ],
    ),
    dict(
        name="extranjero",
        second=False,
        nofiller=True,
        ack=["Sí, claro, no se preocupe."],
        c=[
            "perdone, mi español no es muy bueno. Yo quiero abrir una cuenta, ¿es posible?",
            "hello, perdón, mi español no es muy bueno. ¿Usted habla inglés?",
            "perdone, mi español no es muy bueno. Necesito un certificado de la cuenta para mi trabajo",
            "sorry, perdone, mi español no es muy bueno. ¿Dónde está la oficina más cerca?",
        ],
        res=[
            "Le hablo despacio. Eso lo puede hacer en cualquier oficina con su pasaporte o NIE.",
            "Tenemos atención en inglés en este mismo teléfono; si quiere, le paso y se lo explican.",
        ],
    ),
]
ESCALATION_FRUSTRATION = [
    "Es la tercera vez que llamo por esto.",
    "Mire, es la tercera vez que llamo y nadie me lo soluciona.",
    "Ya es la tercera vez que llamo por lo mismo.",
    "O sea, es la tercera vez que llamo, ¿eh?",
]
ESCALATION_OTHER = ["Llevo toda la semana con esto,", "Estoy ya harto de esperar,", "Nadie me da una solución,"]
ESCALATION_DEMAND = [
    "Quiero hablar con un supervisor.",
    "¿Me puede pasar con un supervisor?",
    "Páseme con un supervisor, por favor.",
    "Necesito hablar con un supervisor ya.",
]
ESCALATION_AGENT = [
    "Entiendo su malestar y le pido disculpas. Marco la incidencia como urgente y le paso con mi supervisora.",
    "Lamento mucho las molestias. He escalado su caso y un supervisor le llamará en las próximas 24 horas.",
    "Tiene toda la razón en estar molesto. Le paso ahora con un supervisor, no cuelgue, por favor.",
]

# --- Conversation glue ----------------------------------------------------------------
AGENTS = [
    "Marta",
    "Javier",
    "Lucía",
    "Sergio",
    "Carmen",
    "Andrés",
    "Paula",
    "Diego",
    "Nuria",
    "Raúl",
    "Elena",
    "Óscar",
    "Beatriz",
    "Miguel",
]
GREETINGS = [
    "Banco Aurora, {s}, le atiende {n}, ¿en qué puedo ayudarle?",
    "Banco Aurora, {s}. Mi nombre es {n}, ¿en qué le puedo ayudar?",
    "{S}, bienvenido a Banco Aurora, le atiende {n}. ¿En qué puedo ayudarle?",
    "Gracias por llamar a Banco Aurora, {s}, le atiende {n}. ¿Qué puedo hacer por usted?",
    "Banco Aurora, {s}, soy {n}. Dígame, ¿en qué puedo ayudarle?",
]
CHAT_GREETINGS = [
    "Hola, soy {n}, del chat de Banco Aurora. ¿En qué puedo ayudarle?",
    "Bienvenido al chat de Banco Aurora, le atiende {n}. ¿En qué puedo ayudarle?",
]
HELLO = {
    "es": ["Hola, {s}.", "Sí, hola, {s}.", "Buenas.", "Hola, buenas."],
    "latam": ["Aló, sí, {s}.", "Hola, {s}, ¿qué tal?", "Buenas, ¿cómo está?"],
}
FILLERS = {
    "es": ["Mire,", "Pues mire,", "Eh,", "A ver,", "O sea,", "Pues nada, que", "Verá,", "Mire, es que", ""],
    "latam": ["Mire,", "Este,", "Fíjese que", "O sea,", "Oiga,", "Eh, pues", "Sí, mire, es que", ""],
}
Q_FILLERS = ["Mire,", "Oiga,", "Una pregunta,", "Eh,", "Verá,", "Mire, una cosa,", ""]
FOLLOW_PREFIX = ["", "Vale. ", "Ah, vale. ", "Vale, vale. ", "Muy bien. ", "Ajá. ", "Vale, perfecto. "]
SECOND_PREFIX = ["Y otra cosa,", "Ya que estoy,", "Una cosa más,", "Ah, y otra pregunta,"]
ANYTHING_ELSE = [
    "¿Algo más en lo que pueda ayudarle?",
    "¿Puedo ayudarle en algo más?",
    "¿Necesita algo más?",
    "¿Alguna otra consulta?",
]
BYE_CUSTOMER = {
    "es": [
        "No, nada más, gracias.",
        "No, eso era todo. Muchas gracias.",
        "Nada más, muy amable.",
        "No, ya está, gracias. Adiós.",
    ],
    "latam": ["No, sería todo, muchas gracias.", "No, eso es todo, muy amable.", "Nada más, gracias, que esté bien."],
}
BYE_AGENT = [
    "Gracias por llamar a Banco Aurora, que tenga {g}.",
    "A usted. Gracias por llamar, que pase {g}.",
    "Gracias por llamar a Banco Aurora. Hasta luego.",
]
TIMES = [("buenos días", "un buen día"), ("buenas tardes", "una buena tarde"), ("buenas noches", "una buena noche")]
MERCHANTS = [
    "Mercadona",
    "Amazon",
    "la gasolinera",
    "Netflix",
    "el supermercado",
    "una tienda online",
    "Zara",
    "el gimnasio",
]
AMOUNTS = [
    "12,99 euros",
    "23,50 euros",
    "49,90 euros",
    "7,45 euros",
    "120 euros",
    "35 euros",
    "64,20 euros",
    "18 euros",
]
WEEKDAYS = ["el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "ayer", "antes de ayer"]
LATAM_SUBS = [
    (r"\bmóvil\b", "celular"),
    (r"\bcartera\b", "billetera"),
    (r"\bme han cobrado\b", "me cobraron"),
    (r"\bhe perdido\b", "perdí"),
    (r"\bdinero\b", "plata"),
]

# --- Synthetic personal data ----------------------------------------------------------
FIRST = ["laura", "carlos", "ana", "jorge", "marta", "luis", "sofia", "pablo", "isabel", "daniel"]
LAST = ["gomez", "fernandez", "ruiz", "martin", "sanchez", "lopez", "diaz", "moreno", "herrera", "castro"]
DOMAINS = ["gmail.com", "hotmail.com", "yahoo.es", "outlook.com"]
PII_REQUEST = {
    "dni": "Para comprobar su identidad, ¿me facilita su DNI?",
    "phone": "¿Me confirma un teléfono de contacto?",
    "email": "¿Me confirma el correo electrónico que tiene registrado?",
    "card": "¿Me dice el número de la tarjeta, por favor?",
}
PII_ANSWER = {
    "dni": ["Sí, es el {v}.", "Claro, {v}."],
    "phone": ["Mi móvil es el {v}.", "Sí, el {v}."],
    "email": ["Sí, {v}.", "Es {v}, todo junto."],
    "card": ["Sí, es la {v}.", "A ver, espere... {v}."],
}


def luhn_card(rng):
    digits = [int(d) for d in rng.choice(["4539", "4716", "5425", "4485"])] + [rng.randint(0, 9) for _ in range(11)]
    total = 0
    for i, d in enumerate(reversed(digits)):  # check digit position is even from the right
        total += (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4))


def make_pii(rng, kind, region):
    if kind == "dni":
        n = rng.randint(10000000, 99999999)
        return "%d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])
    if kind == "phone":
        if region == "latam":
            return "55 %04d %04d" % (rng.randint(1000, 9999), rng.randint(0, 9999))
        return "6%02d %03d %03d" % (rng.randint(0, 99), rng.randint(0, 999), rng.randint(0, 999))
    if kind == "email":
        return "%s.%s%s@%s" % (
            rng.choice(FIRST),
            rng.choice(LAST),
            rng.choice(["", "", "84", "_91"]),
            rng.choice(DOMAINS),
        )
    return luhn_card(rng)


# --- Text styles ----------------------------------------------------------------------
def cap(s):
    i = 0
    while i < len(s) and s[i] in "¿¡":
        i += 1
    return s[:i] + s[i : i + 1].upper() + s[i + 1 :]


def end(s):
    return s if s.endswith(("?", ".", "!")) else s + "."


def strip_accents(s):
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch) and not (ch == "\u0303" and out and out[-1] in "nN"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def asr_style(rng, text):
    """Spoken-transcript look: lowercase, no commas or full stops, the odd stutter."""
    t = re.sub(r"[¿¡]|[,.;:!](?=\s|$)", "", text.lower())
    if rng.random() < 0.4:
        t = re.sub(r" que (?!llamo)", " que que ", t, count=1) if re.search(r" que (?!llamo)", t) else "eh " + t
    return re.sub(r"\s+", " ", t).strip()


def chat_style(rng, text):
    """Chat look: lowercase, no accents, q / xq / porfa / msj, doubled question marks."""
    t = strip_accents(text.lower()).replace("¿", "").replace("¡", "")
    for pattern, repl in [
        (r"\bpor que\b", "xq"),
        (r"\bporque\b", "xq"),
        (r"\bpor favor\b", "porfa"),
        (r"\bmensaje\b", "msj"),
        (r"\btambien\b", "tb"),
        (r"\bque\b(?! llamo)", "q"),
        (r"\beh,? ", ""),
    ]:
        t = re.sub(pattern, repl, t)
    t = re.sub(r"\.(?=\s|$)", "", t).strip()
    if "porfa" not in t and re.search(r"\?|quiero|necesito|pueden", t) and rng.random() < 0.3:
        t = t.rstrip("?") + " porfa" + ("?" if t.endswith("?") else "")
    if t.endswith("?") and rng.random() < 0.4:
        t += "?"
    return t


# --- Schedule and calls ---------------------------------------------------------------
def schedule(rng):
    """Planned calls per topic and night, drawn before any call is written."""
    nights = []
    for i in range(DAYS):
        while True:
            plan = {
                1: rng.randint(14, 16) if i == 6 else rng.randint(2, 3),
                2: rng.randint(9, 11) if i == 6 else rng.randint(4, 5) if i == 5 else 0,
                3: rng.randint(5, 7),
                4: DECREASING_BAJA[i],
                5: rng.randint(4, 6),
                6: rng.randint(4, 6),
                9: 9 if i == 6 else 1,
                10: 6 if i == 6 else 0,
            }
            fixed = sum(plan.values())
            # The last night's incidents add calls on top of a normal night.
            if fixed + MIN_MISC <= MAX_CALLS or i == DAYS - 1:
                break
        total = rng.randint(max(MIN_CALLS, fixed + MIN_MISC), max(MAX_CALLS, fixed + 2 * MIN_MISC))
        plan[8] = total - fixed
        plan[7] = rng.randint(2, 4)  # escalations, placed inside other calls
        nights.append(plan)
    return nights


def build_call(rng, call_id, day, date, topic, escalate):
    region = "latam" if rng.random() < 0.35 else "es"
    chat = rng.random() < 0.17 and not escalate  # escalations are phone calls
    saludo, wish = rng.choice(TIMES)
    agent = rng.choice(AGENTS)
    v = dict(merchant=rng.choice(MERCHANTS), amount=rng.choice(AMOUNTS), weekday=rng.choice(WEEKDAYS))
    if topic == 8:
        spec = rng.choice(MISC)
    elif topic == 2:
        spec = TOPICS[2][0 if rng.random() < (0.7 if day == 5 else 0.4) else 1]
    else:
        spec = rng.choice(TOPICS[topic])
    turns = []

    def say(speaker, text, pii=False):
        text = text.format(**v)
        if speaker == "cliente":
            if region == "latam":
                for pattern, repl in LATAM_SUBS:
                    if rng.random() < 0.6:
                        text = re.sub(pattern, repl, text)
            if chat:
                text = chat_style(rng, text)
            elif not pii and rng.random() < 0.2:
                text = asr_style(rng, text)
        turns.append({"speaker": speaker, "text": text})

    # Opening: greeting, the customer's reason, the agent's answer (maybe after asking for data).
    if chat:
        say("agente", rng.choice(CHAT_GREETINGS).format(n=agent))
    else:
        say("agente", rng.choice(GREETINGS).format(s=saludo, S=cap(saludo), n=agent))
    wording = rng.choice(spec["c"])
    filler = "" if spec.get("nofiller") else rng.choice(Q_FILLERS if wording.startswith("¿") else FILLERS[region])
    reason = end(cap(filler + " " + wording if filler else wording))
    if spec.get("extra") and rng.random() < 0.35:
        reason += " " + rng.choice(spec["extra"])
    merged_escalation = escalate and rng.random() < 0.5
    if merged_escalation:
        reason = rng.choice(ESCALATION_FRUSTRATION) + " " + reason
    if rng.random() < 0.5:
        reason = rng.choice(HELLO["es" if chat else region]).format(s=saludo) + " " + reason
    say("cliente", reason)
    ack = rng.choice(spec.get("ack", ["Claro, le ayudo.", "De acuerdo.", "Muy bien, se lo miro."]))
    if merged_escalation:
        ack = "Siento mucho que haya tenido que llamar otra vez. " + ack
    res = rng.choice(spec["res_spike"] if "res_spike" in spec and day == 6 else spec["res"])
    pii = rng.choice(["dni", "phone", "email", "card"]) if rng.random() < 0.12 else None
    if pii:
        say("agente", ack + " " + PII_REQUEST[pii])
        say("cliente", rng.choice(PII_ANSWER[pii]).format(v=make_pii(rng, pii, region)), pii=True)
        say("agente", "Gracias. " + res)
    else:
        say("agente", ack + " " + res)

    # Middle: optional follow-up and second request, escalation if scheduled, within 10 turns.
    long_close = rng.random() < 0.6
    target = rng.randint(4, 10)
    mandatory = len(turns) + (2 if escalate and not merged_escalation else 0) + (2 if long_close else 1)
    blocks = []
    if spec.get("fu") and mandatory + 2 <= target:
        q, a = rng.choice(spec["fu"])
        blocks.append((rng.choice(FOLLOW_PREFIX) + q, a))
        mandatory += 2
    if mandatory + 2 <= target and rng.random() < 0.35:
        other = rng.choice([m for m in MISC if m.get("second", True) and m is not spec])
        blocks.append((rng.choice(SECOND_PREFIX) + " " + end(rng.choice(other["c"])), rng.choice(other["res"])))
    if escalate and not merged_escalation:
        if rng.random() < 0.6:
            text = rng.choice(ESCALATION_FRUSTRATION) + " " + rng.choice(ESCALATION_DEMAND)
        else:
            text = rng.choice(ESCALATION_OTHER) + " " + rng.choice(ESCALATION_DEMAND[::3]).lower()
        blocks.append((text, rng.choice(ESCALATION_AGENT)))
    for customer, answer in blocks:
        say("cliente", customer)
        say("agente", answer)

    # Closing.
    if rng.random() < 0.85 and not (escalate and not merged_escalation):
        turns[-1]["text"] += " " + rng.choice(ANYTHING_ELSE)
    say("cliente", rng.choice(BYE_CUSTOMER[region]))
    if long_close:
        say("agente", rng.choice(BYE_AGENT).format(g=wish))
    return {"call_id": call_id, "date": date, "channel": "chat" if chat else "voz", "turns": turns}


def fold(text):
    return strip_accents(text.lower())


def check(calls, plan):
    """The planted counts must be what a phrase counter finds in the text."""
    for topic, keys in KEYS.items():
        found = sum(1 for c in calls if any(k in fold(t["text"]) for t in c["turns"] for k in keys))
        if found != plan[topic]:
            raise SystemExit(
                "%s: topic %d planned %d calls, text has %d" % (calls[0]["date"], topic, plan[topic], found)
            )
    for c in calls:
        if not 4 <= len(c["turns"]) <= 10 or any(
            a["speaker"] == b["speaker"] for a, b in zip(c["turns"], c["turns"][1:])
        ):
            raise SystemExit("%s: bad turn structure" % c["call_id"])


def main():
    parser = argparse.ArgumentParser(description="Write the Banco Aurora demo week (7 nightly JSONL batches).")
    parser.add_argument(
        "--out",
        default=os.path.dirname(os.path.abspath(__file__)),
        help="folder that receives the 2026-11-16 ... 2026-11-22 folders (default: this script's folder)",
    )
    args = parser.parse_args()
    rng = Random(SEED)
    plans = schedule(rng)
    rows = []
    for day, plan in enumerate(plans):
        d = FIRST_DAY + datetime.timedelta(days=day)
        date = d.isoformat()
        topics = [t for t in (1, 2, 3, 4, 5, 6, 8, 9, 10) for _ in range(plan[t])]
        rng.shuffle(topics)
        escalated = set(rng.sample([i for i, t in enumerate(topics) if t != 8], plan[7]))
        calls = [
            build_call(rng, "sem-%02d%02d-%04d" % (d.month, d.day, i + 1), day, date, t, i in escalated)
            for i, t in enumerate(topics)
        ]
        check(calls, plan)
        folder = os.path.join(args.out, date)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "llamadas.jsonl"), "w", encoding="utf-8", newline="\n") as f:
            for call in calls:
                f.write(json.dumps(call, ensure_ascii=False) + "\n")
        rows.append((date, len(calls), plan))

    shares = [p[4] / n for _, n, p in rows]
    if any(later >= earlier for earlier, later in zip(shares, shares[1:])):
        raise SystemExit("the share of «dar de baja» must fall every night: %s" % shares)
    print(
        "%-10s %5s %6s %9s %6s %5s %7s %6s %6s %5s %5s %7s"
        % (
            "night",
            "calls",
            "codigo",
            "app nueva",
            "cobro",
            "baja",
            "bloqueo",
            "transf",
            "escal",
            "misc",
            "bizum",
            "virtual",
        )
    )
    for date, n, p in rows:
        print(
            "%-10s %5d %6d %9d %6d %5d %7d %6d %6d %5d %5d %7d"
            % (date, n, p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10])
        )
    print("total %d calls in %s" % (sum(r[1] for r in rows), args.out))


if __name__ == "__main__":
    main()
