import { filters, toValue } from 'liquidjs';
import type { FilterImplOptions } from 'liquidjs';
import { templateError } from './errors';

type FilterFn = (this: unknown, ...args: unknown[]) => unknown;

// A strftime field: `%`, optional flags, an optional width, an optional E/O modifier, the conversion.
const FIELD = /%[-_0^#:]*(\d+)/g;

/**
 * `date` guarded against huge field widths: `%999999999Y` pads the year to a gigabyte. liquidjs's memory
 * limit would stop it, but only after allocating; this refuses the format before any work, with its own code.
 */
export function guardedDate(maxWidth: number): FilterImplOptions {
  const base = filters['date'] as unknown as FilterFn;
  return function (this: unknown, value: unknown, format?: unknown, ...rest: unknown[]): unknown {
    const f: unknown = toValue(format);
    if (typeof f === 'string') {
      for (const m of f.matchAll(FIELD)) {
        if (Number(m[1]) > maxWidth) {
          throw templateError(
            'invalid_date_format',
            `the date format field "${m[0]}…" is wider than ${maxWidth} characters`,
          );
        }
      }
    }
    return base.call(this, value, format, ...rest);
  } as FilterImplOptions;
}
