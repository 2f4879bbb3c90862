/**
 * Order bookkeeping shared by the bulk ordering endpoints and the PATCH reorder hack:
 * taiga-back's `apply_order_updates` (`projects/services/bulk_update_order.py`) and the
 * "renumber a list from a start position" of the backlog, sprint and kanban bulk moves
 * (`userstories/services.py`).
 *
 * @module
 */

/**
 * `apply_order_updates`: puts each id of `updates` at its new order, shifting the others of
 * `base` to make room; returns only the ids whose order changed (and, with `removeEqual`,
 * drops those that ended where they started).
 */
export function applyOrderUpdates(
  base: Map<number, number>,
  updates: Map<number, number>,
  removeEqual = false,
): Map<number, number> {
  const orders = new Map(base);
  const original = new Map(base);
  const touched = new Set<number>();
  const wanted = [...updates].filter(([id]) => orders.has(id)).sort((a, b) => a[1] - b[1]);
  for (const [id, newOrder] of wanted) {
    const oldOrder = orders.get(id)!;
    for (const [other, order] of orders) {
      const backward = newOrder <= oldOrder && order >= newOrder && order < oldOrder;
      const forward = newOrder >= oldOrder && order >= newOrder;
      if (backward || forward) {
        orders.set(other, order + 1);
        touched.add(other);
      }
    }
  }
  for (const [id, order] of wanted) {
    if (orders.get(id) !== order) {
      orders.set(id, order);
      touched.add(id);
    }
  }
  const out = new Map<number, number>();
  for (const id of touched) {
    if (removeEqual && original.get(id) === orders.get(id)) continue;
    out.set(id, orders.get(id)!);
  }
  return out;
}

/**
 * The bulk move of the backlog, sprint and kanban boards: the moved ids first, then the rest
 * of the list from the anchor on (all of it without an anchor), numbered from `start`.
 */
export function renumber(
  moved: number[],
  rest: { id: number; order: number }[],
  anchor: { order: number; id: number; after: boolean } | undefined,
): [number, number][] {
  let tail = rest.filter((r) => !moved.includes(r.id));
  if (anchor) {
    tail = tail.filter((r) => r.order >= anchor.order && !(anchor.after && r.id === anchor.id));
  }
  tail.sort((a, b) => a.order - b.order || a.id - b.id);
  const start = anchor ? anchor.order + (anchor.after ? 1 : 0) : 1;
  return [...moved, ...tail.map((r) => r.id)].map((id, i) => [id, start + i]);
}
