/**
 * "Since Monday": a point in time from an ISO date or date-time, or from the words people use —
 * today, yesterday, a weekday ("monday", "last fri"), this/last week or month, and spans back
 * from now ("7d", "24h", "2w", "30 minutes ago"). Days start at 00:00 UTC; weeks on Monday.
 * @module
 */

import { InputError, shortValue } from "../taiga/errors.ts";

const DAY = 86_400_000;

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

const UNITS: Array<[RegExp, number]> = [
  [/^(m|mins?|minutes?)$/, 60_000],
  [/^(h|hrs?|hours?)$/, 3_600_000],
  [/^(d|days?)$/, DAY],
  [/^(w|wks?|weeks?)$/, 7 * DAY],
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?$/;

/** What a date argument accepts, for descriptions and errors. */
export const WHEN_FORMS =
  "an ISO date or date-time (2026-03-02, 2026-03-02T09:00Z) or words: today, yesterday, monday…sunday, last friday, this week, last week, this month, 7d, 24h, 2w (UTC)";

function startOfDay(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

function weekday(word: string): number {
  return WEEKDAYS.findIndex((day) => day === word || (word.length >= 3 && day.startsWith(word)));
}

function fromIso(text: string): number | undefined {
  const date = ISO_DATE.exec(text);
  if (date) {
    const time = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    // Date.UTC rolls 2026-02-30 over to March: only a real calendar date round-trips.
    return new Date(time).toISOString().slice(0, 10) === text ? time : undefined;
  }
  if (!ISO_TIME.test(text)) return undefined;
  const zoned = /(z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}z`;
  const time = Date.parse(zoned.toUpperCase().replace(" ", "T"));
  return Number.isNaN(time) ? undefined : time;
}

function fromWords(text: string, now: number): number | undefined {
  const today = startOfDay(now);
  // Monday-based weeks: days since the last Monday (0 on a Monday).
  const intoWeek = (new Date(today).getUTCDay() + 6) % 7;
  switch (text) {
    case "now":
      return now;
    case "today":
      return today;
    case "yesterday":
      return today - DAY;
    case "this week":
      return today - intoWeek * DAY;
    case "last week":
      return today - (intoWeek + 7) * DAY;
    case "this month": {
      const date = new Date(today);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    }
  }
  const day = /^(last\s+)?([a-z]+)$/.exec(text);
  if (day) {
    const wanted = weekday(day[2]);
    if (wanted >= 0) {
      let back = (new Date(today).getUTCDay() - wanted + 7) % 7;
      if (day[1] && back === 0) back = 7;
      return today - back * DAY;
    }
  }
  const span = /^(\d{1,5})\s*([a-z]+)(\s+ago)?$/.exec(text);
  if (span) {
    const unit = UNITS.find(([pattern]) => pattern.test(span[2]));
    if (unit) return now - Number(span[1]) * unit[1];
  }
  return undefined;
}

/**
 * The time `text` names (epoch ms), relative to `now` for words; an {@link InputError} naming
 * `argument` and the accepted forms otherwise.
 */
export function parseWhen(text: string, now: number, argument: string): number {
  const cleaned = text.trim().toLowerCase().replace(/^(since|from|until|before)\s+/, "")
    .replace(/\s+/g, " ");
  const time = fromIso(cleaned) ?? fromWords(cleaned, now);
  if (time !== undefined) return time;
  throw new InputError(`"${shortValue(text)}" is not a time. Use ${WHEN_FORMS}.`, { argument });
}
