/**
 * A tiny path-pattern router. Patterns are like `/userstories/:id/upvote`; a `:name`
 * segment matches one non-empty path segment. The first pattern (in registration order)
 * that matches the path is the route, as in Django's URL resolver: a known route with
 * another method gives 405, an unknown path gives `null` (Django's HTML 404).
 *
 * @module
 */

import type { Handler } from "./http.ts";

interface Route {
  pattern: string;
  segments: string[];
  handlers: Map<string, Handler>;
}

/** The result of a successful match. */
export interface RouteMatch {
  /** Handler for the method, or undefined when the route exists without that method. */
  handler: Handler | undefined;
  params: Record<string, string>;
  /** Methods the route answers. */
  allowed: string[];
}

/** Routes in registration order. */
export class Router {
  private routes: Route[] = [];

  /** Registers `handler` for `method` on `pattern`. */
  on(method: string, pattern: string, handler: Handler): this {
    let route = this.routes.find((r) => r.pattern === pattern);
    if (!route) {
      route = { pattern, segments: pattern.split("/").filter(Boolean), handlers: new Map() };
      this.routes.push(route);
    }
    route.handlers.set(method, handler);
    return this;
  }

  /** Shorthand for GET. */
  get(pattern: string, handler: Handler): this {
    return this.on("GET", pattern, handler);
  }

  /** Shorthand for POST. */
  post(pattern: string, handler: Handler): this {
    return this.on("POST", pattern, handler);
  }

  /** Shorthand for PATCH. */
  patch(pattern: string, handler: Handler): this {
    return this.on("PATCH", pattern, handler);
  }

  /** Shorthand for PUT. */
  put(pattern: string, handler: Handler): this {
    return this.on("PUT", pattern, handler);
  }

  /** Shorthand for DELETE. */
  delete(pattern: string, handler: Handler): this {
    return this.on("DELETE", pattern, handler);
  }

  /** Finds the route of `path` (no trailing slash) and its handler for `method`. */
  match(method: string, path: string): RouteMatch | null {
    const parts = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      const allowed = [...route.handlers.keys()];
      const handler = route.handlers.get(method) ??
        (method === "HEAD" ? route.handlers.get("GET") : undefined);
      return { handler, params, allowed };
    }
    return null;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    if (seg.startsWith(":")) {
      params[seg.slice(1)] = decodeURIComponent(parts[i]);
    } else if (seg !== parts[i]) {
      return null;
    }
  }
  return params;
}
