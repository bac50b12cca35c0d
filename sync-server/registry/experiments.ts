import { AnvilError } from '../../shared/domain';
import { canonicalJson } from '../../shared/domain/hash';
import type { Experiment, ExperimentIssue } from '../../shared/experiments';
import { checkExperiment } from '../../shared/experiments';
import type { ExperimentRecord } from '../../shared/registry/api';
import type { ApiCaller } from '../api/backend';
import type { RegistryAccess } from './access';
import type { Notifier } from './notify';
import type { ExperimentRow, PackageRow } from './rows';
import { experimentOfRow, promptsOfRow, toExperimentRecord } from './rows';
import type { Tables } from './tables';

export interface ExperimentDeps {
  t: Tables;
  access: RegistryAccess;
  notifier: Notifier;
  now: () => string;
  /** The package by name, after checking the caller may read it (`unknown_package`, `forbidden`). */
  packageOf: (caller: ApiCaller, name: unknown) => PackageRow;
  audit: (
    caller: ApiCaller,
    action: string,
    entityKind: string,
    entityId: string,
    details: Record<string, unknown>,
  ) => void;
}

const MAX_ID = 64;

/**
 * The current experiment of each prompt, as the package's metadata carries them: the running one, else the one
 * whose definition was written last (a stopped experiment keeps serving its winner until another replaces it).
 * By id; passes `checkExperimentList` (one per prompt).
 */
export function currentExperiments(rows: readonly ExperimentRow[]): ExperimentRow[] {
  const byPrompt = new Map<string, ExperimentRow>();
  for (const row of rows) {
    const other = byPrompt.get(row.prompt);
    if (!other) byPrompt.set(row.prompt, row);
    else if (other.status === 'running') continue;
    else if (row.status === 'running' || row.event_id > other.event_id) byPrompt.set(row.prompt, row);
  }
  const chosen = new Set(byPrompt.values());
  return rows.filter((r) => chosen.has(r));
}

/** `invalid_experiment` as `parseExperiment` throws it: the first field in the message, every issue in details. */
function invalid(issues: ExperimentIssue[]): AnvilError {
  const first = issues[0] as ExperimentIssue;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AnvilError({
    code: 'invalid_experiment',
    message: `experiment: ${first.path}: ${first.message}${more}`,
    path: first.path,
    details: { issues },
  });
}

const conflict = (message: string) => new AnvilError({ code: 'experiment_conflict', message });

/**
 * A package's A/B tests: definitions checked against what the package publishes, numbered by the server, each
 * written once in `experiment_definitions` with a feed event in the same transaction, the package's revision
 * moved so its cached metadata is rebuilt, and an audit row after the commit.
 */
export function createExperiments(deps: ExperimentDeps) {
  const { t, access, notifier, now, packageOf, audit } = deps;
  const { db } = t;

  /** Writers change experiments; nothing changes in a locked project (a change is a publish). */
  const mayChange = (caller: ApiCaller, pkg: PackageRow, what: string) => {
    access.write(caller, pkg.project_id, what);
    if (t.modeOf(pkg.project_id) === 'locked')
      throw new AnvilError({
        code: 'project_locked',
        message: `Project ${pkg.project_id} is locked: experiments do not change until an admin sets it to open or review.`,
      });
  };

  const checkId = (id: unknown): string => {
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(id) || id.length > MAX_ID)
      throw invalid([{ path: 'id', message: `an experiment id is 1 to ${MAX_ID} of A-Z a-z 0-9 _ -` }]);
    return id;
  };

  /** What the definition names must exist: its prompt in the latest version, each target as it says. */
  const checkTargets = (pkg: PackageRow, e: Experiment, before: ExperimentRow | undefined): void => {
    const issues: ExperimentIssue[] = [];
    const prefix = `${pkg.name}/`;
    const promptName = e.prompt.startsWith(prefix) ? e.prompt.slice(prefix.length) : null;
    const latestTag = t.tagsOf(pkg.name)['latest'];
    const latest = latestTag === undefined ? undefined : t.versionOf(pkg.name, latestTag);
    const latestPrompts = new Set(latest ? promptsOfRow(latest).map((p) => p.name) : []);
    if (promptName === null)
      issues.push({ path: 'prompt', message: `${e.prompt} is not a prompt of ${pkg.name} (${prefix}<prompt>)` });
    else if (before && before.prompt !== e.prompt)
      issues.push({
        path: 'prompt',
        message: `experiment "${e.id}" is on ${before.prompt}; an experiment stays on its prompt (create another one)`,
      });
    else if (!latestPrompts.has(promptName))
      issues.push({
        path: 'prompt',
        message: `the latest version of ${pkg.name} (${latestTag ?? 'none'}) has no prompt "${promptName}"`,
      });
    e.variants.forEach((v, i) => {
      if ('version' in v.target) {
        const row = t.versionOf(pkg.name, v.target.version);
        if (!row)
          issues.push({
            path: `variants[${i}].target.version`,
            message: `${pkg.name} has no published version ${v.target.version}`,
          });
        else if (promptName !== null && !promptsOfRow(row).some((p) => p.name === promptName))
          issues.push({
            path: `variants[${i}].target.version`,
            message: `version ${v.target.version} of ${pkg.name} has no prompt "${promptName}"`,
          });
      } else if (!latestPrompts.has(v.target.prompt))
        issues.push({
          path: `variants[${i}].target.prompt`,
          message: `the latest version of ${pkg.name} (${latestTag ?? 'none'}) has no prompt "${v.target.prompt}"`,
        });
    });
    if (issues.length > 0) throw invalid(issues);
  };

  /** Definitions compared without their version: the same one again is no change. */
  const sameDefinition = (a: Experiment, b: Experiment) =>
    canonicalJson({ ...a, version: 0 }) === canonicalJson({ ...b, version: 0 });

  /** Writes `e` as the experiment's next definition (in the caller's transaction). */
  const write = (caller: ApiCaller, pkg: PackageRow, e: Experiment, before: ExperimentRow | undefined) => {
    if (e.status === 'running') {
      const other = t.runningOn(e.prompt);
      if (other && other.id !== e.id)
        throw conflict(
          `${e.prompt} already has a running experiment ("${other.id}"); stop it before starting "${e.id}" (a prompt runs one at a time).`,
        );
    }
    const at = now();
    const definition = canonicalJson(e);
    const eventId = t.insertEvent(
      'experiment',
      pkg,
      { experimentId: e.id, status: e.status, definitionVersion: e.version },
      at,
    );
    const row: ExperimentRow = {
      name: pkg.name,
      id: e.id,
      prompt: e.prompt,
      definition,
      definition_version: e.version,
      status: e.status,
      created_at: before?.created_at ?? at,
      created_by: before?.created_by ?? caller.name,
      updated_at: at,
      updated_by: caller.name,
      event_id: eventId,
    };
    t.saveExperiment(row, before === undefined);
    t.insertDefinition({
      name: pkg.name,
      id: e.id,
      definition_version: e.version,
      definition,
      status: e.status,
      created_at: at,
      created_by: caller.name,
      event_id: eventId,
    });
    t.touchPackage(pkg.name, at);
    return { row, eventId };
  };

  const recordOf = (pkg: PackageRow, id: string): ExperimentRecord => {
    const rows = t.experimentsOf(pkg.name);
    const current = new Set(currentExperiments(rows).map((r) => r.id));
    const row = rows.find((r) => r.id === id) as ExperimentRow;
    return toExperimentRecord(row, current.has(id));
  };

  const announce = (
    caller: ApiCaller,
    action: 'experiment.put' | 'experiment.stop',
    pkg: PackageRow,
    e: Experiment,
    before: ExperimentRow | undefined,
    eventId: number,
  ) => {
    notifier.pump();
    audit(caller, action, 'experiment', `${pkg.name}/${e.id}`, {
      projectId: pkg.project_id,
      name: pkg.name,
      experimentId: e.id,
      prompt: e.prompt,
      status: e.status,
      ...(e.winner === undefined ? {} : { winner: e.winner }),
      before: before?.definition_version ?? null,
      after: e.version,
      eventId,
    });
  };

  return {
    list(caller: ApiCaller, name: string): ExperimentRecord[] {
      const pkg = packageOf(caller, name);
      return db.transaction(() => {
        const rows = t.experimentsOf(pkg.name);
        const current = new Set(currentExperiments(rows));
        return rows.map((r) => toExperimentRecord(r, current.has(r)));
      })();
    },

    put(
      caller: ApiCaller,
      name: string,
      rawId: string,
      definition: unknown,
    ): { record: ExperimentRecord; created: boolean; changed: boolean } {
      const pkg = packageOf(caller, name);
      mayChange(caller, pkg, 'change experiments');
      const id = checkId(rawId);
      if (definition === null || typeof definition !== 'object' || Array.isArray(definition))
        throw invalid([{ path: '(the experiment)', message: 'an experiment definition is a JSON object' }]);
      const given = definition as Record<string, unknown>;
      if (given.id !== undefined && given.id !== id)
        throw invalid([{ path: 'id', message: `the definition's id "${String(given.id)}" is not the path's "${id}"` }]);
      const result = db
        .transaction(() => {
          const before = t.experimentOf(pkg.name, id);
          const next = (before?.definition_version ?? 0) + 1;
          const parsed = checkExperiment({ ...given, id, version: given.version ?? next });
          if (!parsed.ok) throw new AnvilError(parsed.error);
          const e = parsed.value;
          // The same definition again (a retry) is answered as it stands.
          if (before && sameDefinition(experimentOfRow(before), e))
            return { before, e: experimentOfRow(before), eventId: null };
          checkTargets(pkg, e, before);
          if (e.version !== next)
            throw conflict(
              `experiment "${id}" is at definition version ${next - 1}: a change is version ${next}, not ${e.version} (someone changed it since you read it).`,
            );
          const { eventId } = write(caller, pkg, e, before);
          return { before, e, eventId };
        })
        .immediate();
      if (result.eventId !== null) announce(caller, 'experiment.put', pkg, result.e, result.before, result.eventId);
      return { record: recordOf(pkg, id), created: result.before === undefined, changed: result.eventId !== null };
    },

    stop(caller: ApiCaller, name: string, rawId: string, winner: string): ExperimentRecord {
      const pkg = packageOf(caller, name);
      mayChange(caller, pkg, 'stop experiments');
      const id = typeof rawId === 'string' && rawId.length <= MAX_ID ? rawId : '';
      const result = db
        .transaction(() => {
          const before = t.experimentOf(pkg.name, id);
          if (!before)
            throw new AnvilError({
              code: 'unknown_experiment',
              message: `${pkg.name} has no experiment "${String(rawId).slice(0, 80)}".`,
            });
          const current = experimentOfRow(before);
          const keys = current.variants.map((v) => v.key);
          if (typeof winner !== 'string' || !keys.includes(winner))
            throw invalid([
              {
                path: 'winner',
                message: `${JSON.stringify(winner)?.slice(0, 80) ?? 'nothing'} is not one of the variants (${keys.join(', ')})`,
              },
            ]);
          if (current.status === 'stopped') {
            if (current.winner === winner) return { before, e: current, eventId: null };
            throw conflict(
              `experiment "${id}" is stopped already, with winner "${current.winner ?? ''}"; put its definition to change the winner.`,
            );
          }
          const parsed = checkExperiment({ ...current, status: 'stopped', winner, version: current.version + 1 });
          if (!parsed.ok) throw new AnvilError(parsed.error);
          const { eventId } = write(caller, pkg, parsed.value, before);
          return { before, e: parsed.value, eventId };
        })
        .immediate();
      if (result.eventId !== null) announce(caller, 'experiment.stop', pkg, result.e, result.before, result.eventId);
      return recordOf(pkg, id);
    },
  };
}
