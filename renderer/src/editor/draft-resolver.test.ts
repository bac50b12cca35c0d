import { describe, expect, it } from 'vitest';
import { createSetDoc, templateText } from '../../../shared/doc';
import type { PromptSetContent } from '../../../shared/domain';
import { draftResolver } from './draft-resolver';
import { textPrompt as text } from '../../../shared/domain/fixtures';

const dependency: PromptSetContent = {
  id: 'dep',
  projectId: 'p0',
  name: 'common',
  description: '',
  dependencies: {},
  prompts: [text('f', 'footer', 'Bye')],
};

describe('draftResolver', () => {
  it('finds prompts of the draft by name and of declared dependencies by full name', () => {
    const doc = createSetDoc({
      id: 'set1',
      projectId: 'p1',
      name: 'support',
      description: '',
      dependencies: { '@acme/common': '^1.0.0' },
      prompts: [text('h', 'header', 'Hi {{ name }}'), text('m', 'main', "{% render 'header' %}")],
    });
    const resolve = draftResolver(doc, { '@acme/common': dependency });
    expect(resolve('header', 'main')?.source).toBe('Hi {{ name }}');
    expect(resolve('@acme/common/footer', 'main')?.source).toBe('Bye');
    expect(resolve('nope', 'main')).toBeUndefined();
  });

  it('reads the draft when first asked, so a resolver made after an edit sees it', () => {
    const doc = createSetDoc({
      id: 'set1',
      projectId: 'p1',
      name: 'support',
      description: '',
      dependencies: {},
      prompts: [text('h', 'header', 'old')],
    });
    const resolve = draftResolver(doc, {});
    templateText(doc, 'h').insert(3, '!');
    expect(resolve('header', 'main')?.source).toBe('old!');
  });
});
