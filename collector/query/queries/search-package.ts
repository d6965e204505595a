import type { PackageRunPage } from "../../../core/api-types.js";
import { normalisePackageName, versionMatcher } from "../../store/package-match.js";
import type { Store } from "../../store/store.js";
import { encodeCursor } from "../schemas/query-params.js";
import { toRunQuery, type PackageRunsQuery } from "../schemas/run-filters.js";

/**
 * Package search (GET /api/v1/packages/:name/runs, Query.SearchPackage): the runs list for one
 * package, each run with the versions of it its environment held that match the filter.
 */
export async function searchPackage(store: Store, rawName: string, query: PackageRunsQuery): Promise<PackageRunPage> {
  const name = normalisePackageName(rawName);
  const page = await store.listRunPage(toRunQuery({ ...query, package: name }));
  const digests = page.runs.map((r) => r.environmentDigest).filter((d): d is string => d !== null);
  const versions = await store.packageVersions(name, digests);
  const matcher = query.version === undefined ? undefined : versionMatcher(query.version);
  const matching = (version: string) => matcher === undefined || (matcher.kind === "exact" ? version === matcher.version : matcher.matches(version));
  return {
    package: name,
    runs: page.runs.map((run) => ({ run, versions: (versions.get(run.environmentDigest ?? "") ?? []).filter(matching) })),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}
