// The web UI's build: ui/ -> dist/cli-bundle/ui/, beside the CLI bundle, so the collector finds it
// at run time in the repo build and in the npm package alike (collector/query/web-ui.ts).
// Everything is bundled (no CDN). `npx vite -c ui/vite.config.mjs` serves it for development,
// passing /api to a collector on SNAPTRAIL_HTTP (default 127.0.0.1:8077).
import process from "node:process";
import { URL, fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/cli-bundle/ui", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": `http://${process.env.SNAPTRAIL_HTTP ?? "127.0.0.1:8077"}`, "/healthz": `http://${process.env.SNAPTRAIL_HTTP ?? "127.0.0.1:8077"}` },
  },
});
