import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { httpStatusOf } from "../../collector/query/http-status-of.js";
import { ERROR_CODES } from "../../core/errors.js";

void describe("httpStatusOf", () => {
  void it("answers the caller's mistakes with 4xx, an outage with 503 and the collector's own failures with 500", () => {
    assert.equal(httpStatusOf("BAD_INPUT"), 400);
    assert.equal(httpStatusOf("NOT_FOUND"), 404);
    assert.equal(httpStatusOf("UNAVAILABLE"), 503);
    assert.equal(httpStatusOf("INTERNAL"), 500);
    for (const code of ERROR_CODES) {
      const status = httpStatusOf(code);
      assert.ok(Number.isInteger(status) && status >= 400 && status <= 599, `${code} -> ${status}`);
    }
  });
});
