import type { AedesOptions } from 'aedes';

/*
 * The aedes hooks the gateway fills, each in a file of its own as a factory that takes what
 * it needs explicitly — so each can be driven alone, with plain client and packet objects and
 * a callback, the way aedes tests its own hooks.
 */

export type PreConnectHook = NonNullable<AedesOptions['preConnect']>;
export type AuthenticateHook = NonNullable<AedesOptions['authenticate']>;
export type AuthorizePublishHook = NonNullable<AedesOptions['authorizePublish']>;
export type AuthorizeSubscribeHook = NonNullable<AedesOptions['authorizeSubscribe']>;
export type AuthorizeForwardHook = NonNullable<AedesOptions['authorizeForward']>;
