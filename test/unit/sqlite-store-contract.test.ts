// The Store contract (test/contract/store-contract.ts) against SqliteStore: a fresh file per test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import { storeContract } from "../contract/store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-sqlite-contract-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeContract("sqlite", () => Promise.resolve(openSqliteStore(join(dir, `store-${++n}.db`))));
