import {
  DeliveryFailureCodes as C,
  type DeliveryFailure,
  type DeliveryFailureCode,
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from '../alert-channel.js';
import type { Exchange } from '../http-exchange.js';
import type { RobotAnswer } from './robot-wire.js';

/**
 * The robot's answers as delivery results. Pure.
 *
 * 93000 (invalid webhook key) is BAD_RECIPIENT, not CREDENTIALS_REJECTED: the key travels in
 * the recipient, one per group, and it goes bad when that group's robot is removed or its key
 * reset. The address is dead and wants unbinding; the channel and its other groups are fine.
 */
const failureByErrcode: ReadonlyMap<number, DeliveryFailureCode> = new Map([
  [93000, C.badRecipient],
  // Content longer than 4,096 (markdown) or 2,048 (text) bytes: the template's text is at fault.
  [40058, C.templateRejected],
  // Not a message type the robot knows; empty content or JSON it cannot read.
  [40008, C.templateRejected],
  [44004, C.templateRejected],
  // Over 20 messages a minute for this robot.
  [45009, C.throttled],
  // System busy.
  [-1, C.vendorUnavailable],
]);

/** The robot's limit is per minute: after a 45009, the next minute is the earliest retry. */
export const THROTTLED_RETRY_MS = 60_000;

export function failureCodeOfErrcode(errcode: number): DeliveryFailureCode {
  return failureByErrcode.get(errcode) ?? C.vendorUnavailable;
}

/**
 * What one post came to. `posted`: `unknown` when the robot may have posted without our hearing
 * so (a timeout, a connection lost after the request went out). WeCom answers its own errors
 * with HTTP 200, so another status comes from in front of it: not posted.
 */
export interface PostOutcome {
  readonly result: DeliveryResult;
  readonly posted: 'yes' | 'no' | 'unknown';
}

export function outcomeOfPost(x: Exchange, messageId: string): PostOutcome {
  if (x.kind === 'timed-out')
    return {
      result: deliveryFailed(C.timedOut, {
        code: 'TIMEOUT',
        message: `no answer from the WeCom robot within ${x.afterMs} ms`,
      }),
      posted: 'unknown',
    };
  if (x.kind === 'failed')
    return {
      result: deliveryFailed(C.vendorUnavailable, { code: x.code, message: x.message }),
      posted: x.maybeSent ? 'unknown' : 'no',
    };
  const answer = x.status === 200 ? robotAnswerOf(x.body) : undefined;
  if (!answer)
    return {
      result: deliveryFailed(C.vendorUnavailable, {
        code: `HTTP ${x.status}`,
        message: x.body.trim().slice(0, 200) || `HTTP status ${x.status}`,
      }),
      posted: 'no',
    };
  if (answer.errcode === 0) return { result: delivered(messageId), posted: 'yes' };
  return { result: failureOfAnswer(answer), posted: 'no' };
}

export function failureOfAnswer(answer: RobotAnswer): DeliveryFailure {
  const code = failureCodeOfErrcode(answer.errcode);
  return deliveryFailed(code, {
    code: String(answer.errcode),
    message: answer.errmsg,
    ...(code === C.throttled ? { retryAfterMs: THROTTLED_RETRY_MS } : {}),
  });
}

function robotAnswerOf(body: string): RobotAnswer | undefined {
  try {
    const a = JSON.parse(body) as Partial<RobotAnswer> | null;
    return a && typeof a.errcode === 'number'
      ? { errcode: a.errcode, errmsg: typeof a.errmsg === 'string' ? a.errmsg : '' }
      : undefined;
  } catch {
    return undefined;
  }
}
