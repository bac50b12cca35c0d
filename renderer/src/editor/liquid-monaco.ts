import type { editor, IDisposable, IMarkdownString, languages, Position } from 'monaco-editor/editor/editor.api';
import type { ParamType } from '../../../shared/domain';
import { describeType } from '../../../shared/domain';
import type { ReferenceEntry } from '../../../shared/template/reference';
import {
  FILTER_REFERENCE,
  TAG_BRANCH_WORDS,
  TAG_REFERENCE,
  filterReference,
  tagReference,
} from '../../../shared/template/reference';
import { monaco } from '../monaco';
import { LOOP_PROPERTIES, completionSpot, scopeAt } from './completion-context';
import { LIQUID_ID, liquidConfiguration, liquidTokens } from './liquid-language';

export { LIQUID_ID };

/** What completion knows about the prompt a model belongs to: its parameters (declared and used). */
export interface ModelInfo {
  parameters(): { name: string; type: ParamType | null; description: string }[];
}

const models = new WeakMap<editor.ITextModel, ModelInfo>();

/** Tells completion which parameters a model's prompt has; returns the function that forgets it. */
export function attachModelInfo(model: editor.ITextModel, info: ModelInfo): () => void {
  models.set(model, info);
  return () => models.delete(model);
}

const markdown = (e: ReferenceEntry): IMarkdownString => ({
  value: `\`${e.signature}\`\n\n${e.description}\n\n\`\`\`liquid\n${e.example}\n\`\`\``,
});

function propertyTypes(type: ParamType | null, path: string[]): Record<string, ParamType> | null {
  let t: ParamType | null = type;
  for (const step of path) {
    if (!t) return null;
    if (t.type === 'array') t = t.items;
    if (t.type !== 'object') return null;
    t = t.properties[step] ?? null;
  }
  if (t?.type === 'array') t = t.items;
  return t?.type === 'object' ? t.properties : null;
}

function completions(model: editor.ITextModel, position: Position): languages.CompletionList {
  const source = model.getValue();
  const offset = model.getOffsetAt(position);
  const spot = completionSpot(source, offset);
  const word = model.getWordUntilPosition(position);
  const range = {
    startLineNumber: position.lineNumber,
    endLineNumber: position.lineNumber,
    startColumn: word.startColumn,
    endColumn: word.endColumn,
  };
  const K = monaco.languages.CompletionItemKind;
  const suggestions: languages.CompletionItem[] = [];
  if (spot.kind === 'filter') {
    for (const f of FILTER_REFERENCE) {
      const takesArgs = f.signature.includes(':');
      suggestions.push({
        label: f.name,
        kind: K.Function,
        detail: f.signature,
        documentation: markdown(f),
        insertText: takesArgs ? `${f.name}: ` : f.name,
        range,
        ...(takesArgs ? { command: { id: 'editor.action.triggerSuggest', title: 'suggest' } } : {}),
      });
    }
  } else if (spot.kind === 'tag') {
    const scope = scopeAt(source, offset);
    const branch = new Set(scope.openTags.flatMap((t) => TAG_BRANCH_WORDS[t] ?? []));
    for (const w of branch)
      suggestions.push({
        label: w,
        kind: K.Keyword,
        insertText: w,
        range,
        sortText: `0${w}`,
        detail: 'closes or branches an open tag',
      });
    for (const t of TAG_REFERENCE)
      suggestions.push({
        label: t.name,
        kind: K.Keyword,
        detail: t.signature,
        documentation: markdown(t),
        insertText: t.name,
        range,
        sortText: `1${t.name}`,
      });
  } else if (spot.kind === 'variable') {
    const info = models.get(model);
    const params = info?.parameters() ?? [];
    if (spot.object === null) {
      const scope = scopeAt(source, offset);
      for (const v of scope.loopVariables)
        suggestions.push({
          label: v,
          kind: K.Variable,
          detail: 'loop variable',
          insertText: v,
          range,
          sortText: `0${v}`,
        });
      for (const v of scope.assigned)
        suggestions.push({ label: v, kind: K.Variable, detail: 'assigned', insertText: v, range, sortText: `1${v}` });
      for (const p of params)
        suggestions.push({
          label: p.name,
          kind: K.Field,
          detail: p.type ? `parameter: ${describeType(p.type)}` : 'parameter',
          documentation: p.description,
          insertText: p.name,
          range,
          sortText: `2${p.name}`,
        });
    } else {
      const [root = '', ...rest] = spot.object.split('.');
      const loopProps = LOOP_PROPERTIES[root];
      if (loopProps && rest.length === 0) {
        for (const p of loopProps) suggestions.push({ label: p, kind: K.Property, insertText: p, range });
      } else {
        const param = params.find((p) => p.name === root);
        const props = propertyTypes(param?.type ?? null, rest);
        for (const [name, type] of Object.entries(props ?? {}))
          suggestions.push({ label: name, kind: K.Property, detail: describeType(type), insertText: name, range });
      }
    }
  }
  return { suggestions };
}

function hover(model: editor.ITextModel, position: Position): languages.Hover | null {
  const word = model.getWordAtPosition(position);
  if (!word) return null;
  const line = model.getLineContent(position.lineNumber);
  const before = line.slice(0, word.startColumn - 1);
  const range = {
    startLineNumber: position.lineNumber,
    endLineNumber: position.lineNumber,
    startColumn: word.startColumn,
    endColumn: word.endColumn,
  };
  const entry = /\|\s*$/.test(before)
    ? filterReference(word.word)
    : /\{%-?\s*$/.test(before)
      ? tagReference(word.word)
      : undefined;
  if (!entry) return null;
  return { range, contents: [{ value: `**${entry.name}** (${entry.kind})` }, markdown(entry)] };
}

/** Light and dark editor themes over the studio's palette (Monaco cannot read CSS variables itself). */
function defineThemes(): void {
  monaco.editor.defineTheme('anvil-light', {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'delimiter.tag.liquid', foreground: '7a3e9d' },
      { token: 'delimiter.output.liquid', foreground: '3a5bd9' },
      { token: 'keyword.tag.liquid', foreground: '7a3e9d', fontStyle: 'bold' },
      { token: 'keyword.operator.liquid', foreground: '7a3e9d' },
      { token: 'function.filter.liquid', foreground: 'a15c00' },
      { token: 'variable.liquid', foreground: '1f6f8b' },
      { token: 'string.liquid', foreground: '23834a' },
      { token: 'string.raw.liquid', foreground: '62636a' },
      { token: 'number.liquid', foreground: 'b3261e' },
      { token: 'constant.liquid', foreground: 'b3261e' },
      { token: 'comment.liquid', foreground: '8a8b91', fontStyle: 'italic' },
    ],
    colors: { 'editor.background': '#ffffff' },
  });
  monaco.editor.defineTheme('anvil-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'delimiter.tag.liquid', foreground: 'c792ea' },
      { token: 'delimiter.output.liquid', foreground: '7c95ff' },
      { token: 'keyword.tag.liquid', foreground: 'c792ea', fontStyle: 'bold' },
      { token: 'keyword.operator.liquid', foreground: 'c792ea' },
      { token: 'function.filter.liquid', foreground: 'e5a54a' },
      { token: 'variable.liquid', foreground: '7fd1e6' },
      { token: 'string.liquid', foreground: '5cc98a' },
      { token: 'string.raw.liquid', foreground: '9a9ca5' },
      { token: 'number.liquid', foreground: 'f0a070' },
      { token: 'constant.liquid', foreground: 'f0a070' },
      { token: 'comment.liquid', foreground: '7d7f88', fontStyle: 'italic' },
    ],
    colors: { 'editor.background': '#1f2024' },
  });
}

export const monacoThemeFor = (theme: string | undefined): string => (theme === 'dark' ? 'anvil-dark' : 'anvil-light');

let registered: IDisposable[] | null = null;

/** Registers the language, its providers and themes once; the editor theme then follows `data-theme`. */
export function registerLiquid(): void {
  if (registered) return;
  monaco.languages.register({ id: LIQUID_ID, aliases: ['Liquid'] });
  registered = [
    monaco.languages.setMonarchTokensProvider(LIQUID_ID, liquidTokens),
    monaco.languages.setLanguageConfiguration(LIQUID_ID, liquidConfiguration),
    monaco.languages.registerCompletionItemProvider(LIQUID_ID, {
      triggerCharacters: ['|', ' ', '.', '%', '{'],
      provideCompletionItems: (model, position) => completions(model, position),
    }),
    monaco.languages.registerHoverProvider(LIQUID_ID, { provideHover: (model, position) => hover(model, position) }),
  ];
  defineThemes();
  const root = document.documentElement;
  monaco.editor.setTheme(monacoThemeFor(root.dataset.theme));
  new MutationObserver(() => monaco.editor.setTheme(monacoThemeFor(root.dataset.theme))).observe(root, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
}
