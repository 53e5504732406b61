#!/usr/bin/env python3
"""Writes the audit triggers of every table of a schema, for a migration file.

Usage: scripts/audit_triggers.py SCHEMA.db [TABLE ...]

Migration 0008 was made with it; a later migration that adds a table runs it for that table
and pastes the result (the test `every_table_is_audited` fails until it does). Generated rather
than hand-written because each trigger names every column: a hand-typed list would miss one.
"""
import sqlite3, sys

# Not audited: SQLite's own tables, the migration record, the audit log itself and the
# per-transaction context row the triggers read.
SKIP = {"schema_migrations", "audit_log", "audit_context"}
# Values the audit shows by size only: PDFs (blobs) and documents kept whole in their row.
SIZED = {("invoices", "pdf"), ("invoices", "document")}
# Left out: derived search keys (recomputed from the fields beside them) and password hashes.
OMIT = {("members", c) for c in ("kana_key", "name_key", "phone_key", "mobile_key", "fax_key", "email_key", "search_text")}
OMIT |= {("staff_accounts", "password_hash")}
# Shown as changed without the value.
SECRET = {("staff_accounts", "password_hash")}
# JSON documents holding a secret at a path: logged with the secret replaced (the shop settings
# keep the backups' passphrase).
MASKED = {("settings", "value"): "$.backup.passphrase"}


def q(s):
    return "'" + s.replace("'", "''") + "'"


def val(t, c, ref):
    if (t, c) in MASKED:
        x, path = f"{ref}.{c}", MASKED[(t, c)]
        return (f"CASE WHEN json_valid({x}) AND coalesce(json_extract({x}, {q(path)}), '') <> '' "
                f"THEN json_set({x}, {q(path)}, '(設定あり)') ELSE {x} END")
    if (t, c) in SIZED:
        return f"CASE WHEN {ref}.{c} IS NULL THEN NULL ELSE '<' || length({ref}.{c}) || ' bytes>' END"
    return f"{ref}.{c}"


def triggers(con, t):
    info = con.execute(f"SELECT name, pk, type FROM pragma_table_info({q(t)}) ORDER BY cid").fetchall()
    without_rowid = "WITHOUT ROWID" in con.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (t,)).fetchone()[0].upper()
    cols = [n for n, _, _ in info if (t, n) not in OMIT]
    pks = [n for n, pk, _ in sorted(info, key=lambda x: x[1]) if pk > 0]
    # The rowid when it is the key (INTEGER PRIMARY KEY), else the key columns themselves.
    rowid_key = not without_rowid and len(pks) == 1 and [ty for n, _, ty in info if n == pks[0]][0].upper() == "INTEGER"

    def key(ref):
        if rowid_key:
            return f"{ref}.rowid"
        return " || '/' || ".join(f"{ref}.{p}" for p in pks)

    def whole(ref):
        return "json_object(" + ", ".join(f"{q(c)}, {val(t, c, ref)}" for c in cols) + ")"

    watched = cols + [c for (tt, c) in SECRET if tt == t]

    def changed(ref):
        parts = []
        for c in watched:
            v = "'(変更)'" if (t, c) in SECRET else val(t, c, ref)
            parts.append(f"SELECT {q(c)} AS k, {v} AS v WHERE OLD.{c} IS NOT NEW.{c}")
        return "(SELECT json_group_object(k, v) FROM (" + " UNION ALL ".join(parts) + "))"

    ctx = "coalesce((SELECT quiet FROM audit_context), 0) = 0"
    head = "INSERT INTO audit_log (at, staff, tbl, row_key, action, before, after) VALUES (coalesce((SELECT at FROM audit_context), strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')), coalesce((SELECT staff FROM audit_context), ''), "
    any_change = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    out = []
    out.append(f"CREATE TRIGGER audit_{t}_insert AFTER INSERT ON {t} WHEN {ctx}\nBEGIN\n    {head}{q(t)}, {key('NEW')}, 'insert', NULL, {whole('NEW')});\nEND;")
    out.append(f"CREATE TRIGGER audit_{t}_update AFTER UPDATE ON {t} WHEN {ctx} AND ({any_change})\nBEGIN\n    {head}{q(t)}, {key('NEW')}, 'update', {changed('OLD')}, {changed('NEW')});\nEND;")
    out.append(f"CREATE TRIGGER audit_{t}_delete AFTER DELETE ON {t} WHEN {ctx}\nBEGIN\n    {head}{q(t)}, {key('OLD')}, 'delete', {whole('OLD')}, NULL);\nEND;")
    return "\n".join(out)


def main():
    con = sqlite3.connect(sys.argv[1])
    tables = sys.argv[2:] or [r[0] for r in con.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for t in tables:
        if t in SKIP:
            continue
        print(f"-- {t}")
        print(triggers(con, t))
        print()


main()
