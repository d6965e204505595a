/** PEP 503 normalised distribution name: lower case, each run of "-", "_" and "." as one "-". */
export function normalizePackageName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, "-");
}
