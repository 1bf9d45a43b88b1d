import type { User } from './model.js';
import type { Grant } from './roles.js';

export interface NewUser {
  readonly orgId: string;
  readonly name: string;
  readonly username?: string;
  readonly mobile?: string;
  /** The password hash (the caller hashes; the records never see a password). */
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
}

/** People, their password hashes and their grants. */
export interface UserBook {
  /** Throws RecordConflictError (field `username` or `mobile`) when the login is taken. */
  createUser(input: NewUser): Promise<User>;
  getUser(id: string): Promise<User | undefined>;
  /** The user whose username or mobile is `login` (exact match), with the password hash. */
  findUserByLogin(login: string): Promise<{ user: User; passwordHash: string } | undefined>;
  listUsers(orgId: string): Promise<User[]>;
  setPassword(userId: string, passwordHash: string, mustChange: boolean): Promise<void>;
  /** Disabled: cannot sign in; its sessions are ended (deleteUserSessions) by the caller. */
  setUserDisabled(id: string, disabled: boolean): Promise<User | undefined>;

  /** Idempotent: granting what is granted changes nothing. */
  grantRole(userId: string, grant: Grant): Promise<void>;
  /** Removes exactly that grant; true when there was one. */
  revokeRole(userId: string, grant: Grant): Promise<boolean>;
  grantsOf(userId: string): Promise<Grant[]>;
}
