/**
 * Reading a response body with a size cap: what a server we do not trust (a media host, a
 * client's metadata document) sends is read only up to the cap, and dropped past it.
 * @module
 */

/** A request or response: what has a body to read. */
type WithBody = Pick<Body, "body"> & { headers: Headers };

/**
 * The body of `response` (or a request), or undefined when it is longer than `cap` bytes
 * (declared or read): reading stops there and the rest is cancelled.
 */
export async function readCapped(response: WithBody, cap: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > cap || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return declared > cap ? undefined : new Uint8Array();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
