import { AnvilError } from '../../shared/domain/result';
import type { AnvilErrorInfo } from '../../shared/domain/result';

/** What an {@link AnvilSdkError} is made of: `code`, `message` (and `line`, `column`, `details` when known), plus these. */
export interface AnvilSdkErrorInfo extends AnvilErrorInfo {
  /** The address asked for (`@acme/support/greet`), or null when the error is not about one. */
  address?: string | null;
  /** What went wrong underneath (a network error, a refused cache file): kept for logs, not shown as is. */
  cause?: unknown;
  /** The HTTP status of the registry's answer, when it came from one. */
  status?: number;
}

/**
 * Every error the SDK returns or throws: a stable `code`, a message a person understands naming the address
 * and the cause, the address, and the underlying cause. `get` returns it in `{ ok: false, error }`;
 * `getOrThrow` throws it.
 *
 * Codes: `invalid_address`, `invalid_parameters`, `unknown_prompt`, `not_in_lock`, `not_locked`,
 * `unknown_package`, `unknown_version`, `no_matching_version`, `unknown_tag`, `unavailable` (nothing cached and
 * the registry unreachable), `registry_unreachable`, `registry_error`, `unauthorized`, `forbidden`,
 * `integrity_mismatch`, `truncated`, `invalid_bundle`, `interrupted` (a pull's signal), `closed`, and the template errors (`render_error`, `undefined_variable`, …).
 */
export class AnvilSdkError extends AnvilError {
  /** The address asked for, or null when the error is not about one (a pull, the feed). */
  readonly address: string | null;
  /** The registry's HTTP status when the error came from its answer. */
  readonly status: number | undefined;

  constructor(info: AnvilSdkErrorInfo) {
    super(info);
    this.name = 'AnvilSdkError';
    this.address = info.address ?? null;
    this.status = info.status;
    if (info.cause !== undefined) Object.defineProperty(this, 'cause', { value: info.cause, enumerable: false });
  }

  /** `{ code, message, line?, column?, details?, address }`, for logs and `--json` output. */
  override toJSON(): AnvilErrorInfo & { address: string | null } {
    return { ...super.toJSON(), address: this.address };
  }
}

/** Any thrown value as an AnvilSdkError about `address` (AnvilErrors keep their code, line and column). */
export function sdkError(err: unknown, address: string | null): AnvilSdkError {
  if (err instanceof AnvilSdkError) {
    if (err.address !== null || address === null) return err;
    return new AnvilSdkError({ ...err.toJSON(), status: err.status, address, cause: err.cause ?? err });
  }
  if (err instanceof AnvilError) return new AnvilSdkError({ ...err.toJSON(), address, cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new AnvilSdkError({ code: 'internal_error', message, address, cause: err });
}
