import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { CommanderError } from "commander";
import { ExitCode, exitCodeForError, exitCodeForJob } from "../../cli/exit-codes.js";
import { cliErrorLine, reportCliError } from "../../cli/report-cli-error.js";
import { BadInputError, ConfigError, errorForCode, NotFoundError, UnavailableError } from "../../core/errors.js";

describe("exit codes", () => {
  it("maps each kind of error to the status scripts branch on", () => {
    assert.equal(exitCodeForError(new NotFoundError("no run abc")), 2);
    assert.equal(exitCodeForError(errorForCode("NOT_FOUND", "no run abc")), ExitCode.NOT_FOUND);
    assert.equal(exitCodeForError(new BadInputError("--limit must be a positive whole number")), 1);
    assert.equal(exitCodeForError(new ConfigError("bad key")), 1);
    assert.equal(exitCodeForError(new UnavailableError("cannot reach the collector")), 1);
    assert.equal(exitCodeForError(new TypeError("x is undefined")), 70);
    assert.equal(exitCodeForError("thrown string"), ExitCode.INTERNAL);
  });

  it("keeps commander's own status for usage errors and --help", () => {
    assert.equal(exitCodeForError(new CommanderError(1, "commander.unknownOption", "error: unknown option '--bogus'")), 1);
    assert.equal(exitCodeForError(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)")), 0);
  });

  it("passes a job's status through as a shell reports it", () => {
    assert.equal(exitCodeForJob(0, null), 0);
    assert.equal(exitCodeForJob(3, null), 3);
    assert.equal(exitCodeForJob(null, "SIGTERM"), 143);
    assert.equal(exitCodeForJob(null, "SIGKILL"), 137);
    assert.equal(exitCodeForJob(null, null), ExitCode.FAILURE);
  });
});

describe("reportCliError", () => {
  const before = process.exitCode;
  afterEach(() => {
    process.exitCode = before;
  });

  it("prints an expected error's message and sets its exit code", () => {
    let stderr = "";
    reportCliError(new NotFoundError("no run matches abc"), { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
    assert.equal(stderr, "snaptrail: no run matches abc\n");
    assert.equal(process.exitCode, 2);
  });

  it("rethrows a bug for the entry point, which prints its stack", () => {
    const bug = new TypeError("x is undefined");
    assert.throws(() => reportCliError(bug, { stdout: { write: () => true }, stderr: { write: () => true }, env: {} }), bug);
    assert.match(cliErrorLine(bug), /^snaptrail: unexpected error: TypeError: x is undefined\n {4}at /);
  });
});
