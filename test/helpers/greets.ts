import { connect as connectTcp } from "node:net";

/**
 * Resolves true once a server on this loopback port takes a connection and sends a first line
 * starting with `greeting` (nats-server's "INFO ", sshd's "SSH-2.0-"): up and speaking its protocol.
 */
export function greets(port: number, greeting: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (d: Buffer) => done(d.toString("latin1").startsWith(greeting)));
  });
}
