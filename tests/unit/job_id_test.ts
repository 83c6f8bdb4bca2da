import assert from "node:assert/strict";
import { generateJobId, MAX_ID_LENGTH, validateJobId } from "../../src/core/job_id.ts";

Deno.test("validateJobId() accepts letters, digits, dots, underscores and dashes", () => {
  for (const id of ["a", "7", "build-42", "Deploy_2026.12.01", "x".repeat(MAX_ID_LENGTH)]) {
    assert.equal(validateJobId(id), id);
  }
});

Deno.test("validateJobId() names the label in its errors", () => {
  assert.throws(() => validateJobId("a b", "--id"), {
    name: "UsageError",
    message:
      `Invalid --id "a b": use letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit`,
  });
  assert.throws(() => validateJobId("", "--id"), { message: "Invalid --id: it is empty" });
});

Deno.test("validateJobId() shows only the start of an over-long id", () => {
  const id = `${"0123456789".repeat(13)}`;
  assert.throws(() => validateJobId(id), {
    message: `Invalid id "${"0123456789".repeat(6)}..." (130 characters): at most 128 characters`,
  });
});

Deno.test("generateJobId() gives 10 lower-case characters that validateJobId() accepts", () => {
  for (let index = 0; index < 200; index++) {
    const id = generateJobId();
    assert.match(id, /^[0-9a-hjkmnp-tv-z]{10}$/);
    assert.equal(validateJobId(id), id);
  }
});

Deno.test("generateJobId() does not repeat itself in 10,000 ids", () => {
  const ids = new Set(Array.from({ length: 10_000 }, generateJobId));
  assert.equal(ids.size, 10_000);
});
