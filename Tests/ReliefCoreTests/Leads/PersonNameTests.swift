import ReliefCore
import Testing

@Suite("Person names")
struct PersonNameTests {
    @Test(
        "splits full names",
        arguments: [
            ("Gomez, Alicia", PersonName(first: "Alicia", last: "Gomez")),
            ("Alicia M. Gomez", PersonName(first: "Alicia", middle: "M.", last: "Gomez")),
            ("Gomez, Alicia Maria", PersonName(first: "Alicia", middle: "Maria", last: "Gomez")),
            ("  Alicia   Gomez ", PersonName(first: "Alicia", last: "Gomez")),
            ("ALICIA GOMEZ", PersonName(first: "Alicia", last: "Gomez")),
            ("Maria de la Cruz", PersonName(first: "Maria", last: "de la Cruz")),
            ("MARIA DE LA CRUZ", PersonName(first: "Maria", last: "de la Cruz")),
            (
                "Juan Carlos De La Cruz",
                PersonName(first: "Juan", middle: "Carlos", last: "De La Cruz")
            ),
            ("de la Cruz, Maria", PersonName(first: "Maria", last: "de la Cruz")),
            ("Mr. John Smith", PersonName(first: "John", last: "Smith")),
            ("Dr Ann Lee", PersonName(first: "Ann", last: "Lee")),
            ("John Smith Jr", PersonName(first: "John", last: "Smith", suffix: "Jr.")),
            ("John Smith, III", PersonName(first: "John", last: "Smith", suffix: "III")),
            ("Smith, John, Sr.", PersonName(first: "John", last: "Smith", suffix: "Sr.")),
            ("Mary-Kate O'Neil", PersonName(first: "Mary-Kate", last: "O'Neil")),
            ("Alicia", PersonName(first: "Alicia", last: "")),
            ("Nguyen Van Minh", PersonName(first: "Nguyen", middle: "Van", last: "Minh")),
        ])
    func split(fullName: String, name: PersonName) {
        #expect(PersonName.split(fullName) == name)
    }

    @Test(arguments: ["", "   ", ",", "123", "--"])
    func noName(fullName: String) {
        #expect(PersonName.split(fullName) == nil)
    }

    @Test(
        "recases names typed in all capitals or all lower case only",
        arguments: [
            ("ALICIA", "Alicia"), ("alicia gomez", "Alicia Gomez"), ("O'NEIL", "O'Neil"),
            ("o’neil", "O’Neil"), ("MCDONALD", "McDonald"), ("mc", "Mc"),
            ("SMITH-JONES", "Smith-Jones"), ("JOHN SMITH III", "John Smith III"),
            ("JOHN LE", "John Le"), ("MARIA DE LA CRUZ", "Maria de la Cruz"),
            ("DE LA CRUZ", "De la Cruz"), ("McDonald", "McDonald"), ("O'Neil", "O'Neil"),
            ("de la Cruz", "de la Cruz"), ("DeShawn", "DeShawn"), ("Alicia GOMEZ", "Alicia GOMEZ"),
            ("  ana   maría ", "Ana María"), ("ÉLOÏSE", "Éloïse"), ("J.", "J."), ("", ""),
        ])
    func normalize(name: String, normalized: String) {
        #expect(PersonName.normalize(name) == normalized)
    }
}
