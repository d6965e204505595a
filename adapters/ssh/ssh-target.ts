// `--via ssh://USER@HOST[:PORT]`: where resubmit logs in. Parsed by hand rather than with URL,
// which would accept a password (`user:pw@`), a path, a query and percent-escapes that have no
// meaning here; anything but the plain form is refused with the form to use.
import { isIPv6 } from "node:net";
import { userInfo } from "node:os";
import { BadInputError } from "../../core/errors.js";

export interface SshTarget {
  user: string;
  /** A host name or IP address; an IPv6 address without its brackets. */
  host: string;
  port: number;
}

const FORM = "ssh://USER@HOST[:PORT] (USER optional, an IPv6 address in brackets: ssh://USER@[::1]:22)";
const TARGET = /^ssh:\/\/(?:([^@/?#]*)@)?(\[[^\]/]*\]|[^:/?#@[\]]*)(?::([^/?#]*))?\/?$/;
// POSIX portable user names (plus the `$` of machine accounts); no leading `-`, no spaces, no `:`.
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/;
// DNS labels (underscores allowed, as some sites use them), or an IPv4 address.
const HOST = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** Parses `ssh://USER@HOST[:PORT]`; USER defaults to whoever runs snaptrail, PORT to 22. */
export function parseSshTarget(text: string, defaultUser: () => string = () => userInfo().username): SshTarget {
  const bad = (why: string): BadInputError => new BadInputError(`--via ${JSON.stringify(text)}: ${why}; expected ${FORM}`);
  const match = TARGET.exec(text);
  if (!match) throw bad(text.startsWith("ssh://") ? "not a plain SSH address (no password, path, query or fragment)" : "not an ssh:// address");
  const [, userPart, hostPart = "", portPart] = match;
  if (portPart?.includes(":")) throw bad("an IPv6 address goes in brackets");
  if (userPart !== undefined && !USER.test(userPart)) throw bad(`${JSON.stringify(userPart)} is not a user name`);
  let host = hostPart;
  if (host.startsWith("[")) {
    host = host.slice(1, -1);
    if (!isIPv6(host)) throw bad(`[${host}] is not an IPv6 address`);
  } else if (host === "" || !HOST.test(host)) throw bad(host === "" ? "no host" : `${JSON.stringify(host)} is not a host name`);
  let port = 22;
  if (portPart !== undefined) {
    port = /^\d{1,5}$/.test(portPart) ? Number(portPart) : NaN;
    if (!(port >= 1 && port <= 65535)) throw bad(`port ${JSON.stringify(portPart)} is not a number from 1 to 65535`);
  }
  return { user: userPart ?? defaultUser(), host, port };
}

/** host:port for messages, brackets around IPv6: `login1:22`, `[::1]:2200`. */
export function formatHostPort(target: Pick<SshTarget, "host" | "port">): string {
  return `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
}

/** The target as an address again: ssh://user@host:port, brackets around IPv6. */
export function formatSshTarget(target: SshTarget): string {
  return `ssh://${target.user}@${formatHostPort(target)}`;
}
