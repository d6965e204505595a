import assert from "node:assert/strict";
import { SnaptrailError } from "../../core/errors.js";

/** For assert.throws / assert.rejects: a SnaptrailError with this code whose message holds each text. */
export function snaptrailError(code: string, ...inMessage: string[]): (err: unknown) => true {
  return (err: unknown) => {
    assert.ok(err instanceof SnaptrailError, `expected a SnaptrailError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const m of inMessage) assert.ok(err.message.includes(m), `${JSON.stringify(m)} not in: ${err.message}`);
    return true;
  };
}
