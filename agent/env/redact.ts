import { createHmac } from "node:crypto";

/**
 * Secret redaction for everything the agent records as text: env vars, command lines, config.
 *
 * A redacted value becomes `<redacted sha256:XXXXXXXXXXXX>`, the first 12 hex digits of
 * HMAC-SHA256(salt, secret). The same secret gives the same marker on every run, so a diff still
 * shows that a token changed without showing the token.
 *
 * The salt is one per installation: the collector makes it on first start and agents get it
 * through their config (redactionSalt / redactionSaltFile, see redaction-salt.ts). Without one,
 * DEFAULT_REDACT_SALT is used: a public constant, so anyone holding a candidate secret can check
 * it against a marker (48 bits). It is the same on every host so that markers, digests and cache
 * keys stay comparable; a new salt makes every marker new (docs/capture.md, "Rotating the salt").
 */
export const DEFAULT_REDACT_SALT = "snaptrail-default-redact-salt-v1";

export const REDACTION_SALT_ENV = "SNAPTRAIL_REDACTION_SALT";
/** The salt's older variable, still read after SNAPTRAIL_REDACTION_SALT. */
export const LEGACY_REDACT_SALT_ENV = "SNAPTRAIL_REDACT_SALT";

export interface Redacted {
  value: string;
  redacted: boolean;
}

/** The salt named by env vars alone (no salt file): SNAPTRAIL_REDACTION_SALT, SNAPTRAIL_REDACT_SALT, the default. */
export function redactionSalt(env: NodeJS.ProcessEnv): string {
  for (const name of [REDACTION_SALT_ENV, LEGACY_REDACT_SALT_ENV]) {
    const salt = env[name];
    if (salt !== undefined && salt !== "") return salt;
  }
  return DEFAULT_REDACT_SALT;
}

export function redactionMarker(secret: string, salt: string): string {
  const mac = createHmac("sha256", salt).update(secret, "utf8").digest("hex");
  return `<redacted sha256:${mac.slice(0, 12)}>`;
}

// SIGNATURE, SIG: signed URLs (S3's X-Amz-Signature, Azure SAS `sig`). _PWD: MYSQL_PWD (PWD
// alone is the working directory). SALT: the redaction salt itself.
const SECRET_NAME = /TOKEN|SECRET|PASSW(OR)?D|PASSWD|API_?KEY|PRIVATE|CREDENTIAL|AUTH|_KEY$|^KEY$|SESSION|COOKIE|SIGNATURE|^SIG$|_PWD$|^PASS$|SALT/i;
// Words that contain a secret-looking word without being one: TOKENIZERS_PARALLELISM,
// --max-new-tokens, AUTHOR. Removed before SECRET_NAME is tried.
const BENIGN_NAME_WORDS = /TOKENI[SZ][A-Z]*|TOKENS(?=$|[^A-Z])|AUTHORS?(?=$|[^A-Z])/gi;

/** Whether a variable, flag or config key name says its value is a secret. */
export function isSecretName(name: string): boolean {
  const normalised = name.replace(/^[-+~]+/, "").replace(/[-.]/g, "_").toUpperCase();
  return SECRET_NAME.test(normalised.replace(BENIGN_NAME_WORDS, " "));
}

interface Span {
  start: number;
  end: number;
}

// Patterns whose whole match is the secret.
const SECRET_PATTERNS: readonly RegExp[] = [
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // PEM private keys, to their END line (or the end of the value when it was cut).
  /-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  // Well-known token formats (GitHub, Hugging Face, OpenAI-style, Slack, GitLab, Google, npm).
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bhf_[A-Za-z0-9]{30,}/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  /\bnpm_[A-Za-z0-9]{36}/g,
];

// scheme://user:password@ — only the password is the secret. The user part may be empty
// (redis://:password@host).
const URL_PASSWORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/?#@]*:([^\s/?#@]+)@/g;

// scheme://user@host, no password: in an http(s) or other non-ssh URL a lone user part is a token
// (https://TOKEN@host, https://oauth2:...). ssh's user (ssh://git@host) is a login name and stays.
const URL_USER_ONLY = /([A-Za-z][A-Za-z0-9+.-]*):\/\/([^\s:/?#@]+)@/g;

// name=value inside a value or an argument: a URL's query (?token=x&sig=y), a connection string
// (host=h password=x; User Id=u;Password=x), a flag (--password=x), a pair in an env var
// (SNAPTRAIL_FOO=password=x). The value runs to whitespace, ";" or "&" (a "," may be part of a
// password: a little too much redacted is better than half a secret kept), or is quoted.
const NAME_VALUE = /(?<=^|[\s;&?#,|({["'])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s;&]*)/g;

// --secret-flag VALUE inside a value (SNAPTRAIL_ARGS="--token abc"): the next word, unless it is a flag.
const FLAG_THEN_VALUE = /(?<=^|\s)--([A-Za-z][A-Za-z0-9_.-]*)\s+([^\s-][^\s]*)/g;

const TOKEN_RUN = /[A-Za-z0-9+/_=-]{32,}/g;
const HEX_OR_UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,}/g;

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function charClass(code: number): number {
  if (code >= 48 && code <= 57) return 1; // digit
  if (code >= 65 && code <= 90) return 2; // upper
  if (code >= 97 && code <= 122) return 3; // lower
  return 0;
}

/**
 * How often neighbouring letters and digits switch between upper case, lower case and digit.
 * Random tokens switch at about 6 in 10 pairs; identifiers (CamelCase, model names, paths) at
 * 2 in 10 or fewer.
 */
function classSwitchRatio(text: string): number {
  let pairs = 0;
  let switches = 0;
  for (let i = 1; i < text.length; i++) {
    const a = charClass(text.charCodeAt(i - 1));
    const b = charClass(text.charCodeAt(i));
    if (a === 0 || b === 0) continue;
    pairs++;
    if (a !== b) switches++;
  }
  return pairs === 0 ? 0 : switches / pairs;
}

/**
 * A long run of token characters that is random enough to be a key: ≥ 32 characters of
 * [A-Za-z0-9+/_=-] with at least 4.0 bits of entropy per character. Left alone: paths (they
 * start with "/", "~" or "."), hex digests and commit ids, UUIDs (removed before measuring),
 * and identifiers such as model names and CamelCase words, which switch between upper case,
 * lower case and digits far less often than random text does.
 */
export function isHighEntropyToken(run: string): boolean {
  if (run.length < 32 || /^[/~.]/.test(run)) return false;
  const rest = run.replace(HEX_OR_UUID, "");
  if (rest.length < 32) return false;
  return shannonEntropy(rest) >= 4.0 && classSwitchRatio(rest) >= 0.3;
}

function secretSpans(value: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of SECRET_PATTERNS) {
    for (const m of value.matchAll(pattern)) {
      if (m[0].length > 0) spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  for (const m of value.matchAll(URL_PASSWORD)) {
    const password = m[1] ?? "";
    const end = m.index + m[0].length - 1; // the "@"
    spans.push({ start: end - password.length, end });
  }
  for (const m of value.matchAll(URL_USER_ONLY)) {
    if (/ssh/i.test(m[1] ?? "")) continue;
    const user = m[2] ?? "";
    const end = m.index + m[0].length - 1; // the "@"
    spans.push({ start: end - user.length, end });
  }
  for (const m of value.matchAll(NAME_VALUE)) {
    const name = m[1] ?? "";
    let secret = m[2] ?? "";
    if (!isSecretName(name)) continue;
    let start = m.index + name.length + 1;
    if (secret.length >= 2 && /^["']/.test(secret) && secret.endsWith(secret.charAt(0))) {
      start += 1;
      secret = secret.slice(1, -1);
    }
    if (secret === "" || secret.startsWith("<redacted")) continue;
    spans.push({ start, end: start + secret.length });
  }
  for (const m of value.matchAll(FLAG_THEN_VALUE)) {
    const secret = m[2] ?? "";
    if (!isSecretName(m[1] ?? "") || secret.startsWith("<redacted")) continue;
    const end = m.index + m[0].length;
    spans.push({ start: end - secret.length, end });
  }
  for (const m of value.matchAll(TOKEN_RUN)) {
    const before = m.index > 0 ? value[m.index - 1] : "";
    // A run right after a "/" or "." is the tail of a path or a file name.
    if (before === "/" || before === ".") continue;
    if (isHighEntropyToken(m[0])) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** Whether a value contains something that looks like a secret, whatever its name. */
export function looksLikeSecret(value: string): boolean {
  return secretSpans(value).length > 0;
}

/**
 * A value with every secret-looking part replaced by its marker: the password of a URL with
 * credentials, keys, tokens. The rest of the value is kept, so a PATH-like list or a URL stays
 * readable.
 */
export function redactValue(value: string, salt: string): Redacted {
  const spans = secretSpans(value);
  if (spans.length === 0) return { value, redacted: false };
  let out = "";
  let at = 0;
  for (const s of spans) {
    out += value.slice(at, s.start) + redactionMarker(value.slice(s.start, s.end), salt);
    at = s.end;
  }
  return { value: out + value.slice(at), redacted: true };
}

/** A named value (env var, config key): all of it when the name is secret, else by its look. */
export function redactNamedValue(name: string, value: string, salt: string): Redacted {
  if (isSecretName(name)) {
    return value === "" ? { value, redacted: false } : { value: redactionMarker(value, salt), redacted: true };
  }
  return redactValue(value, salt);
}

const FLAG_WITH_VALUE = /^(--?)([A-Za-z0-9][A-Za-z0-9_.-]*)=([\s\S]*)$/;
const FLAG_ALONE = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/;
// Hydra / key=value overrides: `db.password=x`, `+api_key=x`, `~token=x`.
const KEY_VALUE = /^([+~]{0,2}[A-Za-z_][A-Za-z0-9_.]*)=([\s\S]*)$/;

/**
 * A command line with its secrets replaced: `--token=abc` and `--password abc` (the next
 * argument) by the flag's name, `api_key=abc` overrides, and secret-looking values anywhere.
 */
export function redactArgv(argv: readonly string[], salt: string): { argv: string[]; redacted: boolean } {
  const out: string[] = [];
  let redacted = false;
  let nextIsSecret = false;
  for (const arg of argv) {
    if (nextIsSecret && !arg.startsWith("--")) {
      nextIsSecret = false;
      out.push(redactionMarker(arg, salt));
      redacted = true;
      continue;
    }
    nextIsSecret = false;
    const flag = FLAG_WITH_VALUE.exec(arg);
    if (flag && isSecretName(flag[2] ?? "")) {
      out.push(`${flag[1] ?? ""}${flag[2] ?? ""}=${redactionMarker(flag[3] ?? "", salt)}`);
      redacted = true;
      continue;
    }
    const kv = flag ? null : KEY_VALUE.exec(arg);
    if (kv && isSecretName(kv[1] ?? "")) {
      out.push(`${kv[1] ?? ""}=${redactionMarker(kv[2] ?? "", salt)}`);
      redacted = true;
      continue;
    }
    const alone = FLAG_ALONE.exec(arg);
    if (alone && isSecretName(alone[1] ?? "")) {
      out.push(arg);
      nextIsSecret = true;
      continue;
    }
    const r = redactValue(arg, salt);
    out.push(r.value);
    redacted ||= r.redacted;
  }
  return { argv: out, redacted };
}
