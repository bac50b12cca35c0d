import { toValue } from 'liquidjs';
import type { Emitter } from 'liquidjs';
import { templateError } from './errors';

/** What liquidjs's own emitter writes for a value: nil is empty, arrays are concatenated, the rest is String(). */
function stringify(value: unknown): string {
  const v: unknown = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringify).join('');
  return String(v);
}

/**
 * liquidjs bounds allocations in filters and time between tags, but not what a template writes: a short
 * loop printing a long value grows the output without limit. This emitter fails as soon as the output
 * passes the bound.
 */
export class BoundedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly maxChars: number) {}

  write(html: unknown): void {
    const s = stringify(html);
    if (this.buffer.length + s.length > this.maxChars) {
      throw templateError(
        'output_too_large',
        `the rendered output is longer than ${this.maxChars.toLocaleString('en')} characters`,
      );
    }
    this.buffer += s;
  }
}
