import assert from "node:assert/strict";
import {
  JobNotFoundError,
  OperationalError,
  QueuectlError,
  quoteJsonValue,
  quoteValue,
  UsageError,
} from "../../src/core/errors.ts";

Deno.test("UsageError maps to exit 2", () => {
  const error = new UsageError("bad");
  assert.ok(error instanceof QueuectlError);
  assert.equal(error.exitCode, 2);
  assert.equal(error.name, "UsageError");
});

Deno.test("OperationalError maps to exit 1", () => {
  const error = new OperationalError("busy");
  assert.ok(error instanceof QueuectlError);
  assert.equal(error.exitCode, 1);
  assert.equal(error.name, "OperationalError");
});

Deno.test("JobNotFoundError names the id and where to find ids", () => {
  const error = new JobNotFoundError("nope-1");
  assert.ok(error instanceof OperationalError);
  assert.equal(error.exitCode, 1);
  assert.equal(error.jobId, "nope-1");
  assert.equal(error.message, `No job with id "nope-1": see 'queuectl list' for the ids`);
});

Deno.test("quoteValue() quotes a value whole up to 60 characters, else its start and length", () => {
  assert.equal(quoteValue("x".repeat(60)), `"${"x".repeat(60)}"`);
  assert.equal(quoteValue("x".repeat(61)), `"${"x".repeat(60)}..." (61 characters)`);
  assert.equal(quoteJsonValue("a\nb"), '"a\\nb"');
  // A cut through a surrogate pair would leave half a character: the pair is left out whole.
  assert.equal(
    quoteValue(`${"x".repeat(59)}😀${"x".repeat(10)}`),
    `"${"x".repeat(59)}..." (71 characters)`,
  );
});
