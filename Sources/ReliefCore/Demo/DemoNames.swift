/// Word lists for demo people: given names and surnames common in the US (Hispanic ones apart, so
/// that Spanish speakers can be given them more often), streets, employers and email domains.
enum DemoNames {
    static let womenFirstNames = [
        "Jennifer", "Jessica", "Ashley", "Amanda", "Sarah", "Melissa", "Nicole", "Stephanie",
        "Elizabeth", "Heather", "Michelle", "Amy", "Kimberly", "Angela", "Rebecca", "Laura",
        "Christina", "Lisa", "Tiffany", "Kelly", "Crystal", "Rachel", "Tamika", "Latoya", "Keisha",
        "Ebony", "Brittany", "Megan", "Emily", "Hannah", "Patricia", "Linda", "Barbara", "Susan",
        "Karen", "Donna", "Deborah", "Sandra", "Carol", "Sharon", "Brenda", "Pamela", "Denise",
        "Tammy", "Wendy", "Dawn", "Shannon", "Tonya", "Priya", "Mei", "Linh", "Grace", "Jasmine",
        "Aaliyah", "Courtney", "Kayla", "Danielle", "Monique", "Joyce", "Gloria",
    ]

    static let menFirstNames = [
        "Michael", "Christopher", "Matthew", "Joshua", "David", "James", "Daniel", "Robert", "John",
        "Joseph", "Jason", "Justin", "Andrew", "Ryan", "William", "Brian", "Brandon", "Jonathan",
        "Kevin", "Eric", "Anthony", "Timothy", "Steven", "Mark", "Jeffrey", "Scott", "Gregory",
        "Kenneth", "Ronald", "Gary", "Larry", "Dennis", "Terrence", "Darnell", "DeShawn", "Marcus",
        "Tyrone", "Andre", "Tyler", "Austin", "Kyle", "Cody", "Dustin", "Travis", "Raj", "Minh",
        "Wei", "Samuel", "Curtis", "Derrick", "Willie", "Harold", "Keith", "Shawn", "Patrick",
        "Jamal", "Trevor", "Wayne", "Roger", "Vincent",
    ]

    static let hispanicWomenFirstNames = [
        "María", "Guadalupe", "Rosa", "Ana", "Carmen", "Yesenia", "Marisol", "Verónica", "Adriana",
        "Claudia", "Leticia", "Gabriela", "Alejandra", "Lucía", "Daniela", "Patricia", "Sofía",
        "Elena", "Araceli", "Norma", "Maribel", "Yolanda", "Silvia", "Beatriz",
    ]

    static let hispanicMenFirstNames = [
        "José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Jorge", "Francisco", "Antonio",
        "Alejandro", "Ricardo", "Javier", "Eduardo", "Fernando", "Roberto", "Manuel", "Ramón",
        "Héctor", "Raúl", "Óscar", "Arturo", "Sergio", "Rubén", "Armando",
    ]

    static let surnames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
        "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
        "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
        "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
        "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell", "Kelly", "Howard",
        "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James",
        "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "O'Brien", "McCarthy",
        "Sullivan", "Kowalski", "Nguyen", "Tran", "Patel", "Shah", "Kim", "Park", "Chen", "Wong",
        "Washington", "Jefferson", "Banks", "Singh", "Schmidt", "Becker", "Olson", "Larson",
        "Hoffman", "Fischer", "Russo", "Esposito", "Murray", "Graham", "Wallace", "Holmes",
        "Dunn", "Bishop", "Hayes", "Freeman", "Webb", "Tucker", "Porter", "Hunter", "Boyd",
        "Mason", "Warren", "Dixon", "Burns", "Gordon", "Shaw", "Holland", "Fletcher", "Stone",
        "Owens", "Jenkins", "Perry", "Powell", "Butler", "Barnes", "Fisher", "Henderson", "Coleman",
        "Simmons", "Patterson", "Jordan", "Reynolds", "Hamilton", "Wagner", "Meyer", "St. John",
        "Smith-Jones",
    ]

    static let hispanicSurnames = [
        "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez",
        "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Cruz", "Morales", "Reyes",
        "Gutierrez", "Ortiz", "Chavez", "Ramos", "Ruiz", "Alvarez", "Mendoza", "Castillo",
        "Vasquez", "Jimenez", "Moreno", "Romero", "Herrera", "Medina", "Aguilar", "Vargas",
        "Castro", "Guerrero", "Salazar", "Delgado", "Soto", "Contreras", "Muñoz", "Peña", "Núñez",
        "Ibarra", "De la Cruz", "Del Valle",
    ]

    static let streetNames = [
        "Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park",
        "Sunset", "Lincoln", "Jackson", "Church", "Highland", "Willow", "Meadow", "Forest", "River",
        "Spring", "Jefferson", "Madison", "Franklin", "Chestnut", "Walnut", "Magnolia", "Dogwood",
        "Cherry", "Ridge", "Valley", "Mill", "Center", "Broad", "Market", "Union", "Adams",
        "Second", "Third", "Fifth", "12th", "24th", "Martin Luther King Jr", "Mesquite", "Palm",
        "Cypress", "Bluebonnet", "Hickory", "Sycamore", "Birch", "Aspen", "Laurel", "Juniper",
        "Prairie View", "Country Club", "Old Mill", "Stonebridge", "Fox Run", "Heritage",
        "Colonial", "Quail Hollow",
    ]

    static let streetSuffixes = [
        "St", "St", "Ave", "Ave", "Rd", "Dr", "Dr", "Ln", "Ct", "Blvd", "Way", "Pl", "Cir", "Trl",
        "Pkwy",
    ]

    static let directions = ["N", "S", "E", "W"]

    static let employers = [
        "Walmart", "Amazon", "Target", "Kroger", "The Home Depot", "Lowe's", "UPS", "FedEx",
        "CVS Health", "Walgreens", "Costco", "Dollar General", "Tyson Foods", "AT&T", "Verizon",
        "Marriott", "Starbucks", "US Postal Service", "Allied Universal", "Aramark", "Sysco",
        "Wells Fargo", "State Farm", "Spectrum", "AutoZone", "Best Buy", "Enterprise Rent-A-Car",
        "Waste Management", "Cintas", "Dollar Tree",
    ]

    /// Email domains, each with its weight.
    static let emailDomains: [(domain: String, weight: Int)] = [
        ("gmail.com", 40), ("yahoo.com", 15), ("hotmail.com", 9), ("outlook.com", 8),
        ("icloud.com", 10), ("aol.com", 5), ("comcast.net", 4), ("att.net", 3), ("live.com", 3),
        ("msn.com", 2), ("sbcglobal.net", 1),
    ]

    /// Lowercase ASCII letters of a name for an email address: "Núñez" is "nunez" and
    /// "O'Brien" is "obrien".
    static func emailSlug(_ name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII {
                if ("a"..."z").contains(scalar) { slug.unicodeScalars.append(scalar) }
            } else if let plain = accents[scalar] {
                slug.unicodeScalars.append(plain)
            }
        }
        return slug
    }

    private static let accents: [Unicode.Scalar: Unicode.Scalar] = [
        "á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ü": "u", "ñ": "n",
    ]
}
