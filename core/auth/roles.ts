// Who may do what with a collector. Least privilege first: an agent token can publish and read
// back exactly what its own runs need (a run by its exact id, a blob or snapshot by digest, a
// cache entry by key) and nothing it could search or list with; readers query; operators also
// resubmit; admins also manage tokens. The HTTP routes and gRPC methods name one permission each
// (collector/auth/route-permissions.ts), so no route is reachable without a line saying who.

export const ROLES = ["agent", "reader", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Publish events, upload blobs, ask which digests are stored. */
  "publish",
  /** One run by its exact id, a blob or snapshot by digest, a cache entry by key. */
  "read-exact",
  /** Every query: listings, prefixes, search, diff, `which`. */
  "query",
  /** Resubmit a run through the collector. */
  "resubmit",
  /** Create, list and revoke tokens. */
  "tokens",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: { readonly [R in Role]: readonly Permission[] } = {
  agent: ["publish", "read-exact"],
  reader: ["read-exact", "query"],
  operator: ["read-exact", "query", "resubmit"],
  admin: ["read-exact", "query", "resubmit", "tokens"],
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
