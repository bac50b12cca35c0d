import { describe, expect, it } from 'vitest';
import { completionSpot, scopeAt } from './completion-context';

/** `|` in the fixture marks the cursor. */
const at = (fixture: string) => {
  const offset = fixture.indexOf('¦');
  return { source: fixture.replace('¦', ''), offset };
};
const spot = (fixture: string) => {
  const { source, offset } = at(fixture);
  return completionSpot(source, offset);
};
const scope = (fixture: string) => {
  const { source, offset } = at(fixture);
  return scopeAt(source, offset);
};

describe('completionSpot', () => {
  it('plain text is nothing', () => {
    expect(spot('Hello ¦')).toEqual({ kind: 'none' });
    expect(spot('{{ a }} and ¦')).toEqual({ kind: 'none' });
  });

  it('a tag name after {% and {%-', () => {
    expect(spot('{% ¦')).toEqual({ kind: 'tag', prefix: '' });
    expect(spot('{%- fo¦')).toEqual({ kind: 'tag', prefix: 'fo' });
    expect(spot('{% liquid\n  assign x = 1\n  ec¦')).toEqual({ kind: 'tag', prefix: 'ec' });
  });

  it('a filter after |, not after | inside a string', () => {
    expect(spot('{{ name | ¦')).toEqual({ kind: 'filter', prefix: '' });
    expect(spot('{{ name | up¦')).toEqual({ kind: 'filter', prefix: 'up' });
    expect(spot('{% assign x = a | dow¦')).toEqual({ kind: 'filter', prefix: 'dow' });
    expect(spot('{{ "a|b" | split: "|" | jo¦')).toEqual({ kind: 'filter', prefix: 'jo' });
    expect(spot('{{ "a | b¦')).toEqual({ kind: 'none' });
  });

  it('variables and properties', () => {
    expect(spot('{{ ¦')).toEqual({ kind: 'variable', prefix: '', object: null });
    expect(spot('{{ us¦')).toEqual({ kind: 'variable', prefix: 'us', object: null });
    expect(spot('{{ user.¦')).toEqual({ kind: 'variable', prefix: '', object: 'user' });
    expect(spot('{{ user.address.ci¦')).toEqual({ kind: 'variable', prefix: 'ci', object: 'user.address' });
    expect(spot('{% if a and b¦')).toEqual({ kind: 'variable', prefix: 'b', object: null });
    expect(spot('{{ x | truncate: le¦')).toEqual({ kind: 'variable', prefix: 'le', object: null });
  });

  it('nothing inside raw or comment blocks', () => {
    expect(spot('{% raw %}{{ ¦')).toEqual({ kind: 'none' });
    expect(spot('{% comment %}{% ¦')).toEqual({ kind: 'none' });
    expect(spot('{% raw %}x{% endraw %}{{ ¦')).toEqual({ kind: 'variable', prefix: '', object: null });
  });
});

describe('scopeAt', () => {
  it('loop variables of the enclosing loops, innermost last, with forloop', () => {
    const s = scope('{% for doc in docs %}{% for tag in doc.tags %}¦{% endfor %}{% endfor %}');
    expect(s.loopVariables).toEqual(['doc', 'tag', 'forloop']);
    expect(s.openTags).toEqual(['for', 'for']);
  });

  it('a closed loop is out of scope', () => {
    expect(scope('{% for doc in docs %}{% endfor %}¦').loopVariables).toEqual([]);
  });

  it('assigned, captured and counter names', () => {
    const s = scope('{% assign a = 1 %}{% capture b %}x{% endcapture %}{% increment c %}¦');
    expect(s.assigned).toEqual(['a', 'b', 'c']);
  });

  it('tags inside raw do not count', () => {
    expect(scope('{% raw %}{% for x in y %}{% endraw %}¦').loopVariables).toEqual([]);
  });

  it('open tags for end-word completion', () => {
    expect(scope('{% if a %}{% case b %}{% when 1 %}¦').openTags).toEqual(['if', 'case']);
  });
});
