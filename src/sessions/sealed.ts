/**
 * Sealed tokens: small JSON payloads encrypted and authenticated (AES-256-GCM) with a key only
 * the operator's processes hold, so any replica can open what another issued — no server state.
 * Keys rotate: the first key seals, every listed key opens (a token names its key by id). Each
 * token is bound to a purpose (a session id cannot pass for an OAuth token) and expires.
 * @module
 */

const VERSION = "v1";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a sealed token carries besides the payload. */
interface Envelope<T> {
  /** Payload. */
  p: T;
  /** Expiry, epoch seconds. */
  e: number;
}

interface SealKey {
  id: Promise<string>;
  keys: Map<string, Promise<CryptoKey>>;
  secret: Uint8Array;
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

async function keyId(secret: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", secret as Uint8Array<ArrayBuffer>),
  );
  return base64url(digest.slice(0, 6));
}

/** Seals and opens tokens with the operator's keys. */
export class Sealer {
  readonly #keys: SealKey[];
  readonly #now: () => number;
  /** True when the key was generated at start-up (tokens open only in this process). */
  readonly ephemeral: boolean;

  /**
   * A sealer for `secrets` (the first seals, all open); none: a random key for this process
   * only, so its tokens open nowhere else and not after a restart.
   */
  constructor(secrets: readonly string[], now: () => number = Date.now) {
    const raw = secrets.length > 0
      ? secrets.map((secret) => encoder.encode(secret))
      : [crypto.getRandomValues(new Uint8Array(32))];
    this.#keys = raw.map((secret) => ({ id: keyId(secret), keys: new Map(), secret }));
    this.ephemeral = secrets.length === 0;
    this.#now = now;
  }

  #key(entry: SealKey, purpose: string): Promise<CryptoKey> {
    let key = entry.keys.get(purpose);
    if (!key) {
      key = crypto.subtle.importKey(
        "raw",
        entry.secret as Uint8Array<ArrayBuffer>,
        "HKDF",
        false,
        ["deriveKey"],
      ).then((base) =>
        crypto.subtle.deriveKey(
          {
            name: "HKDF",
            hash: "SHA-256",
            salt: encoder.encode("taiga-mcp sealed tokens"),
            info: encoder.encode(purpose),
          },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        )
      );
      entry.keys.set(purpose, key);
    }
    return key;
  }

  /** Seals `payload` for `purpose`, valid `ttlSeconds`. */
  async seal<T>(purpose: string, payload: T, ttlSeconds: number): Promise<string> {
    const entry = this.#keys[0];
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const envelope: Envelope<T> = { p: payload, e: Math.floor(this.#now() / 1000) + ttlSeconds };
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(`${VERSION}.${purpose}`) },
        await this.#key(entry, purpose),
        encoder.encode(JSON.stringify(envelope)),
      ),
    );
    const body = new Uint8Array(iv.length + sealed.length);
    body.set(iv);
    body.set(sealed, iv.length);
    return `${VERSION}.${await entry.id}.${base64url(body)}`;
  }

  /**
   * Opens a token sealed for `purpose`; undefined when it is not one of ours, was altered,
   * belongs to another purpose, was sealed with a key no longer listed, or has expired.
   */
  async open<T>(purpose: string, token: string): Promise<T | undefined> {
    const [version, id, data, extra] = token.split(".");
    if (version !== VERSION || extra !== undefined || !data) return undefined;
    const ids = await Promise.all(this.#keys.map((key) => key.id));
    const entry = this.#keys[ids.indexOf(id)];
    const body = fromBase64url(data);
    if (!entry || !body || body.length < 13) return undefined;
    try {
      const plain = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: body.slice(0, 12),
          additionalData: encoder.encode(`${VERSION}.${purpose}`),
        },
        await this.#key(entry, purpose),
        body.slice(12),
      );
      const envelope = JSON.parse(decoder.decode(plain)) as Envelope<T>;
      return envelope.e * 1000 > this.#now() ? envelope.p : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether `token` has the shape of a sealed token (it may still fail to open). */
  static looksSealed(token: string): boolean {
    return token.startsWith(`${VERSION}.`) && token.split(".").length === 3;
  }
}
