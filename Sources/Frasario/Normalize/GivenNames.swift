/// Common given names of Spain and Latin America, folded (lowercase, no accents): after «soy»
/// or «habla» such a word is a name being given («soy juan pérez», «le habla mercedes»), so
/// it and the surnames after it are masked. Names that are also everyday words a caller says
/// after «soy» or «habla» (rosa, luz, blanca, clara, ángel, jesús, victoria, esperanza…) are
/// left out: «soy clara con usted» stays.
extension Normalizer {
    static let givenNameList = [
        // Women.
        "maria", "carmen", "ana", "isabel", "laura", "cristina", "marta", "lucia", "elena", "sara", "paula", "raquel",
        "beatriz", "nuria", "silvia", "patricia", "sandra", "monica", "teresa", "andrea", "alicia", "irene", "julia",
        "natalia", "susana", "veronica", "yolanda", "montserrat", "eva", "ines", "noelia", "lorena", "sonia", "rebeca",
        "miriam", "adriana", "alejandra", "gabriela", "daniela", "valeria", "camila", "sofia", "valentina", "fernanda",
        "ximena", "mariana", "guadalupe", "lupita", "veronika", "leticia", "norma", "gloria", "araceli", "rocio",
        "margarita", "josefina", "antonia", "francisca", "manuela", "dolores", "mercedes", "juana", "catalina",
        "carolina", "claudia", "diana", "erika", "fabiola", "jimena", "karina", "karla", "liliana", "lourdes",
        "maribel", "marisol", "martha", "olga", "pilar", "ramona", "rosario", "ruth", "yesenia", "angelica", "brenda",
        "cecilia", "esther", "graciela", "irma", "jessica", "lidia", "lorenza", "magdalena", "nancy", "paola", "vanesa",
        "vanessa", "yadira", "zulema", "carla", "marina", "nerea", "ainhoa", "aitana", "agustina", "florencia",
        "micaela", "milagros", "romina", "luciana", "belen", "ivonne", "iris", "noemi", "nayeli",
        // Men.
        "jose", "juan", "antonio", "manuel", "francisco", "david", "javier", "daniel", "carlos", "miguel", "alejandro",
        "rafael", "pedro", "pablo", "fernando", "jorge", "luis", "sergio", "alberto", "alvaro", "adrian", "diego",
        "raul", "enrique", "ramon", "vicente", "andres", "joaquin", "santiago", "victor", "eduardo", "roberto",
        "ignacio", "mario", "marcos", "oscar", "ruben", "ivan", "hector", "jaime", "alfonso", "ricardo", "emilio",
        "gabriel", "julio", "salvador", "guillermo", "gonzalo", "hugo", "martin", "nicolas", "rodrigo", "sebastian",
        "mateo", "matias", "emiliano", "leonardo", "gustavo", "arturo", "armando", "ernesto", "felipe", "gerardo",
        "hernan", "horacio", "humberto", "jonathan", "jonatan", "lorenzo", "marcelo", "mauricio", "octavio", "omar",
        "orlando", "osvaldo", "patricio", "rogelio", "rolando", "saul", "tomas", "ulises", "xavier", "agustin",
        "benjamin", "cristian", "christian", "edgar", "efrain", "esteban", "fabian", "federico", "gilberto", "ismael",
        "joel", "josue", "julian", "leandro", "lucas", "marco", "moises", "nestor", "noe", "pascual", "ramiro",
        "reinaldo", "samuel", "teodoro", "valentin", "wilson", "abel", "aaron", "adolfo", "alfredo", "anibal",
        "bernardo", "braulio", "camilo", "cesar", "elias", "fidel", "gregorio", "isaac", "israel", "jacinto",
        "jeronimo", "lazaro", "marcial", "nahuel", "raimundo", "rigoberto", "renato", "tadeo", "waldo", "yago", "iker",
        "unai", "aitor", "asier", "jon", "xabier", "pau", "jordi", "oriol", "pere", "marc", "alex",
    ]
}
