// An HTTP proxy in front of a real clickhouse-server that records every request the ClickHouse
// store sends and what the server answered, in order, so the same statements can be replayed
// elsewhere (chDB: a current ClickHouse). Test code only: the product is not touched, the store
// simply gets the proxy's port in its URL. Loopback only; stopped by close().
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface RecordedStatement {
  /** The statement as the server parsed it: the `query` URL parameter, then the body (an INSERT's rows), or the body alone. */
  sql: string;
  /** URL parameters other than `query` (settings, database, query_id). */
  params: Record<string, string>;
  status: number;
  /** The answer's body, decompressed. */
  response: string;
}

export interface RecordingProxy {
  port: number;
  statements: RecordedStatement[];
  /** The store URL of `storeUrl` with the server's port replaced by the proxy's. */
  via(storeUrl: string): string;
  close(): Promise<void>;
}

function decoded(body: Buffer, headers: IncomingHttpHeaders): string {
  return (headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString("utf8");
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts);
}

export async function startRecordingProxy(serverHttpPort: number): Promise<RecordingProxy> {
  const statements: RecordedStatement[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      // The slot is taken on arrival: concurrent requests are recorded in the order they reached the server.
      const slot = statements.length;
      statements.push(undefined as unknown as RecordedStatement);
      const upstream = request({ host: "127.0.0.1", port: serverHttpPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        void readAll(answer).then((answerBody) => {
          const params = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "query"));
          const text = decoded(body, req.headers);
          const query = url.searchParams.get("query");
          statements[slot] = {
            sql: query === null ? text : text === "" ? query : `${query}\n${text}`,
            params,
            status: answer.statusCode ?? 0,
            response: decoded(answerBody, answer.headers),
          };
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(answerBody);
        });
      });
      upstream.on("error", (err) => {
        statements[slot] = { sql: "", params: {}, status: 502, response: String(err) };
        res.writeHead(502).end(String(err));
      });
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    statements,
    via: (storeUrl) => storeUrl.replace(/:(\d+)\//, `:${port}/`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
