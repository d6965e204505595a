import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";

type GrpcModule = Omit<typeof grpc, "default">;

export interface GrpcCallLimits {
  /** Calls open at once across all connections; one more is refused with RESOURCE_EXHAUSTED. */
  maxOpenCalls: number;
  /** A call waiting on its client that receives no whole message for this long is ended. */
  idleTimeoutMs: number;
}

export interface GrpcCallLimiter {
  interceptor: grpc.ServerInterceptor;
  /** Calls open now (for logs and tests). */
  openCalls(): number;
}

/**
 * Bounds what idle or slow clients can hold: every call counts against maxOpenCalls from its
 * first header to its status, and a call the collector is waiting on (the client has not
 * half-closed, and on a streaming answer every request is answered) ends with DEADLINE_EXCEEDED
 * when no whole message arrives for idleTimeoutMs. That covers a client that opens a stream and
 * sends nothing, and one that sends part of a length-prefixed message and stops: grpc-js hands
 * over only whole messages, so neither would otherwise ever end. A call whose answer the
 * collector owes (acks pending on a slow store) is never cut by this.
 */
export function grpcCallLimiter(grpcLib: GrpcModule, limits: GrpcCallLimits, log: Logger): GrpcCallLimiter {
  let open = 0;
  const interceptor: grpc.ServerInterceptor = (method, call) => {
    let counted = false;
    let ended = false;
    let halfClosed = false;
    let received = 0;
    let answered = 0;
    let timer: NodeJS.Timeout | undefined;

    const end = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      if (counted) open--;
    };
    const waitingOnClient = (): boolean => !ended && !halfClosed && (!method.responseStream || received === answered);
    const arm = (): void => {
      clearTimeout(timer);
      if (!waitingOnClient()) return;
      timer = setTimeout(() => {
        if (!waitingOnClient()) return;
        const seconds = limits.idleTimeoutMs / 1000;
        log.info({ peer: call.getPeer(), method: method.path, idleTimeoutMs: limits.idleTimeoutMs }, "gRPC call idle past the limit; ending it");
        intercepting.sendStatus({
          code: grpcLib.status.DEADLINE_EXCEEDED,
          details: `no complete message on this ${method.path} call for ${seconds} s (the collector's grpcStreamIdleTimeoutMs); call again`,
        });
      }, limits.idleTimeoutMs);
      timer.unref();
    };

    const intercepting: grpc.ServerInterceptingCall = new grpcLib.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            if (open >= limits.maxOpenCalls) {
              log.warn({ peer: call.getPeer(), method: method.path, open }, "gRPC call refused: too many open calls");
              // The handler never starts: nothing of this call is held.
              intercepting.sendStatus({
                code: grpcLib.status.RESOURCE_EXHAUSTED,
                details: `the collector has ${open} gRPC calls open, its limit (grpcMaxOpenStreams); try again later`,
              });
              return;
            }
            open++;
            counted = true;
            arm();
            nextMetadata(metadata);
          },
          onReceiveMessage(message, nextMessage) {
            received++;
            arm();
            nextMessage(message);
          },
          onReceiveHalfClose(nextHalfClose) {
            halfClosed = true;
            arm();
            nextHalfClose();
          },
          onCancel: end,
        });
      },
      sendMessage(message, next) {
        answered++;
        arm();
        next(message);
      },
      sendStatus(status, next) {
        end();
        next(status);
      },
    });
    return intercepting;
  };
  return { interceptor, openCalls: () => open };
}
