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
