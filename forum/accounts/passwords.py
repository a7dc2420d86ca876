"""Password rules and hashing.

Werkzeug's scrypt is a memory-hard modern hash. Common passwords are refused because
length alone does not stop "password123".
"""
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200

# Long-enough passwords that still top the leaked-password lists.
COMMON_PASSWORDS = frozenset({
    "1234567890", "12345678910", "0123456789", "0987654321", "1111111111", "0000000000",
    "1q2w3e4r5t", "qwertyuiop", "qwerty1234", "qwerty12345", "password12", "password123",
    "password1234", "passw0rd123", "iloveyou12", "iloveyou123", "abcdefghij", "abc1234567",
    "a123456789", "asdfghjkl1", "asdfghjkl;", "zaq12wsxcde", "1qaz2wsx3edc", "letmein123",
    "welcome123", "welcome1234", "football12", "football123", "baseball123", "princess12",
    "sunshine12", "sunshine123", "trustno1234", "changeme123", "administrator", "superman123",
    "monkey12345", "dragon12345", "michael123", "jennifer12", "1234qwerty", "qwertyuiop1",
    "passwordpassword", "mypassword", "mypassword1", "secret1234", "loveyou123",
    "1234567890a", "aaaaaaaaaa", "123123123123", "9876543210", "5555555555",
})


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable, in plain words, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return "That password is too easy to guess; try a short sentence instead."
    return None


def hash_password(password: str) -> str:
    # Tests set a cheap method: scrypt's cost is the point in production, not in a test run.
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
