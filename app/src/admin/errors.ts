import { FleetlineError } from '@fleetline/proto';

export const AdminErrorCodes = {
  notFound: 'ADMIN_NOT_FOUND',
  disabled: 'ADMIN_DISABLED',
  refused: 'ADMIN_REFUSED',
  importRejected: 'ADMIN_IMPORT_REJECTED',
} as const;

export type AdminErrorCode = (typeof AdminErrorCodes)[keyof typeof AdminErrorCodes];

/**
 * An administration request the records refuse: what it names does not exist, is disabled,
 * or the change breaks a rule. The command prints the message and exits 1; nothing was
 * written.
 */
export class AdminError extends FleetlineError {
  constructor(code: AdminErrorCode, message: string) {
    super(code, message);
  }
}
