// nats.js in one place, loaded lazily: only an agent on --transport nats or a collector with
// --nats ever pays for it. Its packages are CommonJS: the esbuild bundle exposes them as a
// default export only, plain Node as named exports too, so take `default` when there is one.
type Transport = typeof import("@nats-io/transport-node");
type JetStream = typeof import("@nats-io/jetstream");
type Obj = typeof import("@nats-io/obj");

export interface NatsModules {
  transport: Transport;
  jetstream: JetStream;
  obj: Obj;
}

function interop<T extends object>(mod: T): T {
  return (mod as { default?: T }).default ?? mod;
}

let loading: Promise<NatsModules> | undefined;

export function loadNats(): Promise<NatsModules> {
  loading ??= Promise.all([import("@nats-io/transport-node"), import("@nats-io/jetstream"), import("@nats-io/obj")]).then(([t, j, o]) => ({
    transport: interop(t),
    jetstream: interop(j),
    obj: interop(o),
  }));
  return loading;
}
