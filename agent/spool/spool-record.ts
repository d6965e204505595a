import { createHash } from "node:crypto";

// One record: MAGIC (4 bytes) | payload length (u32 BE) | first 8 bytes of SHA-256(payload) | payload.
// The magic lets a reader find the next record after a damaged one; the checksum catches torn
// or flipped bytes (a spool file may sit for days on a node's disk). SHA-256 and not CRC32:
// zlib.crc32 arrived in Node 20.15 and we support 20.9, and hashing a few KiB costs microseconds.
export const RECORD_MAGIC = Buffer.from("STS1", "latin1");
const HEADER_BYTES = 16;
/** No event the agent writes comes near this; a larger length field is damage. */
export const MAX_RECORD_BYTES = 512 * 1024 * 1024;

function checksum(payload: Uint8Array): Buffer {
  return createHash("sha256").update(payload).digest().subarray(0, 8);
}

export function encodeRecords(payloads: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const payload of payloads) {
    const header = Buffer.alloc(HEADER_BYTES);
    RECORD_MAGIC.copy(header, 0);
    header.writeUInt32BE(payload.length, 4);
    checksum(payload).copy(header, 8);
    parts.push(header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  }
  return Buffer.concat(parts);
}

export interface DecodedRecords {
  payloads: Buffer[];
  /** Damaged or half-written records skipped (a run of garbage between two good records counts once). */
  corrupt: number;
}

/** Reads every intact record; never throws on damage, it skips to the next magic and counts. */
export function decodeRecords(data: Buffer): DecodedRecords {
  const payloads: Buffer[] = [];
  let corrupt = 0;
  let offset = 0;
  while (offset < data.length) {
    const good = recordAt(data, offset);
    if (good) {
      payloads.push(good.payload);
      offset = good.next;
      continue;
    }
    corrupt++;
    const next = data.indexOf(RECORD_MAGIC, offset + 1);
    if (next < 0) break;
    offset = next;
  }
  return { payloads, corrupt };
}

function recordAt(data: Buffer, offset: number): { payload: Buffer; next: number } | undefined {
  if (offset + HEADER_BYTES > data.length) return undefined;
  if (!data.subarray(offset, offset + 4).equals(RECORD_MAGIC)) return undefined;
  const length = data.readUInt32BE(offset + 4);
  const start = offset + HEADER_BYTES;
  if (length > MAX_RECORD_BYTES || start + length > data.length) return undefined;
  const payload = data.subarray(start, start + length);
  if (!checksum(payload).equals(data.subarray(offset + 8, offset + 16))) return undefined;
  return { payload, next: start + length };
}
