import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { LogRejectedError, LogUnavailableError } from '../../src/errors.js';
import {
  classifyKafkaJsFailure,
  isLostOwnershipKafkaJs,
  kafkaJsErrorTypes,
  kafkaJsLogError,
} from '../../src/failures/kafkajs.js';

/**
 * KafkaJS's failures, built with its own classes as it raises them: a broker's error code
 * becomes a KafkaJSProtocolError through KafkaJS's own table, and an operation it retried to
 * the end is wrapped in KafkaJSNumberOfRetriesExceeded.
 */

const require = createRequire(import.meta.url);
const k = require('kafkajs') as typeof KafkaJs & Record<string, new (...a: never[]) => Error>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error;
};
const protocol = (code: number) => new k.KafkaJSProtocolError(createErrorFromCode(code) as never);
const afterRetries = (e: Error) =>
  new (k.KafkaJSNumberOfRetriesExceeded as unknown as new (e: Error, o: object) => Error)(e, {
    retryCount: 15,
    retryTime: 2000,
  });
const refused = () =>
  new (k.KafkaJSConnectionError as unknown as new (m: string, o: object) => Error)(
    'Connection error: connect ECONNREFUSED 10.0.0.7:9092',
    { broker: '10.0.0.7:9092', code: 'ECONNREFUSED' },
  );

describe('classifyKafkaJsFailure', () => {
  it('should retry a broker that cannot be reached, also after KafkaJS gave up retrying', () => {
    expect(classifyKafkaJsFailure(refused())).toMatchObject({
      retryable: true,
      code: 'ECONNREFUSED',
    });
    expect(classifyKafkaJsFailure(afterRetries(refused())).retryable).toBe(true);
    const timeout = new (k.KafkaJSRequestTimeoutError as unknown as new (m: string) => Error)(
      'Request Produce(key: 0, version: 7) timed out',
    );
    expect(classifyKafkaJsFailure(timeout).retryable).toBe(true);
  });

  it('should follow Kafka’s retriable column for protocol errors', () => {
    expect(classifyKafkaJsFailure(protocol(6))).toMatchObject({
      retryable: true,
      code: 'NOT_LEADER_FOR_PARTITION',
    });
    expect(classifyKafkaJsFailure(afterRetries(protocol(6))).retryable).toBe(true);
    expect(classifyKafkaJsFailure(protocol(10))).toMatchObject({
      retryable: false,
      code: 'MESSAGE_TOO_LARGE',
    });
  });

  it('should not retry refused SASL authentication or ACLs, naming the settings', () => {
    const sasl = new (k.KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)(
      'SASL SCRAM SHA256 authentication failed: invalid credentials',
    );
    const f = classifyKafkaJsFailure(afterRetries(sasl));
    expect(f.retryable).toBe(false);
    expect(f.reason).toMatch(/SASL authentication .*KAFKA_SASL_USERNAME/);
    const acl = classifyKafkaJsFailure(protocol(29));
    expect(acl).toMatchObject({ retryable: false, code: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(acl.reason).toMatch(/grant the principal/);
  });

  it('should not retry a certificate the client does not trust, naming the TLS settings', () => {
    const untrusted = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const wrapped = new (
      k.KafkaJSConnectionError as unknown as new (
        m: string,
        o: object,
      ) => Error
    )('Connection error: self-signed certificate', {
      broker: 'kafka-1:9093',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    for (const e of [untrusted, wrapped]) {
      const f = classifyKafkaJsFailure(e);
      expect(f.retryable).toBe(false);
      expect(f.reason).toMatch(/KAFKA_TLS_CA_FILE/);
    }
  });

  it('should not retry TLS to a listener without it, saying so', () => {
    const plaintext = new (
      k.KafkaJSConnectionError as unknown as new (
        m: string,
        o: object,
      ) => Error
    )(
      'Connection error: Client network socket disconnected before secure TLS connection was established',
      { broker: 'kafka-1:9092', code: 'ECONNRESET' },
    );
    const f = classifyKafkaJsFailure(afterRetries(plaintext));
    expect(f.retryable).toBe(false);
    expect(f.reason).toMatch(/^TLS handshake failed .*KAFKA_SECURITY_PROTOCOL/);
    // A reset at any other moment is the broker going away, which passes.
    const reset = new (k.KafkaJSConnectionError as unknown as new (m: string, o: object) => Error)(
      'Connection error: read ECONNRESET',
      { broker: 'kafka-1:9092', code: 'ECONNRESET' },
    );
    expect(classifyKafkaJsFailure(reset).retryable).toBe(true);
  });

  it('should not retry a usage error or a foreign one', () => {
    expect(classifyKafkaJsFailure(new TypeError('x is not a function')).retryable).toBe(false);
    const invariant = new (k.KafkaJSNonRetriableError as unknown as new (m: string) => Error)(
      'Invalid partition',
    );
    expect(classifyKafkaJsFailure(invariant).retryable).toBe(false);
  });

  it('should find protocol error types inside wrapped failures, and lost ownership among them', () => {
    expect([...kafkaJsErrorTypes(afterRetries(protocol(36)))]).toEqual(['TOPIC_ALREADY_EXISTS']);
    expect(isLostOwnershipKafkaJs(protocol(27))).toBe(true); // REBALANCE_IN_PROGRESS
    expect(isLostOwnershipKafkaJs(protocol(22))).toBe(true); // ILLEGAL_GENERATION
    expect(isLostOwnershipKafkaJs(protocol(25))).toBe(true); // UNKNOWN_MEMBER_ID
    expect(isLostOwnershipKafkaJs(protocol(6))).toBe(false);
    expect(isLostOwnershipKafkaJs(refused())).toBe(false);
  });

  it('should make Log errors naming the operation, and pass the Log’s own as they are', () => {
    const unavailable = kafkaJsLogError(refused(), 'cannot reach Kafka');
    expect(unavailable).toBeInstanceOf(LogUnavailableError);
    expect(unavailable.message).toMatch(
      /^cannot reach Kafka: Connection error: connect ECONNREFUSED/,
    );
    const rejected = kafkaJsLogError(protocol(29), 'Kafka did not acknowledge 3 records');
    expect(rejected).toBeInstanceOf(LogRejectedError);
    expect(kafkaJsLogError(unavailable, 'again')).toBe(unavailable);
  });
});
