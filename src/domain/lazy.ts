/**
 * A value built on its first use, then reused. Tool shapes are zod schemas, and building the
 * hundreds of them at import was most of the server's cold start; shapes shared by several tools
 * are module-level `lazy(() => z…)` values, called where a tool's shape is built.
 * @module
 */

/** `build` run once, on the first call of the returned function. */
export function lazy<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}
