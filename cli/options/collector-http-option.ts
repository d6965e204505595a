import { Option } from "commander";
import { COLLECTOR_HTTP_ENV, DEFAULT_COLLECTOR_HTTP } from "../../core/collector-http-client.js";

/**
 * `--collector-http <url>`, the one declaration every command that asks the collector's HTTP API
 * shares. It has no commander default on purpose: the value resolves flag > SNAPTRAIL_COLLECTOR_HTTP
 * > default in resolveCollectorUrl (and, for `wrap`, flag > env > config file > default in the
 * agent's options), which a default here would shadow. `purpose` names what the address is for
 * where the command does other things too ("for --cache and --restore").
 */
export function collectorHttpOption(purpose?: string): Option {
  return new Option("--collector-http <url>", `collector HTTP address${purpose ? ` ${purpose}` : ""} (env ${COLLECTOR_HTTP_ENV}, default ${DEFAULT_COLLECTOR_HTTP})`);
}

/** `--tls-ca <file>`: the CA an https:// collector's certificate must chain to (SNAPTRAIL_TLS_CA otherwise). */
export function tlsCaOption(): Option {
  return new Option("--tls-ca <file>", "PEM CA the collector's certificate must chain to, for an https:// address (env SNAPTRAIL_TLS_CA; client certificate: SNAPTRAIL_TLS_CERT, SNAPTRAIL_TLS_KEY)");
}

/** The environment the collector's HTTP client reads, with --tls-ca in place of SNAPTRAIL_TLS_CA when given. */
export function clientEnv(flags: { tlsCa?: string | undefined }, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return flags.tlsCa ? { ...env, SNAPTRAIL_TLS_CA: flags.tlsCa } : env;
}
