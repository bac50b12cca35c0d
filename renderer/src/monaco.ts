import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

/**
 * Monaco from the bundle, never from a CDN: @monaco-editor/react would otherwise fetch it from jsDelivr. Only
 * the base editor worker is needed (Liquid is our own Monarch language; no JSON/TS language services).
 */
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

export { monaco };
