import type { Grant, SessionRecord, User } from '@fleetline/platform';

/** Who is asking: a signed-in person (by session) or an integration (by API token). */
export interface Caller {
  readonly kind: 'session' | 'token';
  /** The organisation the person or token belongs to. */
  readonly orgId: string;
  readonly grants: readonly Grant[];
  /** Who did it, as alert acknowledgements and service records name it. */
  readonly by: string;
  /** As the audit trail names it: `user:<id>` or `token:<id>`. */
  readonly actor: string;
  readonly user?: User;
  readonly session?: SessionRecord;
}

export const userActor = (userId: string) => `user:${userId}`;
export const tokenActor = (tokenId: string) => `token:${tokenId}`;
