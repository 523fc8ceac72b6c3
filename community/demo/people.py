"""Names for demo people: varied, international, and made up."""

FIRST_NAMES = [
    "Amara", "Ben", "Chiara", "Dmitri", "Elif", "Fatima", "Gabriel", "Hana", "Ibrahim", "Jade",
    "Kwame", "Lena", "Mateo", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Sven", "Tomoko",
    "Usha", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Aisha", "Bruno", "Carmen", "Diego",
    "Eun-ji", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kavya", "Luca", "Maya", "Nils",
    "Olga", "Pedro", "Rania", "Samir", "Tara", "Umar", "Valentina", "William", "Yara", "Zain",
    "Anaïs", "Björn", "Siobhán", "Łukasz", "José", "Chloé", "Mía", "Søren", "Renée", "Ngozi",
]  # fmt: skip

LAST_NAMES = [
    "Okafor", "Schmidt", "Rossi", "Ivanova", "Yılmaz", "Haddad", "Silva", "Tanaka", "Diallo",
    "Chen", "Mensah", "Fischer", "García", "Kowalski", "Nguyen", "Patel", "Dubois", "Moreno",
    "Lindqvist", "Sato", "Reddy", "Novak", "Wang", "Hernández", "Aydın", "Müller", "Bianchi",
    "O'Brien", "Kim", "Rahman", "Nilsson", "Costa", "Adeyemi", "Jansen", "Murphy", "Suzuki",
    "Khan", "Larsen", "Ferreira", "Popescu", "Ortiz", "Svensson", "Mbeki", "Dvořák", "Park",
]  # fmt: skip
