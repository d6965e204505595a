import { createServer } from "node:net";

/**
 * A loopback port nothing listens on right now: for servers a test starts, and as an address
 * where a connection is refused (a collector that is down).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
