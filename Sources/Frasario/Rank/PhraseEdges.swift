/// Which words may open or close a ranked phrase, and which say nothing on their own.
/// Every set is compared against the folded form (lowercase, accents removed, ñ kept).
enum PhraseEdges {
    /// Spanish function words: articles, prepositions, conjunctions, pronouns (personal,
    /// clitic, possessive, demonstrative, relative, indefinite), common adverbs, and the forms
    /// of ser, estar, haber, ir, tener, hacer and poder. A multi-word phrase does not start or
    /// end with one («la tarjeta de», «que no sé», «tienen que»): its meaning lies between.
    static let functionWords: Set<String> = {
        var words: Set<String> = [
            // articles and contractions
            "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "al", "del",
            // prepositions
            "a", "ante", "bajo", "con", "contra", "de", "desde", "durante", "en", "entre", "hacia", "hasta", "mediante",
            "para", "por", "segun", "sin", "so", "sobre", "tras", "pa", "pal", "versus", "via",
            // conjunctions
            "y", "e", "ni", "o", "u", "pero", "sino", "aunque", "porque", "pues", "que", "si", "como", "cuando", "mientras",
            "donde", "luego", "entonces", "ya", "asi", "tambien", "tampoco", "ademas", "incluso", "osea", "sea",
            // personal, clitic and possessive pronouns
            "yo", "tu", "vos", "usted", "el", "ella", "ello", "nosotros", "nosotras", "vosotros", "vosotras", "ustedes",
            "ellos", "ellas", "me", "te", "se", "nos", "os", "le", "les", "mi", "mis", "tus", "su", "sus", "nuestro",
            "nuestra", "nuestros", "nuestras", "vuestro", "vuestra", "mio", "mia", "mios", "mias", "tuyo", "tuya", "suyo",
            "suya", "suyos", "suyas", "conmigo", "contigo", "consigo", "ti", "si",
            // demonstratives, relatives, indefinites, quantifiers
            "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas", "aquel", "aquella", "aquellos", "aquellas",
            "esto", "eso", "aquello", "cual", "cuales", "quien", "quienes", "cuyo", "cuya", "cuanto", "cuanta", "cuantos",
            "cuantas", "algo", "alguien", "algun", "alguno", "alguna", "algunos", "algunas", "nada", "nadie", "ningun",
            "ninguno", "ninguna", "todo", "toda", "todos", "todas", "otro", "otra", "otros", "otras", "mismo", "misma",
            "mismos", "mismas", "cada", "mucho", "mucha", "muchos", "muchas", "poco", "poca", "pocos", "pocas", "tanto",
            "tanta", "tantos", "tantas", "varios", "varias", "demas", "cualquier", "cualquiera", "tal", "tales",
            // adverbs that carry no topic
            "muy", "mas", "menos", "tan", "bien", "mal", "aqui", "ahi", "alli", "aca", "alla", "ahora", "ahorita", "hoy",
            "ayer", "antes", "despues", "siempre", "nunca", "jamas", "todavia", "aun", "casi", "solo", "solamente", "sí",
            "nomas", "bastante", "demasiado", "medio", "realmente", "verdaderamente", "simplemente", "igual", "mejor",
            "peor", "tarde", "temprano", "pronto", "luego", "adonde", "aparte",
            // discourse markers and back-channels
            "bueno", "pues", "okay", "ok", "vale", "ah", "oh", "ay", "eh", "este", "mm", "mmm", "pos", "verdad", "sabes",
            "sabe", "digamos", "tipo", "oiga", "oye", "mire", "mira", "hola", "claro", "aja", "yeah", "wow", "no",
        ]
        // The verbs every sentence leans on, in the forms a call uses.
        words.formUnion([
            // ser
            "ser", "soy", "eres", "es", "somos", "sois", "son", "era", "eras", "eramos", "eran", "fui", "fuiste", "fue",
            "fuimos", "fueron", "sere", "seras", "sera", "seremos", "seran", "seria", "serias", "seriamos", "serian",
            "sea", "seas", "seamos", "sean", "fuera", "fueras", "fueran", "fuese", "sido", "siendo", "se",
            // estar
            "estar", "estoy", "estas", "esta", "estamos", "estan", "estaba", "estabas", "estabamos", "estaban", "estuve",
            "estuvo", "estuvimos", "estuvieron", "estare", "estara", "estaran", "estaria", "estarian", "este", "estes",
            "estemos", "esten", "estuviera", "estado", "estando",
            // haber
            "haber", "he", "has", "ha", "hemos", "han", "habia", "habias", "habiamos", "habian", "hube", "hubo", "habra",
            "habran", "habria", "habrian", "haya", "hayas", "hayamos", "hayan", "hubiera", "hubieras", "hubieran", "hay",
            "habido", "habiendo",
            // ir
            "ir", "voy", "vas", "va", "vamos", "van", "iba", "ibas", "ibamos", "iban", "fue", "ire", "iras", "ira", "iremos",
            "iran", "iria", "irian", "vaya", "vayas", "vayamos", "vayan", "ido", "yendo", "ve", "vete", "irse",
            // tener
            "tener", "tengo", "tienes", "tiene", "tenemos", "tienen", "tenia", "tenias", "teniamos", "tenian", "tuve",
            "tuviste", "tuvo", "tuvimos", "tuvieron", "tendre", "tendra", "tendremos", "tendran", "tendria", "tendrian",
            "tenga", "tengas", "tengamos", "tengan", "tuviera", "tuvieran", "tenido", "teniendo",
            // hacer
            "hacer", "hago", "haces", "hace", "hacemos", "hacen", "hacia", "hacias", "haciamos", "hacian", "hice",
            "hiciste", "hizo", "hicimos", "hicieron", "hare", "hara", "haremos", "haran", "haria", "harian", "haga",
            "hagas", "hagamos", "hagan", "hiciera", "hecho", "haciendo", "haz",
            // poder
            "poder", "puedo", "puedes", "puede", "podemos", "pueden", "podia", "podias", "podiamos", "podian", "pude",
            "pudo", "pudimos", "pudieron", "podre", "podra", "podremos", "podran", "podria", "podrias", "podriamos",
            "podrian", "pueda", "puedas", "podamos", "puedan", "pudiera", "pudieran", "podido", "pudiendo", "podes",
        ])
        return words
    }()

    /// «no» may open a phrase («no me llega el código») but never close one.
    static let negation = "no"

    /// Words of conversation rather than content (greetings, courtesy, back-channels): a
    /// phrase made only of these and function words («hola buenas tardes», «muchas gracias»,
    /// «qué tal») says nothing about what customers need.
    static let conversational: Set<String> = SpanishText.conversational.union([
        "tal", "gusto", "encantado", "encantada", "pena", "cierto", "seguro", "vez", "cosa", "cosas", "gente", "dios",
        "mucho", "okey", "yes", "wow", "yeah", "hello", "bye", "sorry", "uh", "ajam", "mhm", "alo", "bueno",
        // English of code-switching callers: «you know», «oh my god»
        "you", "know", "i", "the", "and", "so", "my", "god", "oh", "is", "it", "what", "like", "right", "well",
        "thank", "thanks", "please", "amable", "amables",
    ])
}
