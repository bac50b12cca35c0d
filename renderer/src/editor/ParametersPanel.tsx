import { useState } from 'react';
import type { Parameter, ParamType } from '../../../shared/domain';
import { ParamType as ParamTypeSchema, describeType } from '../../../shared/domain';
import type { Extraction } from '../../../shared/params';
import { hintToParamType } from '../../../shared/params';
import type { Problem } from './problems';

type Kind = ParamType['type'] | 'enum';
const KINDS: Kind[] = ['string', 'number', 'integer', 'boolean', 'enum', 'array', 'object'];

const kindOf = (t: ParamType): Kind => (t.type === 'string' && t.enum ? 'enum' : t.type);

/** A type for a newly chosen kind, keeping what carries over (enum values, array items). */
function typeFor(kind: Kind, prev: ParamType): ParamType {
  switch (kind) {
    case 'enum':
      return { type: 'string', enum: prev.type === 'string' && prev.enum ? prev.enum : ['a', 'b'] };
    case 'array':
      return { type: 'array', items: prev.type === 'array' ? prev.items : { type: 'string' } };
    case 'object':
      return { type: 'object', properties: prev.type === 'object' ? prev.properties : {} };
    case 'boolean':
      return { type: 'boolean' };
    default:
      return { type: kind };
  }
}

export interface ParametersPanelProps {
  declared: readonly Parameter[];
  extraction: Extraction | null;
  /** Proposed declarations of the undeclared parameters. */
  proposed: readonly Parameter[];
  /** Reconciliation problems (undeclared, unused, type conflicts). */
  problems: readonly Problem[];
  onSave(parameters: Parameter[]): Promise<void>;
}

/**
 * The prompt's parameters: what the template uses appears as you type (undeclared ones first, each declared in
 * one click); each declared parameter's type, required flag, default, description and enum values are edited
 * in place and saved with `prompts:setParameters`; every reconciliation problem has its one-click fix.
 */
export function ParametersPanel({ declared, extraction, proposed, problems, onSave }: ParametersPanelProps) {
  const [error, setError] = useState<string | null>(null);
  const save = (next: Parameter[]) => {
    setError(null);
    onSave(next).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const replace = (name: string, p: Parameter) => save(declared.map((d) => (d.name === name ? p : d)));
  const inferred = (name: string): ParamType | null => {
    const v = extraction?.variables.find((x) => x.name === name);
    return v ? hintToParamType(v.hint) : null;
  };
  const issuesOf = (name: string) =>
    problems.filter(
      (p) =>
        p.parameter === name &&
        (p.code === 'undeclared_parameter' || p.code === 'unused_parameter' || p.code === 'type_conflict'),
    );

  return (
    <section className="parameters" aria-label="Parameters">
      <h2>Parameters</h2>
      {error && (
        <p role="alert" className="field-problem">
          {error}
        </p>
      )}
      {proposed.length > 0 && (
        <div className="params-undeclared">
          <div className="params-undeclared-head">
            <span>Used but not declared</span>
            {proposed.length > 1 && (
              <button type="button" onClick={() => save([...declared, ...proposed])}>
                Declare all
              </button>
            )}
          </div>
          <ul>
            {proposed.map((p) => (
              <li key={p.name} className="param-proposed">
                <code>{p.name}</code> <span className="muted">{describeType(p.type)}</span>
                <button type="button" aria-label={`Declare ${p.name}`} onClick={() => save([...declared, p])}>
                  Declare
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {declared.length === 0 && proposed.length === 0 && (
        <p className="muted">
          No parameters. Use a variable in the template, like {'{{ name }}'}, and it appears here.
        </p>
      )}
      <ul className="params-declared">
        {declared.map((p) => (
          <ParameterEditor
            key={p.name}
            parameter={p}
            issues={issuesOf(p.name)}
            inferred={inferred(p.name)}
            onChange={(next) => replace(p.name, next)}
            onRemove={() => save(declared.filter((d) => d.name !== p.name))}
          />
        ))}
      </ul>
    </section>
  );
}

function ParameterEditor({
  parameter: p,
  issues,
  inferred,
  onChange,
  onRemove,
}: {
  parameter: Parameter;
  issues: Problem[];
  inferred: ParamType | null;
  onChange(p: Parameter): void;
  onRemove(): void;
}) {
  const id = `param-${p.name}`;
  const kind = kindOf(p.type);
  const [typeText, setTypeText] = useState<string | null>(null);
  const [defaultText, setDefaultText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const unused = issues.some((i) => i.code === 'unused_parameter');
  const conflict = issues.find((i) => i.code === 'type_conflict');
  const enumValues = (p.type.type === 'string' || p.type.type === 'number' || p.type.type === 'integer') && p.type.enum;

  return (
    <li className="param" aria-label={`Parameter ${p.name}`}>
      <div className="param-head">
        <code className="param-name">{p.name}</code>
        <span className="muted">{describeType(p.type)}</span>
      </div>
      {issues.map((i) => (
        <p key={i.code} className={`param-issue ${i.severity}`}>
          {i.message}{' '}
          {i.code === 'unused_parameter' && (
            <button type="button" aria-label={`Remove ${p.name}`} onClick={onRemove}>
              Remove
            </button>
          )}
          {i.code === 'type_conflict' && inferred && (
            <button
              type="button"
              aria-label={`Use the inferred type for ${p.name}`}
              onClick={() => onChange({ ...p, type: inferred })}
            >
              Use {describeType(inferred)}
            </button>
          )}
        </p>
      ))}
      <div className="param-fields">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          aria-label={`Type of ${p.name}`}
          value={kind}
          onChange={(e) => onChange({ ...p, type: typeFor(e.currentTarget.value as Kind, p.type) })}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label className="param-required">
          <input
            type="checkbox"
            checked={p.required}
            aria-label={`${p.name} is required`}
            onChange={(e) => onChange({ ...p, required: e.currentTarget.checked })}
          />
          Required
        </label>
        {enumValues && (
          <>
            <label htmlFor={`${id}-enum`}>Values</label>
            <input
              id={`${id}-enum`}
              aria-label={`Allowed values of ${p.name}`}
              defaultValue={enumValues.join(', ')}
              key={enumValues.join(',')}
              onBlur={(e) => {
                const parts = e.currentTarget.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean);
                if (parts.length === 0) return setProblem('an enum needs at least one value');
                const values = p.type.type === 'string' ? parts : parts.map(Number);
                if (values.some((v) => typeof v === 'number' && !Number.isFinite(v)))
                  return setProblem('these values must be numbers');
                setProblem(null);
                onChange({ ...p, type: { ...p.type, enum: values } as ParamType });
              }}
            />
          </>
        )}
        {(kind === 'array' || kind === 'object') && (
          <>
            <label htmlFor={`${id}-schema`}>Shape</label>
            <textarea
              id={`${id}-schema`}
              aria-label={`Type of ${p.name} as JSON`}
              rows={3}
              value={typeText ?? JSON.stringify(p.type)}
              onChange={(e) => setTypeText(e.currentTarget.value)}
              onBlur={() => {
                if (typeText === null) return;
                let parsed: unknown;
                try {
                  parsed = JSON.parse(typeText);
                } catch {
                  return setProblem('the shape is not valid JSON');
                }
                const result = ParamTypeSchema.safeParse(parsed);
                if (!result.success)
                  return setProblem(`not a parameter type: ${result.error.issues[0]?.message ?? ''}`);
                setProblem(null);
                setTypeText(null);
                onChange({ ...p, type: result.data });
              }}
            />
          </>
        )}
        <label htmlFor={`${id}-default`}>Default</label>
        <input
          id={`${id}-default`}
          aria-label={`Default of ${p.name}`}
          placeholder="none"
          value={defaultText ?? (p.default === undefined ? '' : JSON.stringify(p.default))}
          onChange={(e) => setDefaultText(e.currentTarget.value)}
          onBlur={() => {
            if (defaultText === null) return;
            const text = defaultText.trim();
            setDefaultText(null);
            if (text === '') {
              const { default: _gone, ...rest } = p;
              return onChange(rest);
            }
            let value: unknown = text;
            try {
              value = JSON.parse(text);
            } catch {
              if (p.type.type !== 'string') return setProblem('the default is not valid JSON');
            }
            setProblem(null);
            onChange({ ...p, default: value });
          }}
        />
        <label htmlFor={`${id}-description`}>Description</label>
        <input
          id={`${id}-description`}
          aria-label={`Description of ${p.name}`}
          defaultValue={p.description}
          key={p.description}
          onBlur={(e) => {
            if (e.currentTarget.value !== p.description) onChange({ ...p, description: e.currentTarget.value });
          }}
        />
      </div>
      {problem && (
        <p role="alert" className="field-problem">
          {problem}
        </p>
      )}
      {!unused && !conflict && (
        <button type="button" className="param-remove" aria-label={`Remove ${p.name}`} onClick={onRemove}>
          Remove
        </button>
      )}
    </li>
  );
}
