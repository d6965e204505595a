/**
 * Compiles only when A and B have the same keys: pins each answer schema to its interface in
 * core/api-types.ts, so a field added to one and not the other fails the build, not a caller.
 * (Values are checked where it matters at run time: the serializer refuses an answer that does
 * not match its schema, and the API tests send real answers through it.)
 */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
