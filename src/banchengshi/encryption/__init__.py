"""Personal data encrypted at rest (等保2.0, R-Q-3; docs/security.md): the petitioners' phones,
ID numbers and credit codes, staff mobiles and TOTP secrets are stored as Fernet tokens
(AES-128-CBC with HMAC-SHA256, `cryptography`), so a copied database file does not expose
them; the fields that are looked up also keep a keyed hash (HMAC-SHA256) to find equal values.

    keys.py      the keys from settings, encrypt/decrypt, the keyed hashes
    fields.py    EncryptedCharField, SearchHashField
    rewriting.py a table's encrypted columns rewritten batch by batch, for:
    migrating.py the migrations that encrypt what was stored in clear, and
    rotation.py  re-encrypting and re-hashing every row with the newest keys
    checks.py    `banchengshi check --deploy`: the keys read what the database holds
"""
