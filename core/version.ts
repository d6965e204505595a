import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// dist/core/version.js and core/version.ts both sit two levels below package.json's folder
// only in the built tree; resolve relative to this file in either layout.
function readVersion(): string {
  for (const candidate of ["../../package.json", "../package.json"]) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === "snaptrail" && pkg.version) return pkg.version;
    } catch {
      // try the next layout
    }
  }
  return "0.0.0";
}

export const SNAPTRAIL_VERSION = readVersion();
