/**
 * Exact JSON shapes for contract tests: every object lists all of its keys (a key added or
 * removed fails), every value its type. `describeShape` spells a shape the way docs/json.md
 * writes types, so the docs can be checked against the same shapes.
 */
import assert from "node:assert/strict";

export type ScalarShape = "string" | "integer" | "number" | "boolean" | "timestamp";

export type Shape =
  | ScalarShape
  | { readonly nullable: Shape }
  | { readonly arrayOf: Shape }
  | { readonly recordOf: Shape }
  | { readonly name: string; readonly oneOf: readonly string[] }
  | { readonly name: string; readonly fields: Readonly<Record<string, Shape>> };

export type ObjectShape = Extract<Shape, { fields: unknown }>;

/** An ISO-8601 UTC timestamp with milliseconds, as Date.prototype.toISOString() writes it. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const nullable = (shape: Shape): Shape => ({ nullable: shape });
export const arrayOf = (shape: Shape): Shape => ({ arrayOf: shape });
export const recordOf = (shape: Shape): Shape => ({ recordOf: shape });

/** Throws an AssertionError naming the path of the first value that does not fit. */
export function assertShape(value: unknown, shape: Shape, path = "$"): void {
  if (typeof shape === "string") {
    assertScalar(value, shape, path);
  } else if ("nullable" in shape) {
    if (value !== null) assertShape(value, shape.nullable, path);
  } else if ("arrayOf" in shape) {
    assert.ok(Array.isArray(value), `${path}: expected an array, got ${JSON.stringify(value)}`);
    value.forEach((item, index) => assertShape(item, shape.arrayOf, `${path}[${index}]`));
  } else if ("oneOf" in shape) {
    assert.ok(
      typeof value === "string" && shape.oneOf.includes(value),
      `${path}: expected one of ${shape.oneOf.join(", ")}, got ${JSON.stringify(value)}`,
    );
  } else {
    assert.ok(isPlainObject(value), `${path}: expected an object, got ${JSON.stringify(value)}`);
    if ("fields" in shape) {
      assert.deepEqual(
        Object.keys(value).sort(),
        Object.keys(shape.fields).sort(),
        `${path}: the keys of ${shape.name} differ`,
      );
      for (const [key, field] of Object.entries(shape.fields)) {
        assertShape(value[key], field, `${path}.${key}`);
      }
    } else {
      for (const [key, item] of Object.entries(value)) {
        assertShape(item, shape.recordOf, `${path}.${key}`);
      }
    }
  }
}

function assertScalar(value: unknown, shape: ScalarShape, path: string): void {
  assert.ok(fitsScalar(value, shape), `${path}: expected ${shape}, got ${JSON.stringify(value)}`);
}

function fitsScalar(value: unknown, shape: ScalarShape): boolean {
  switch (shape) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "timestamp":
      return typeof value === "string" && TIMESTAMP.test(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The type of a shape as docs/json.md writes it: `timestamp or null`, `array of Worker`. */
export function describeShape(shape: Shape): string {
  if (typeof shape === "string") return shape;
  if ("nullable" in shape) return `${describeShape(shape.nullable)} or null`;
  if ("arrayOf" in shape) return `array of ${describeShape(shape.arrayOf)}`;
  if ("recordOf" in shape) return `object of ${describeShape(shape.recordOf)}`;
  return shape.name;
}
