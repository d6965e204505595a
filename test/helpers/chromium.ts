/** Debian's chromium, which the browser tests and the UI benchmark drive with playwright-core. */
export const CHROMIUM = "/usr/bin/chromium";

/** The notes' flags: without the background-networking ones chromium dials out and is refused. */
export const CHROMIUM_ARGS: string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
