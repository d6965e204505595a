// Real package indexes on loopback for the restore tests: wheels built in the test and a PEP 503
// folder served by Python's http.server (its folder listings are the simple pages), optionally
// behind HTTP Basic auth, the way a private index answers a client without credentials.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "./free-port.js";
import { runOrFail } from "./python-env.js";
import { makeServerDir, removeServerDir, startServerProcess, type ServerProcess } from "./server-process.js";

const WHEEL_SCRIPT = `
import base64, hashlib, os, sys, zipfile
out, name, version, body = sys.argv[1:5]
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}/__init__.py": body.encode(),
    f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n\\n".encode(),
    f"{dist}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: snaptrail-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n\\n",
}
record = ""
for p, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record += f"{p},sha256={digest},{len(data)}\\n"
files[f"{dist}/RECORD"] = (record + f"{dist}/RECORD,,\\n").encode()
os.makedirs(out, exist_ok=True)
path = os.path.join(out, f"{name}-{version}-py3-none-any.whl")
with zipfile.ZipFile(path, "w") as z:
    for p, data in files.items():
        z.writestr(p, data)
print(path)
`;

/** Builds a pure-Python wheel of `name==version` whose module holds `body`, into `dir`. Returns its path. */
export async function buildWheel(dir: string, name: string, version: string, body: string): Promise<string> {
  return (await runOrFail("python3", ["-c", WHEEL_SCRIPT, dir, name, version, body])).trim();
}

const SERVER_SCRIPT = `
import base64, functools, http.server, sys
port, root, auth = int(sys.argv[1]), sys.argv[2], sys.argv[3]
want = "Basic " + base64.b64encode(auth.encode()).decode() if auth else None
class Handler(http.server.SimpleHTTPRequestHandler):
    def allowed(self):
        if want is None or self.headers.get("Authorization") == want:
            return True
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="index"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False
    def do_GET(self):
        if self.allowed(): super().do_GET()
    def do_HEAD(self):
        if self.allowed(): super().do_HEAD()
    def log_message(self, *args):
        pass
print("serving", flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root)).serve_forever()
`;

export interface IndexServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves `root` over HTTP on a free loopback port; with `auth` ("user:password") every request without it gets 401. */
export async function startIndexServer(root: string, auth = ""): Promise<IndexServer> {
  const dir = makeServerDir("index");
  const port = await freePort();
  writeFileSync(path.join(dir, "server.py"), SERVER_SCRIPT);
  mkdirSync(root, { recursive: true });
  let server: ServerProcess;
  try {
    server = await startServerProcess({
      name: "index-server",
      command: "python3",
      args: [path.join(dir, "server.py"), String(port), root, auth],
      dir,
      ready: (s) => s.stdout().includes("serving") && fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false),
      readyTimeoutMs: 15_000,
      readyMeans: "answer GET /",
    });
  } catch (err) {
    removeServerDir(dir);
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await server.stop();
      removeServerDir(dir);
    },
  };
}
