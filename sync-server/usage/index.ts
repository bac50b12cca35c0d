export { createUsage, DEFAULT_RETENTION_MS } from './service';
export type { UsageOptions, UsageService } from './service';
export { createUsageAccess } from './access';
export type { UsageAccess } from './access';
export { USAGE_FILE } from './schema';
export { USAGE_ROUTES } from './http';
