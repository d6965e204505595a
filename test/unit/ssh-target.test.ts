import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatHostPort, formatSshTarget, parseSshTarget } from "../../adapters/ssh/ssh-target.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";

const me = (): string => "me";

describe("parseSshTarget", () => {
  it("reads user, host and port; the user defaults to whoever runs snaptrail and the port to 22", () => {
    assert.deepEqual(parseSshTarget("ssh://alice@login1:2222", me), { user: "alice", host: "login1", port: 2222 });
    assert.deepEqual(parseSshTarget("ssh://login1.cluster.test", me), { user: "me", host: "login1.cluster.test", port: 22 });
    assert.deepEqual(parseSshTarget("ssh://bob@127.0.0.1/", me), { user: "bob", host: "127.0.0.1", port: 22 });
    assert.deepEqual(parseSshTarget("ssh://svc_batch.2$@login-a:22", me), { user: "svc_batch.2$", host: "login-a", port: 22 });
  });

  it("takes an IPv6 address in brackets", () => {
    assert.deepEqual(parseSshTarget("ssh://alice@[::1]:2200", me), { user: "alice", host: "::1", port: 2200 });
    assert.deepEqual(parseSshTarget("ssh://[fe80::1]", me), { user: "me", host: "fe80::1", port: 22 });
  });

  it("uses the current user's name when none is given", () => {
    assert.ok(parseSshTarget("ssh://login1").user.length > 0);
  });

  const refused: [string, string][] = [
    ["login1", "not an ssh:// address"],
    ["alice@login1", "not an ssh:// address"],
    ["https://login1", "not an ssh:// address"],
    ["ssh://alice:secret@login1", "not a user name"],
    ["ssh://alice@login1/home/alice", "not a plain SSH address"],
    ["ssh://alice@login1?x=1", "not a plain SSH address"],
    ["ssh://alice@", "no host"],
    ["ssh://", "no host"],
    ["ssh://-oProxyCommand=sh@login1", "not a user name"],
    ["ssh://alice@-oProxyCommand=sh", "not a host name"],
    ["ssh://al ice@login1", "not a user name"],
    ["ssh://alice@log in1", "not a host name"],
    ["ssh://alice@login1:0", "port"],
    ["ssh://alice@login1:65536", "port"],
    ["ssh://alice@login1:22x", "port"],
    ["ssh://alice@login1:", "port"],
    ["ssh://alice@::1", "an IPv6 address goes in brackets"],
    ["ssh://alice@[login1]:22", "not an IPv6 address"],
    ["ssh://alice@login1;touch x", "not a host name"],
    ["ssh://alice@$(id)", "not a host name"],
  ];
  for (const [text, why] of refused) {
    it(`refuses ${JSON.stringify(text)} with BAD_INPUT naming the form to use`, () => {
      assert.throws(() => parseSshTarget(text, me), snaptrailError("BAD_INPUT", JSON.stringify(text), why, "ssh://USER@HOST[:PORT]"));
    });
  }
});

describe("formatSshTarget", () => {
  it("writes the address back, IPv6 in brackets", () => {
    assert.equal(formatSshTarget({ user: "alice", host: "login1", port: 22 }), "ssh://alice@login1:22");
    assert.equal(formatSshTarget({ user: "alice", host: "::1", port: 2200 }), "ssh://alice@[::1]:2200");
    assert.equal(formatHostPort({ host: "::1", port: 2200 }), "[::1]:2200");
  });
});
