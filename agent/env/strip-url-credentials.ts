// "scheme://userinfo@host...": greedy, so the userinfo runs to the last "@" before the path.
const URL_WITH_USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@(.*)$/s;

/**
 * A URL without the credentials in it, for remotes and package sources that are stored and
 * shown: `https://user:token@host/x` → `https://host/x`. A token alone in the user part
 * (`https://ghp_xxx@host/x`) goes too. A bare ssh user (`ssh://git@host/x`) is not a secret and
 * is kept, as is the scp-like form `git@host:org/repo.git`, which has no scheme.
 */
export function stripUrlCredentials(url: string): string {
  const m = URL_WITH_USERINFO.exec(url);
  if (!m) return url;
  const scheme = m[1] ?? "";
  const userinfo = m[2] ?? "";
  const hostAndRest = m[3] ?? "";
  if (/ssh/i.test(scheme) && !userinfo.includes(":")) return url;
  return scheme + hostAndRest;
}
