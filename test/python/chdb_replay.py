"""Replays recorded ClickHouse statements in chDB (a current ClickHouse, in process).

Reads a JSON list of {"sql": ..., "mode": "run" | "parse"} from the file named by its argument;
writes one JSON list on stdout, one entry per statement: {"ok": true, "output": TEXT} or {"ok": false, "error": TEXT}.
"run" executes the statement in one chDB session (in order: later statements see earlier ones'
tables and rows) and returns its JSONEachRow output; "parse" only parses it, with formatQuery,
for statements chDB cannot execute (ON CLUSTER, Replicated engines need a cluster and Keeper).
Comparing with what the recorded server answered is the caller's job.
"""
import json
import sys
import tempfile

from chdb import session


def quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        statements = json.load(f)
    results = []
    with tempfile.TemporaryDirectory(prefix="snaptrail-chdb-") as path:
        sess = session.Session(path)
        try:
            for s in statements:
                try:
                    if s["mode"] == "parse":
                        out = sess.query("SELECT formatQuery(" + quote(s["sql"]) + ")", "TSVRaw")
                    else:
                        out = sess.query(s["sql"], "JSONEachRow")
                    results.append({"ok": True, "output": str(out)})
                except Exception as err:  # chDB raises its server's exception text
                    results.append({"ok": False, "error": str(err)})
        finally:
            sess.close()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
