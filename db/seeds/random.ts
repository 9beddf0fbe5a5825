// A small seeded pseudo-random generator (mulberry32) so the demo data is the same on every run
// for a given seed: tests and the README can rely on it, and a benchmark is repeatable.

const DAY_MS = 86_400_000;

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks from [value, weight] pairs; weights need not sum to 1. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** String of `length` random decimal digits (leading zeros kept). */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** Lowercase hexadecimal string, e.g. for random-looking stored file names. */
  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** Day number (days since 1970-01-01) uniformly between two day numbers, both included. */
  dayBetween(fromDay: number, toDay: number): number {
    return this.int(fromDay, Math.max(fromDay, toDay));
  }

  /** ISO date YYYY-MM-DD uniformly between two ISO dates, both included. */
  dateBetween(fromIso: string, toIso: string): string {
    return isoDay(this.dayBetween(dayNumber(fromIso), dayNumber(toIso)));
  }

  /** Approximately normal (Irwin–Hall with 4 draws), mean 0, standard deviation 1. */
  gaussian(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** Days since 1970-01-01 for an ISO date (UTC). */
export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00.000Z`) / DAY_MS);
}

// Millions of dates are formatted while seeding: cache the strings by day number.
const isoCache = new Map<number, string>();

/** ISO date YYYY-MM-DD for a day number. */
export function isoDay(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

// The time part of isoAt (« THH:MM:SS.000Z ») by second of the day.
const timeCache: string[] = [];

/** ISO-8601 UTC date-time (24 characters) for a day number plus seconds in that day. */
export function isoAt(day: number, secondsInDay: number): string {
  const second = Math.floor(secondsInDay);
  if (!(second >= 0 && second < 86_400)) return new Date(day * DAY_MS + second * 1000).toISOString();
  let time = timeCache[second];
  if (time === undefined) {
    time = new Date(second * 1000).toISOString().slice(10);
    timeCache[second] = time;
  }
  return isoDay(day) + time;
}
