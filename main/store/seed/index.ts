export { seedDemo } from './seed';
export type { SeedResult } from './seed';
export { DEMO } from './demo';
export type { ProjectSpec, PromptSpec, SetSpec, StageSpec } from './spec';
