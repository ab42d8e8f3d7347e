"""The OWASP Password Storage Cheat Sheet's minimum parameters, and whether a setting meets them.

Source: https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
(revision of May 2023, still current when checked on 2026-11-25). For Argon2id and scrypt
the cheat sheet lists rows of equal strength, trading memory for passes; a setting meets
the minimum when it is at least as strong as one row in every parameter.
"""

from __future__ import annotations

SOURCE = "OWASP Password Storage Cheat Sheet (May 2023 revision, checked 2026-11-25)"

# Argon2id rows as (memory_cost KiB, time_cost); every row has parallelism 1.
ARGON2_ROWS = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]
# scrypt rows as (N, r, p).
SCRYPT_ROWS = [(2**17, 8, 1), (2**16, 8, 2), (2**15, 8, 3), (2**14, 8, 5), (2**13, 8, 10)]
BCRYPT_MIN_ROUNDS = 10
# PBKDF2 iterations by HMAC digest: SHA-256 (FIPS-140 case) and SHA-1.
PBKDF2_MIN_ITERATIONS = {"sha256": 600_000, "sha1": 1_300_000}


def owasp_minimum(family: str, digest: str = "sha256") -> str:
    """The cheat sheet's minimum for a hasher family, as one line."""
    return {
        "argon2": "m=19456 KiB (19 MiB), t=2, p=1, or an equal row: "
        + "; ".join(f"m={m} t={t}" for m, t in ARGON2_ROWS if t != 2),
        "scrypt": "N=2^17, r=8, p=1, or an equal row: "
        + "; ".join(f"N=2^{n.bit_length() - 1} r={r} p={p}" for n, r, p in SCRYPT_ROWS[1:]),
        "bcrypt": f"cost (rounds) {BCRYPT_MIN_ROUNDS}",
        "pbkdf2": f"{PBKDF2_MIN_ITERATIONS.get(digest, 0):,} iterations of PBKDF2-HMAC-{digest.upper()}",
    }[family]


def meets_owasp(family: str, parameters: dict, digest: str = "sha256") -> bool:
    """Whether a family's parameters (as the hasher's attribute names) reach the cheat sheet's minimum."""
    if family == "argon2":
        return parameters["parallelism"] >= 1 and any(
            parameters["memory_cost"] >= m and parameters["time_cost"] >= t for m, t in ARGON2_ROWS
        )
    if family == "scrypt":
        return any(
            parameters["work_factor"] >= n and parameters["block_size"] >= r and parameters["parallelism"] >= p
            for n, r, p in SCRYPT_ROWS
        )
    if family == "bcrypt":
        return parameters["rounds"] >= BCRYPT_MIN_ROUNDS
    if family == "pbkdf2":
        return digest in PBKDF2_MIN_ITERATIONS and parameters["iterations"] >= PBKDF2_MIN_ITERATIONS[digest]
    raise ValueError(f"no OWASP minimum for hasher family {family!r}")
