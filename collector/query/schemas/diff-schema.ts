import { z } from "zod";
import type { CodeDiff, EnvVarChange, FieldChange, FilePatch, LeftOutChange, PackageChange, PackageRef, RunDiff } from "../../../core/api-types.js";
import { RunSummarySchema } from "./run-schemas.js";
import type { SameKeys } from "./same-keys.js";

// GET /api/v1/diff's answer (core/api-types.ts RunDiff), strict like the run schemas.

const FieldChangeSchema = z.strictObject({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() }).meta({ id: "FieldChange" });
const PackageRefSchema = z.strictObject({ name: z.string(), version: z.string() });
const PackageChangeSchema = z.strictObject({
  name: z.string(),
  from: z.string(),
  to: z.string(),
  direction: z.enum(["upgrade", "downgrade", "source", "incomparable"]),
  major: z.boolean().describe("The first release segment changed (1.10.13 -> 2.7.1)"),
  sourceFrom: z.string().optional(),
  sourceTo: z.string().optional(),
});
const FilePatchSchema = z.strictObject({ path: z.string(), unified: z.string(), binary: z.boolean() });
const fileState = z.enum(["recorded", "left out", "absent"]);
const LeftOutChangeSchema = z.strictObject({ path: z.string(), from: fileState, to: fileState, reason: z.string() });
const CodeDiffSchema = z.strictObject({
  commitFrom: z.string().nullable(),
  commitTo: z.string().nullable(),
  branchFrom: z.string().nullable(),
  branchTo: z.string().nullable(),
  dirtyFrom: z.boolean(),
  dirtyTo: z.boolean(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  modified: z.array(z.string()),
  leftOut: z.array(LeftOutChangeSchema),
  patches: z.array(FilePatchSchema),
  note: z.string().optional(),
});
const EnvVarChangeSchema = z.strictObject({ name: z.string(), from: z.string().nullable(), to: z.string().nullable(), redacted: z.boolean() });

export const RunDiffSchema = z
  .strictObject({
    a: RunSummarySchema,
    b: RunSummarySchema,
    identical: z.boolean(),
    packages: z.strictObject({
      added: z.array(PackageRefSchema),
      removed: z.array(PackageRefSchema),
      changed: z.array(PackageChangeSchema),
      unchanged: z.number(),
    }),
    interpreter: z.array(FieldChangeSchema),
    image: z.array(FieldChangeSchema),
    os: z.array(FieldChangeSchema),
    host: z.array(FieldChangeSchema),
    code: CodeDiffSchema.nullable(),
    config: z.array(FieldChangeSchema),
    env: z.array(EnvVarChangeSchema),
    modules: z.strictObject({ added: z.array(z.string()), removed: z.array(z.string()) }),
  })
  .meta({ id: "RunDiff" });

export const DIFF_KEYS_MATCH: [
  SameKeys<z.output<typeof RunDiffSchema>, RunDiff>,
  SameKeys<z.output<typeof RunDiffSchema>["packages"], RunDiff["packages"]>,
  SameKeys<z.output<typeof FieldChangeSchema>, FieldChange>,
  SameKeys<z.output<typeof PackageRefSchema>, PackageRef>,
  SameKeys<z.output<typeof PackageChangeSchema>, PackageChange>,
  SameKeys<z.output<typeof FilePatchSchema>, FilePatch>,
  SameKeys<z.output<typeof LeftOutChangeSchema>, LeftOutChange>,
  SameKeys<z.output<typeof CodeDiffSchema>, CodeDiff>,
  SameKeys<z.output<typeof EnvVarChangeSchema>, EnvVarChange>,
] = [true, true, true, true, true, true, true, true, true];
