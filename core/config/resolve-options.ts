import { readFileSync } from "node:fs";
import type { z } from "zod";
import { ConfigError } from "../errors.js";

export interface OptionSources {
  /** Values given as command-line flags (undefined entries are ignored). */
  flags?: Record<string, unknown>;
  /** Environment variables, mapped key -> variable name by `envNames`. */
  env?: NodeJS.ProcessEnv;
  /** A JSON file of options, when one is named. */
  file?: string;
}

/**
 * Resolves one component's options: flag > env var > file > default (the schema's defaults),
 * validated at the edge. Errors name the key and where its value came from.
 */
export function resolveOptions<S extends z.ZodObject>(
  schema: S,
  envNames: Partial<Record<keyof z.infer<S> & string, string>>,
  sources: OptionSources,
): z.infer<S> {
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  if (sources.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(sources.file, "utf8"));
    } catch (err) {
      throw new ConfigError(`cannot read config file ${sources.file}: ${(err as Error).message}`, { cause: err });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${sources.file} must hold a JSON object`);
    for (const [k, v] of Object.entries(parsed)) {
      merged[k] = v;
      origin[k] = `config file ${sources.file}`;
    }
  }
  for (const [key, name] of Object.entries(envNames) as [string, string][]) {
    const value = sources.env?.[name];
    if (value !== undefined && value !== "") {
      merged[key] = value;
      origin[key] = `env var ${name}`;
    }
  }
  for (const [k, v] of Object.entries(sources.flags ?? {})) {
    if (v !== undefined) {
      merged[k] = v;
      origin[k] = "command line";
    }
  }
  const result = schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join(".");
    const from = origin[String(issue.path[0])] ?? "default";
    throw new ConfigError(`invalid option ${key} (from ${from}): ${issue.message}`);
  }
  return result.data;
}
