import { describe, expect, it } from 'vitest';
import { LogRejectedError, LogUnavailableError } from '../../src/errors.js';
import {
  classifyRdKafkaFailure,
  isLostOwnershipRdKafka,
  rdKafkaCodeName,
  rdkafkaLogError,
} from '../../src/failures/rdkafka.js';

/**
 * node-rdkafka's failures, built as it builds them: its LibrdKafkaError (lib/error.js) is an
 * Error made from librdkafka's native error — the message, the numeric code (negative for
 * librdkafka's own errors, Kafka's protocol code otherwise) as `code` and `errno`, `origin`
 * local or kafka, and `isFatal` / `isRetriable` when the native error carries them. The
 * messages below are librdkafka's.
 */
class LibrdKafkaError extends Error {
  readonly code: number;
  readonly errno: number;
  readonly origin: string;
  readonly isFatal?: boolean;
  readonly isRetriable?: boolean;

  constructor(e: { message: string; code: number; isFatal?: boolean; isRetriable?: boolean }) {
    super(e.message);
    this.code = e.code;
    this.errno = e.code;
    // As lib/error.js sets it (ERR__END is -100).
    this.origin = e.code >= -100 ? 'local' : 'kafka';
    if (e.isFatal !== undefined) this.isFatal = e.isFatal;
    if (e.isRetriable !== undefined) this.isRetriable = e.isRetriable;
  }
}

const rd = (
  code: number,
  message: string,
  flags: { isFatal?: boolean; isRetriable?: boolean } = {},
) => new LibrdKafkaError({ message, code, ...flags });

const ERR = {
  TRANSPORT: -195,
  MSG_TIMED_OUT: -192,
  ALL_BROKERS_DOWN: -187,
  TIMED_OUT: -185,
  SSL: -181,
  STATE: -172,
  AUTHENTICATION: -169,
  FATAL: -150,
  ASSIGNMENT_LOST: -142,
  INVALID_ARG: -186,
};

describe('classifyRdKafkaFailure', () => {
  it('should retry a cluster that is away or slow, naming librdkafka’s code', () => {
    expect(classifyRdKafkaFailure(rd(ERR.TRANSPORT, 'Local: Broker transport failure'))).toEqual({
      retryable: true,
      code: 'ERR__TRANSPORT',
      reason: 'ERR__TRANSPORT: Local: Broker transport failure',
    });
    for (const code of [ERR.MSG_TIMED_OUT, ERR.ALL_BROKERS_DOWN, ERR.TIMED_OUT]) {
      expect(classifyRdKafkaFailure(rd(code, 'Local: ...')).retryable).toBe(true);
    }
  });

  it('should retry what Kafka’s protocol marks retriable, and nothing it does not', () => {
    expect(classifyRdKafkaFailure(rd(6, 'Broker: Not leader for partition'))).toMatchObject({
      retryable: true,
      code: 'NOT_LEADER_OR_FOLLOWER',
    });
    expect(classifyRdKafkaFailure(rd(10, 'Broker: Message size too large'))).toMatchObject({
      retryable: false,
      code: 'MESSAGE_TOO_LARGE',
    });
    expect(classifyRdKafkaFailure(rd(17, 'Broker: Invalid topic'))).toMatchObject({
      retryable: false,
      code: 'INVALID_TOPIC_EXCEPTION',
    });
  });

  it('should not retry refused SASL authentication, naming the settings', () => {
    for (const err of [
      rd(ERR.AUTHENTICATION, 'Local: Authentication failure'),
      rd(58, 'Broker: SASL Authentication failed'),
    ]) {
      const f = classifyRdKafkaFailure(err);
      expect(f.retryable).toBe(false);
      expect(f.reason).toMatch(
        /^Kafka refused the SASL authentication \(.+\); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD$/,
      );
    }
  });

  it('should not retry a TLS failure, naming the TLS settings', () => {
    const f = classifyRdKafkaFailure(
      rd(ERR.SSL, 'ssl://b:9093/1: SSL handshake failed: certificate verify failed'),
    );
    expect(f).toMatchObject({ retryable: false, code: 'ERR__SSL' });
    expect(f.reason).toMatch(/KAFKA_TLS_CA_FILE.*KAFKA_SECURITY_PROTOCOL/);
  });

  it('should not retry a refused ACL, naming who needs it', () => {
    const f = classifyRdKafkaFailure(rd(29, 'Broker: Topic authorization failed'));
    expect(f).toMatchObject({ retryable: false, code: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(f.reason).toMatch(/grant the principal of KAFKA_SASL_USERNAME .* the ACL/);
  });

  it('should not retry a fatal error, even of a code that would pass', () => {
    expect(classifyRdKafkaFailure(rd(ERR.FATAL, 'Local: Fatal error')).retryable).toBe(false);
    const fenced = rd(ERR.TRANSPORT, 'Local: Broker transport failure', { isFatal: true });
    expect(classifyRdKafkaFailure(fenced)).toMatchObject({ retryable: false });
  });

  it('should follow isRetriable for a local error it does not know, and decide by the cause', () => {
    expect(classifyRdKafkaFailure(rd(ERR.INVALID_ARG, 'Local: Invalid argument')).retryable).toBe(
      false,
    );
    expect(
      classifyRdKafkaFailure(rd(-156, 'Local: No such entry', { isRetriable: true })).retryable,
    ).toBe(true);
    const wrapped = new Error('send failed', { cause: rd(ERR.AUTHENTICATION, 'Local: ...') });
    expect(classifyRdKafkaFailure(wrapped).retryable).toBe(false);
    expect(classifyRdKafkaFailure(new Error('a bug'))).toEqual({
      retryable: false,
      reason: 'a bug',
    });
  });
});

describe('rdKafkaCodeName', () => {
  it('should name local and protocol codes as librdkafka and Kafka do', () => {
    expect(rdKafkaCodeName(ERR.ALL_BROKERS_DOWN)).toBe('ERR__ALL_BROKERS_DOWN');
    expect(rdKafkaCodeName(36)).toBe('TOPIC_ALREADY_EXISTS');
  });
});

describe('isLostOwnershipRdKafka', () => {
  it.each([
    ['REBALANCE_IN_PROGRESS', 27],
    ['ILLEGAL_GENERATION', 22],
    ['UNKNOWN_MEMBER_ID', 25],
    ['ERR__ASSIGNMENT_LOST', ERR.ASSIGNMENT_LOST],
    ['ERR__STATE', ERR.STATE],
  ])('should recognise a commit refused with %s', (_name, code) => {
    expect(isLostOwnershipRdKafka(rd(code, 'refused'))).toBe(true);
  });

  it('should not take other commit failures for a lost partition', () => {
    expect(isLostOwnershipRdKafka(rd(30, 'Broker: Group authorization failed'))).toBe(false);
    expect(isLostOwnershipRdKafka(rd(ERR.TRANSPORT, 'Local: Broker transport failure'))).toBe(
      false,
    );
  });
});

describe('rdkafkaLogError', () => {
  it('should make a retryable LOG_UNAVAILABLE of what may pass, naming the operation', () => {
    const err = rdkafkaLogError(
      rd(ERR.ALL_BROKERS_DOWN, 'Local: All broker connections are down'),
      'cannot reach Kafka',
    );
    expect(err).toBeInstanceOf(LogUnavailableError);
    expect(err).toMatchObject({ code: 'LOG_UNAVAILABLE', retryable: true });
    expect(err.message).toBe(
      'cannot reach Kafka: ERR__ALL_BROKERS_DOWN: Local: All broker connections are down',
    );
  });

  it('should make a LOG_REJECTED of what lasts, and pass the Log’s own errors as they are', () => {
    const err = rdkafkaLogError(
      rd(10, 'Broker: Message size too large'),
      'Kafka did not acknowledge a record',
    );
    expect(err).toBeInstanceOf(LogRejectedError);
    expect(err).toMatchObject({ code: 'LOG_REJECTED', retryable: false });
    const ours = new LogUnavailableError('topics without partition leaders');
    expect(rdkafkaLogError(ours, 'cannot create Kafka topics')).toBe(ours);
  });
});
