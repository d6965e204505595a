import type { FastifyReply } from "fastify";

/** An answer other than 2xx, thrown by a route: the error handler sends {code, message, ...extra}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send({ code, message, ...extra });
}

/** The path of a request URL for a message: no query, and never more than 200 characters echoed. */
export function pathOf(url: string): string {
  const path = url.split("?")[0] ?? "";
  return path.length > 200 ? `${path.slice(0, 200)}... (${path.length} characters)` : path;
}
