import { Liquid } from 'liquidjs';
import { ALLOWED_FILTERS, ALLOWED_TAGS } from './allow-list';
import type { TemplateLimits } from './limits';
import { AnvilRenderTag } from './render-tag';
import { guardedDate } from './safe-filters';

/**
 * A liquidjs instance configured for untrusted templates: strict filters and variables, own properties
 * only, Liquid truthiness, bounded render time and memory, no file system, and only the allow-listed tags
 * and filters (anything else fails to parse).
 */
export function createLiquid(limits: TemplateLimits): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: true,
    ownPropertyOnly: true,
    jsTruthy: false,
    lenientIf: false,
    // Partials come from memory only: an empty map replaces the file system for every lookup liquidjs could
    // still attempt, and our `render` tag never asks liquidjs's loader at all.
    templates: {},
    relativeReference: false,
    dynamicPartials: false,
    // liquidjs counts parseLimit over the instance's whole life (its Limiter never resets), so one
    // long-lived engine would start refusing everything; we check each source's length ourselves instead.
    parseLimit: Number.MAX_SAFE_INTEGER,
    renderLimit: limits.renderMs,
    memoryLimit: limits.memory,
    // Deterministic dates whatever machine renders the prompt.
    timezoneOffset: 0,
    locale: 'en-US',
  });
  const tags = new Set<string>(ALLOWED_TAGS);
  for (const name of Object.keys(liquid.tags)) if (!tags.has(name)) Reflect.deleteProperty(liquid.tags, name);
  const filters = new Set<string>(ALLOWED_FILTERS);
  for (const name of Object.keys(liquid.filters)) if (!filters.has(name)) Reflect.deleteProperty(liquid.filters, name);
  liquid.registerTag('render', AnvilRenderTag);
  liquid.registerFilter('date', guardedDate(limits.dateFieldWidth));
  return liquid;
}
