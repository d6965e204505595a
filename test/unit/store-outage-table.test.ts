import assert from "node:assert/strict";
import { describe, it } from "node:test";
import grpcModule from "@grpc/grpc-js";
import { toServiceError } from "../../collector/ingest/grpc-service-error.js";
import { STORE_OUTAGE_CODES, isStoreOutage, storeOutageKind } from "../../collector/store/is-store-outage.js";
import { translateClickHouseError } from "../../collector/store/translate-clickhouse-error.js";
import { ERROR_CODES, errorForCode, type ErrorCode, InternalError, BadInputError, ConfigError, UnavailableError } from "../../core/errors.js";
import { errorCodeOfGrpcStatus, grpcStatusOf } from "../../proto/grpc-status.js";

const grpc = grpcModule;
const { status } = grpcModule;

function coded(code: string, message = `failed: ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

void describe("the store outage table", () => {
  void it("calls every code it lists an outage, extended SQLite codes by their primary", () => {
    for (const code of STORE_OUTAGE_CODES.system.keys()) assert.equal(isStoreOutage(coded(code)), true, code);
    for (const code of STORE_OUTAGE_CODES.sqlite.keys()) {
      assert.equal(isStoreOutage(coded(code)), true, code);
      assert.equal(isStoreOutage(coded(`${code}_SOMETHING`)), true, `${code}_SOMETHING`);
    }
    for (const code of STORE_OUTAGE_CODES.clickHouse.keys()) {
      assert.equal(isStoreOutage(new Error(`Code: ${code}, e.displayText() = DB::Exception: x`)), true, `ClickHouse ${code} in the message`);
      assert.equal(isStoreOutage(coded(String(code))), true, `ClickHouse ${code} in the code field`);
    }
    assert.equal(isStoreOutage(new UnavailableError("down")), true);
    assert.equal(isStoreOutage(new ConfigError("wrong password")), true);
  });

  void it("counts what the store refused against the events", () => {
    for (const err of [
      coded("SQLITE_CONSTRAINT_UNIQUE"),
      coded("SQLITE_TOOBIG"),
      coded("ENOENT"),
      new Error("Code: 27, e.displayText() = DB::Exception: Cannot parse input"),
      new TypeError("Cannot read properties of undefined"),
      new BadInputError("not a digest"),
      new InternalError("the store refused event x", { cause: coded("SQLITE_CONSTRAINT_NOTNULL") }),
    ]) {
      assert.equal(isStoreOutage(err), false, String(err));
    }
  });

  void it("finds an outage wrapped in other errors, not a refusal wrapped in an outage's words", () => {
    const socket = coded("ECONNRESET", "socket hang up");
    assert.equal(storeOutageKind(new InternalError("insert failed", { cause: new Error("request failed", { cause: socket }) })), "unreachable");
    assert.equal(storeOutageKind(new Error("x", { cause: coded("SQLITE_BUSY_TIMEOUT") })), "unavailable");
  });

  void it("is what the ClickHouse translation goes by", () => {
    for (const [code, { kind, what }] of STORE_OUTAGE_CODES.clickHouse) {
      const err = translateClickHouseError(new Error(`Code: ${code}, e.displayText() = DB::Exception: x`), "insert");
      assert.equal(err.code, kind === "misconfigured" ? "BAD_CONFIG" : "UNAVAILABLE", `ClickHouse ${code}`);
      if (kind === "misconfigured") assert.match(err.message, new RegExp(`\\(${what}\\)`));
      assert.equal(isStoreOutage(err), true);
    }
    for (const code of STORE_OUTAGE_CODES.system.keys()) {
      assert.equal(translateClickHouseError(new Error("request failed", { cause: coded(code) }), "insert").code, "UNAVAILABLE", code);
    }
    assert.equal(translateClickHouseError(new Error("Timeout error."), "insert").code, "UNAVAILABLE");
    assert.equal(translateClickHouseError(new Error("Code: 62, e.displayText() = DB::Exception: Syntax error"), "insert").code, "INTERNAL");
  });
});

void describe("gRPC statuses", () => {
  void it("every code has one, by grpc-js's own constants", () => {
    for (const code of ERROR_CODES) {
      const s = grpcStatusOf(code, status);
      assert.equal(typeof s, "number", code);
      assert.notEqual(s, status.OK, code);
    }
  });

  void it("the collector answers an outage with UNAVAILABLE, a refusal by its code", () => {
    const statusOf = (err: unknown) => toServiceError(grpc, err).code;
    assert.equal(statusOf(coded("SQLITE_BUSY")), status.UNAVAILABLE);
    assert.equal(statusOf(coded("SQLITE_IOERR_WRITE")), status.UNAVAILABLE);
    assert.equal(statusOf(coded("ENOSPC")), status.UNAVAILABLE);
    assert.equal(statusOf(new ConfigError("ClickHouse refused to insert (wrong password)")), status.UNAVAILABLE);
    assert.equal(statusOf(new InternalError("x", { cause: coded("ECONNREFUSED") })), status.UNAVAILABLE);
    assert.equal(statusOf(errorForCode("BAD_INPUT", "x")), status.INVALID_ARGUMENT);
    assert.equal(statusOf(errorForCode("DIGEST_MISMATCH", "x")), status.INVALID_ARGUMENT);
    assert.equal(statusOf(errorForCode("TOO_LARGE", "x")), status.RESOURCE_EXHAUSTED);
    assert.equal(statusOf(errorForCode("NOT_FOUND", "x")), status.NOT_FOUND);
    assert.equal(statusOf(coded("ERR_STREAM_PREMATURE_CLOSE")), status.CANCELLED);
    assert.equal(statusOf(new TypeError("a bug")), status.INTERNAL);
  });

  void it("the agent reads back what the collector meant: an outage to retry, a refusal as final", () => {
    const sent: ErrorCode[] = ["UNAVAILABLE", "BAD_INPUT", "TOO_LARGE", "INTERNAL"];
    const read = sent.map((code) => errorCodeOfGrpcStatus(grpcStatusOf(code, status), status));
    assert.deepEqual(read, [
      { code: "UNAVAILABLE", retryable: true },
      { code: "BAD_INPUT", retryable: false },
      { code: "TOO_LARGE", retryable: false },
      { code: "UNAVAILABLE", retryable: true },
    ]);
    assert.deepEqual(errorCodeOfGrpcStatus(status.UNIMPLEMENTED, status), { code: "UNAVAILABLE", retryable: false });
    assert.deepEqual(errorCodeOfGrpcStatus(999, status), { code: "UNAVAILABLE", retryable: false });
  });
});
