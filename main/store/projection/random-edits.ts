import * as Y from 'yjs';
import {
  createProjectDoc,
  createSetDoc,
  meta,
  prompts,
  readPrompt,
  removePrompt,
  setModel,
  setParameters,
  templateText,
  upsertPrompt,
} from '../../../shared/doc';
import type { ProjectedDoc } from './rebuild';
import type { Rng } from './random-content';
import { int, pick, randomPrompt, randomText, randomParams, NAMES } from './random-content';

export { int, pick, rng } from './random-content';

/**
 * Random edit sequences over a small workspace of project and set documents, for property tests of
 * everything that must follow the documents (projection, search, later sync). Deterministic per seed.
 * Not used by production code. A workspace under random edit: documents, and which of them were touched
 * since the last commit.
 */
export class RandomWorkspace {
  readonly docs: ProjectedDoc[] = [];
  readonly touched = new Set<ProjectedDoc>();
  /** A second replica per set document: edits made there reach the document as sync updates. */
  private readonly peers = new Map<ProjectedDoc, Y.Doc>();
  private counter = 0;

  constructor(private readonly r: Rng) {}

  private newId(prefix: string): string {
    return `${prefix}-${++this.counter}`;
  }

  private projectIds(): string[] {
    // Includes ids of projects that do not exist yet: a set may arrive before its project.
    return [...this.docs.filter((d) => d.kind === 'project').map((d) => d.docId), 'proj-pending'];
  }

  addProject(id = this.newId('proj')): void {
    const doc = createProjectDoc({
      id,
      name: pick(this.r, ['acme', 'globex', 'initech']),
      description: '',
      editMode: 'open',
    });
    this.add({ docId: id, kind: 'project', doc });
  }

  addSet(): void {
    const id = this.newId('set');
    const n = int(this.r, 4);
    const content = {
      id,
      projectId: pick(this.r, this.projectIds()),
      name: pick(this.r, NAMES),
      description: '',
      dependencies: {},
      prompts: Array.from({ length: n }, () => randomPrompt(this.r, this.newId('p'))),
    };
    this.add({ docId: id, kind: 'set', doc: createSetDoc(content) });
  }

  private add(d: ProjectedDoc): void {
    this.docs.push(d);
    this.touched.add(d);
  }

  /** One random edit somewhere. */
  step(): void {
    const r = this.r;
    const roll = r();
    if (roll < 0.03 || this.docs.length === 0) return this.addSet();
    if (roll < 0.05)
      return this.addProject(
        r() < 0.3 && !this.docs.some((d) => d.docId === 'proj-pending') ? 'proj-pending' : undefined,
      );
    const d = pick(r, this.docs);
    this.touched.add(d);
    if (d.kind === 'project') return this.editProject(d.doc);
    if (r() < 0.15) return this.editViaPeer(d);
    this.editSet(d.doc);
  }

  private editProject(doc: Y.Doc): void {
    const m = meta(doc);
    const r = this.r;
    const what = int(r, 4);
    if (what === 0) m.set('name', pick(r, ['acme', 'globex', 'initech', 'umbrella']));
    else if (what === 1) m.set('description', randomText(r, 2));
    else if (what === 2) m.set('editMode', pick(r, ['open', 'review', 'locked']));
    else m.set('deletedAt', m.get('deletedAt') === null ? 1000 + int(r, 1000) : null);
  }

  /** Edit a replica and exchange updates both ways, as sync would. */
  private editViaPeer(d: ProjectedDoc): void {
    let peer = this.peers.get(d);
    if (!peer) {
      peer = new Y.Doc();
      this.peers.set(d, peer);
    }
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(d.doc, Y.encodeStateVector(peer)));
    this.editSet(peer);
    this.editSet(d.doc); // a concurrent local edit
    Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(d.doc)), 'remote');
  }

  private editSet(doc: Y.Doc): void {
    const r = this.r;
    const ids = [...prompts(doc).keys()];
    const roll = r();
    if (ids.length === 0 || roll < 0.08) return upsertPrompt(doc, randomPrompt(r, this.newId('p')));
    const id = pick(r, ids);
    const pm = prompts(doc).get(id) as Y.Map<unknown>;
    if (roll < 0.5) return this.type(doc, id, pm);
    if (roll < 0.55) return void pm.set('name', pick(r, NAMES));
    if (roll < 0.58) return removePrompt(doc, id);
    if (roll < 0.62) return void pm.set('deletedAt', pm.get('deletedAt') ? null : 1234);
    if (roll < 0.7) return setParameters(doc, id, randomParams(r));
    if (roll < 0.74) return void pm.set('description', randomText(r, 2));
    if (roll < 0.78)
      return setModel(doc, id, r() < 0.5 ? null : { provider: 'openai', model: pick(r, ['gpt-4o', 'o3']) });
    if (roll < 0.81)
      return void (pm.get('metadata') as Y.Map<string>).set(pick(r, ['owner', 'team']), randomText(r, 1));
    if (roll < 0.86) return upsertPrompt(doc, { ...randomPrompt(r, id), name: String(pm.get('name')) }); // kind / messages reshaped
    const m = meta(doc);
    if (roll < 0.9) return void m.set('name', pick(r, NAMES));
    if (roll < 0.92) return void m.set('description', randomText(r, 2));
    if (roll < 0.94)
      return void doc
        .getMap('dependencies')
        .set(pick(r, ['@acme/common', '@globex/base']), pick(r, ['^1.0.0', '~2.1.0']));
    if (roll < 0.97) return void m.set('deletedAt', m.get('deletedAt') === null ? 99 : null);
    m.set('projectId', pick(r, this.projectIds()));
  }

  /** Insert or delete a few characters in a template or a chat message. */
  private type(doc: Y.Doc, id: string, pm: Y.Map<unknown>): void {
    const r = this.r;
    let text: Y.Text;
    const p = readPrompt(pm);
    if (p?.kind === 'chat') {
      const indices = p.messages.flatMap((m, i) => (m.type === 'message' ? [i] : []));
      if (indices.length === 0) return;
      text = templateText(doc, id, pick(r, indices));
    } else if (pm.get('template') instanceof Y.Text) {
      text = templateText(doc, id);
    } else return;
    const at = int(r, text.length + 1);
    if (r() < 0.7 || text.length === 0) text.insert(at, randomText(r, 1));
    else {
      const from = Math.min(at, text.length - 1);
      text.delete(from, Math.min(1 + int(r, 3), text.length - from));
    }
  }
}
