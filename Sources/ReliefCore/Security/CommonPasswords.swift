/// Passwords and password base words that attackers try first, lowercased. A password is
/// also refused when it is one of these plus trailing digits or symbols, or in leetspeak.
enum CommonPasswords {
    static let all: Set<String> = [
        // Digits and keyboard patterns
        "123456789012", "1234567890123", "12345678901234", "123456789", "1234567890", "0123456789",
        "12345678910", "123456123456", "123123123123", "123412341234", "121212121212",
        "112233445566", "111111111111", "000000000000", "222222222222", "999999999999",
        "987654321098", "9876543210", "147258369", "1472583690", "159753", "123321123321", "qwerty",
        "qwertyuiop", "qwertyuiopasdfghjkl", "qwertyuiopasdfghjklzxcvbnm", "qwertyui", "qwert",
        "qwertz", "qwertzuiop", "azerty", "azertyuiop", "asdf", "asdfgh", "asdfghjkl",
        "asdfjkl", "zxcv", "zxcvbn", "zxcvbnm", "qazwsx", "qazwsxedc", "qazwsxedcrfv", "1qaz2wsx",
        "1qaz2wsx3edc", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4", "q1w2e3r4t5y6",
        "zaq12wsx", "abcd", "abcdef", "abcdefg", "abcdefgh", "abcdefghijkl", "abc", "abcabc",
        "aaaaaaaaaaaa", "abcabcabcabc",
        // Password words
        "password", "passwd", "passw", "pass", "passpass", "mypassword", "newpassword",
        "secret", "secretpassword", "mysecret", "letmein", "letmeinplease", "trustno", "trustno1",
        "trustnoone", "welcome", "welcomeback", "hello", "hellothere", "helloworld", "hi", "login",
        "logmein", "access", "accessgranted", "admin", "administrator", "root", "toor", "superuser",
        "sysadmin", "user", "username", "guest", "default", "changeme", "changeit", "changethis",
        "temp", "temporary", "temppass", "test", "testing", "tester", "demo", "sample",
        "master", "masterkey", "passcode", "pincode", "opensesame", "open", "sesame", "whatever",
        "nothing", "anything", "something", "somebody", "nobody", "unknown", "private",
        "confidential", "security", "secure", "letitbe",
        // Affection and phrases
        "iloveyou", "iloveu", "iloveyousomuch", "ilovemyself", "ilovemom", "ilovegod", "loveyou",
        "loveme", "lovely", "love", "lover", "loving", "mylove", "myheart", "sweetheart", "sweety",
        "sweetie", "honey", "honeybunny", "babygirl", "babyboy", "baby", "princess", "prince",
        "queen", "king", "angel", "angels", "beautiful", "pretty", "cutie", "cuteness", "forever",
        "foreverlove", "together", "friends", "bestfriend", "family", "blessed", "godisgood",
        "jesus", "jesuschrist", "christ", "faith", "hope", "trustme", "believe", "heaven",
        "goodluck", "happiness", "happy", "smile", "sunshine", "rainbow",
        // Sports and teams
        "football", "baseball", "basketball", "soccer", "hockey", "golf", "tennis", "boxing",
        "wrestling", "cricket", "rugby", "yankees", "redsox", "dodgers", "cubs", "cowboys",
        "steelers", "packers", "patriots", "eagles", "giants", "raiders", "broncos", "lakers",
        "celtics", "bulls", "warriors", "liverpool", "arsenal", "chelsea", "manchester", "manutd",
        "barcelona", "realmadrid", "juventus", "jordan", "kobe", "lebron",
        "michaeljordan",
        // Names
        "michael", "jennifer", "jessica", "ashley", "amanda", "joshua", "matthew", "andrew",
        "anthony", "william", "daniel", "christopher", "david", "james", "john", "robert", "thomas",
        "charlie", "hunter", "taylor", "austin", "justin", "brandon", "heather", "melissa",
        "nicole", "samantha", "hannah", "michelle", "elizabeth", "jasmine", "ginger", "maggie",
        "buster", "bailey", "lucky", "tigger", "pepper", "shadow", "sophie", "chloe", "emily",
        "olivia", "isabella", "madison", "alexander", "benjamin", "nicholas", "jonathan", "patrick",
        "richard", "charles", "george", "harley", "jackson",
        // Heroes and culture
        "superman", "batman", "spiderman", "ironman", "wolverine", "hulk", "starwars", "startrek",
        "pokemon", "pikachu", "naruto", "matrix", "gandalf", "hogwarts", "harrypotter", "zelda",
        "mario", "minecraft", "fortnite", "roblox", "ninja", "pirate", "cowboy", "rockstar",
        "superstar", "guitar", "music",
        // Animals
        "dragon", "monkey", "tiger", "lion", "bear", "wolf", "eagle", "falcon", "shark", "dolphin",
        "horse", "puppy", "kitty", "kitten", "doggy", "doggie", "cat", "dog", "bunny", "butterfly",
        "panther", "jaguar", "cheetah", "phoenix", "unicorn",
        // Things, places and colours
        "summer", "winter", "spring", "autumn", "flower", "flowers", "cookie", "chocolate",
        "banana", "orange", "apple", "cherry", "strawberry", "peaches", "coffee", "pizza", "cheese",
        "purple", "yellow", "silver", "golden", "diamond", "crystal", "blue", "red", "green",
        "black", "white", "pink", "freedom", "liberty", "america", "usa", "canada", "london",
        "paris", "newyork", "california", "texas", "florida", "chicago", "computer", "internet",
        "google", "facebook", "samsung", "iphone", "android", "windows", "microsoft", "mustang",
        "ferrari", "corvette", "porsche", "mercedes", "camaro", "yamaha", "money", "dollar",
        "million", "cash", "rich", "business", "company", "office", "monday", "friday", "weekend",
        "holiday", "christmas", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december",
        // This product
        "relief", "reliefcrm", "debtrelief", "debtfree", "debt", "crm", "client", "clients",
        "customer", "sales", "salesforce",
    ]
}
