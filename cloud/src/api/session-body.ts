import { Type } from '@fastify/type-provider-typebox';
import type { Grant, User } from '@fleetline/platform';

/** How a session is shown to its holder: who, what they may do, the CSRF token for writes. */

export const GrantBody = Type.Object({
  role: Type.String(),
  orgId: Type.String(),
  storeId: Type.Optional(Type.String()),
  groupId: Type.Optional(Type.String()),
});

export const UserBody = Type.Object({
  userId: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  username: Type.Optional(Type.String()),
  mobile: Type.Optional(Type.String()),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
});

export const SessionBody = Type.Object({
  user: UserBody,
  grants: Type.Array(GrantBody),
  csrfToken: Type.String(),
});

export const userBody = (u: User) => ({
  userId: u.id,
  orgId: u.orgId,
  name: u.name,
  ...(u.username === undefined ? {} : { username: u.username }),
  ...(u.mobile === undefined ? {} : { mobile: u.mobile }),
  disabled: u.disabled,
  mustChangePassword: u.mustChangePassword,
});

export const sessionBody = (user: User, grants: readonly Grant[], csrfToken: string) => ({
  user: userBody(user),
  grants: grants.map((g) => ({ ...g })),
  csrfToken,
});
