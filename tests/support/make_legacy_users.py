#!/usr/bin/env python3
"""Builds a users database in the shape of the FastAPI tutorial
(users(email, hashed_password, full_name, role)) with python3-bcrypt, an
implementation independent of Latchkey's. Usage: make_legacy_users.py OUT.db
SPEC.json, where SPEC is a list of {email, password?, hash?, prefix?, name,
role, table?} rows; `prefix` rewrites $2b$ to $2a$ or $2y$ (same hash)."""
import json
import sqlite3
import sys

import bcrypt


def main():
    out, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    table = spec.get("table", "users")
    columns = spec.get("columns", ["email", "hashed_password", "full_name", "role"])
    db = sqlite3.connect(out)
    db.execute(
        f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, "{columns[0]}" TEXT, "{columns[1]}" TEXT, '
        f'"{columns[2]}" TEXT, "{columns[3]}" TEXT)'
    )
    for row in spec["rows"]:
        hashed = row.get("hash")
        if hashed is None:
            hashed = bcrypt.hashpw(row["password"].encode("utf-8"), bcrypt.gensalt(rounds=4)).decode()
            if row.get("prefix"):
                hashed = row["prefix"] + hashed[4:]
        db.execute(
            f'INSERT INTO "{table}" ("{columns[0]}", "{columns[1]}", "{columns[2]}", "{columns[3]}") VALUES (?, ?, ?, ?)',
            (row["email"], hashed, row.get("name", ""), row.get("role", "user")),
        )
    db.commit()
    db.close()


if __name__ == "__main__":
    main()
