import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_FILTERS, ALLOWED_TAGS } from './allow-list';
import { createEngine } from './engine';

describe('allow-lists', () => {
  const stock = new Liquid();
  const engine = createEngine();

  it('every allowed filter and tag exists in liquidjs (an upgrade that drops one fails here)', () => {
    for (const f of ALLOWED_FILTERS) expect(stock.filters[f], f).toBeDefined();
    for (const t of ALLOWED_TAGS) expect(stock.tags[t], t).toBeDefined();
  });

  it('the engine has exactly the allowed filters and tags', () => {
    expect(Object.keys(engine.liquid.filters).sort()).toEqual([...ALLOWED_FILTERS].sort());
    expect(Object.keys(engine.liquid.tags).sort()).toEqual([...ALLOWED_TAGS].sort());
  });

  it('every stock filter and tag outside the lists is a parse error', () => {
    for (const f of Object.keys(stock.filters).filter((f) => !(ALLOWED_FILTERS as readonly string[]).includes(f))) {
      expect(() => engine.parse(`{{ x | ${f} }}`), f).toThrow(expect.objectContaining({ code: 'unknown_filter' }));
    }
    for (const t of Object.keys(stock.tags).filter((t) => !(ALLOWED_TAGS as readonly string[]).includes(t))) {
      expect(() => engine.parse(`{% ${t} "x" %}`), t).toThrow(expect.objectContaining({ code: 'unknown_tag' }));
    }
  });

  it('the allowed tags work: case, unless, liquid, echo, capture, cycle, increment, raw, comments, break/continue', () => {
    const src = [
      '{% case k %}{% when 1 %}one{% else %}other{% endcase %}',
      '{% unless k == 2 %}!{% endunless %}',
      '{% liquid\n assign y = k | plus: 1\n echo y\n%}',
      '{% capture c %}[{{ k }}]{% endcapture %}{{ c }}',
      '{% for i in (1..5) %}{% if i == 4 %}{% break %}{% endif %}{% if i == 2 %}{% continue %}{% endif %}{% cycle "a", "b" %}{{ forloop.index }}{% endfor %}',
      '{% increment n %}{% increment n %}',
      '{% raw %}{{ not rendered }}{% endraw %}',
      '{% comment %}gone{% endcomment %}{% # gone too %}',
    ].join('|');
    expect(engine.renderTextSync(src, { k: 1 })).toBe('one|!|2|[1]|a1b3|01|{{ not rendered }}|');
  });
});
