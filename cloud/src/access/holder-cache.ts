import type { RecordsDb, SessionHolder, TokenHolder } from '@fleetline/platform';
import { secretHash } from './secrets.js';

/** Holders kept at most; past this, all are dropped (a burst of sign-ins, not a steady state). */
const MAX_HOLDERS = 10_000;

/**
 * Sessions and API tokens with what decides their access (person, grants, organisation), as
 * last read from the records, answered again while the records are unchanged
 * (RecordsDb.changeMark). A request's identity then costs no query; a sign-out, a revoked
 * token, a disabled person or a changed grant is a write, so it still counts from the very
 * next request — in this process and in every other one sharing the database. Any write
 * drops everything (a session's touch once a minute too): simple, and the records are
 * written rarely next to how often they are read. Without a mark (PostgreSQL) every call
 * reads.
 *
 * Holders are kept by the secret the request presents, not by its hash, so that a request
 * hashes nothing unless it reads: the secrets stay in this process's memory, where the
 * requests bring them anyway; the records keep only hashes.
 */
export class HolderCache {
  private mark: string | undefined;
  private readonly sessions = new Map<string, SessionHolder>();
  private readonly tokens = new Map<string, TokenHolder>();

  constructor(private readonly records: RecordsDb) {}

  /** The session's holder: as kept when the records are unchanged, else as read now. */
  session(sessionId: string): SessionHolder | Promise<SessionHolder | undefined> {
    return this.read(this.sessions, sessionId, () =>
      this.records.sessionHolder(secretHash(sessionId)),
    );
  }

  /** The token's holder: as kept when the records are unchanged, else as read now. */
  token(token: string): TokenHolder | Promise<TokenHolder | undefined> {
    return this.read(this.tokens, token, () => this.records.tokenHolder(secretHash(token)));
  }

  /** A kept holder is answered as it is, not in a promise: this is every request's path. */
  private read<H extends object>(
    held: Map<string, H>,
    key: string,
    load: () => Promise<H | undefined>,
  ): H | Promise<H | undefined> {
    // The mark before the read: a write after it makes the holder stale, and the mark new.
    const mark = this.records.changeMark();
    if (mark === undefined) return load();
    if (mark !== this.mark) this.forget(mark);
    return held.get(key) ?? this.load(held, key, load, mark);
  }

  private async load<H extends object>(
    held: Map<string, H>,
    key: string,
    load: () => Promise<H | undefined>,
    mark: string,
  ): Promise<H | undefined> {
    const holder = await load();
    // Not kept when another call took a new mark meanwhile: this read may predate the write
    // that moved it. (If the mark moved and no call saw it yet, the next one drops it.)
    if (holder && this.mark === mark) {
      if (held.size >= MAX_HOLDERS) held.clear();
      held.set(key, deepFreeze(holder));
    }
    return holder;
  }

  private forget(mark: string) {
    this.sessions.clear();
    this.tokens.clear();
    this.mark = mark;
  }
}

/** Requests share a kept holder: none may change it. */
function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) {
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v);
  }
  return Object.freeze(value);
}
