import {
  AuthenticationError,
  MultipleErrors,
  NetworkError,
  ResponseError,
  TimeoutError,
  UnsupportedApiError,
  UserError,
} from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { LogRejectedError, LogUnavailableError } from '../../src/errors.js';
import {
  classifyKafkaFailure,
  isLostOwnership,
  kafkaErrorIds,
  kafkaLogError,
} from '../../src/failures/kafka.js';

/**
 * @platformatic/kafka's failures, built with its own classes as it raises them (a broker's
 * error codes arrive as a ResponseError holding one ProtocolError per failed item).
 */

const API = { produce: 0, offsetCommit: 8, createTopics: 19, saslAuthenticate: 36 };
const response = (api: number, code: number, message: string | null = null) =>
  new ResponseError(api, 1, { '/topics/0': [code, message] }, {});
/** What the client gives up with after its own retries. */
const afterRetries = (...errors: Error[]) =>
  new MultipleErrors(`operation failed ${errors.length} times.`, errors);
const refused = () =>
  new NetworkError('Connection to 10.0.0.7:9092 failed.', {
    cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:9092'), { code: 'ECONNREFUSED' }),
  });

describe('classifyKafkaFailure', () => {
  it('should retry a broker that cannot be reached or does not answer in time', () => {
    const f = classifyKafkaFailure(afterRetries(refused(), refused()));
    expect(f).toEqual({
      retryable: true,
      code: 'ECONNREFUSED',
      reason: 'connect ECONNREFUSED 10.0.0.7:9092',
    });
    expect(classifyKafkaFailure(new TimeoutError('Request timed out')).retryable).toBe(true);
    expect(classifyKafkaFailure(new NetworkError('Connection closed')).retryable).toBe(true);
  });

  it('should retry what Kafka’s protocol marks retriable, and nothing it does not', () => {
    // NOT_LEADER_OR_FOLLOWER (6) is retriable; MESSAGE_TOO_LARGE (10) and
    // INVALID_TOPIC_EXCEPTION (17) are not.
    expect(classifyKafkaFailure(response(API.produce, 6))).toMatchObject({
      retryable: true,
      code: 'NOT_LEADER_OR_FOLLOWER',
    });
    expect(classifyKafkaFailure(afterRetries(refused(), response(API.produce, 10)))).toMatchObject({
      retryable: false,
      code: 'MESSAGE_TOO_LARGE',
    });
    expect(classifyKafkaFailure(response(API.createTopics, 17, 'bad name'))).toMatchObject({
      retryable: false,
      code: 'INVALID_TOPIC_EXCEPTION',
    });
  });

  it('should not retry refused SASL authentication or ACLs, naming the settings', () => {
    const sasl = new AuthenticationError('SASL authentication failed.', {
      cause: response(API.saslAuthenticate, 58, 'Authentication failed: invalid credentials'),
    });
    const f = classifyKafkaFailure(
      afterRetries(new NetworkError('Connection to b:9093 failed.', { cause: sasl })),
    );
    expect(f.retryable).toBe(false);
    expect(f.reason).toBe(
      'Kafka refused the SASL authentication (SASL_AUTHENTICATION_FAILED: Authentication failed: invalid credentials); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    );
    const acl = classifyKafkaFailure(response(API.produce, 29));
    expect(acl).toMatchObject({ retryable: false, code: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(acl.reason).toMatch(/grant the principal .* the ACL/);
  });

  it('should not retry TLS the broker does not speak, nor a certificate not trusted', () => {
    const handshake = new UserError(
      'TLS handshake failed. Please verify the broker supports TLS.',
      {
        cause: Object.assign(
          new Error(
            'Client network socket disconnected before secure TLS connection was established',
          ),
          { code: 'ECONNRESET' },
        ),
      },
    );
    const plain = classifyKafkaFailure(
      afterRetries(new NetworkError('Connection to b:9092 failed.', { cause: handshake })),
    );
    expect(plain.retryable).toBe(false);
    expect(plain.reason).toMatch(/TLS handshake failed.*KAFKA_SECURITY_PROTOCOL/);
    const untrusted = classifyKafkaFailure(
      afterRetries(
        new NetworkError('Connection to b:9093 failed.', {
          cause: Object.assign(new Error('unable to verify the first certificate'), {
            code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          }),
        }),
      ),
    );
    expect(untrusted).toMatchObject({ retryable: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(untrusted.reason).toMatch(/set KAFKA_TLS_CA_FILE/);
  });

  it('should not retry what the client or broker does not support, nor foreign errors', () => {
    expect(classifyKafkaFailure(new UnsupportedApiError('no such API')).retryable).toBe(false);
    expect(classifyKafkaFailure(new Error('a bug'))).toEqual({ retryable: false, reason: 'a bug' });
  });
});

describe('kafkaErrorIds', () => {
  it('should find the protocol error ids inside aggregated failures', () => {
    const err = afterRetries(
      refused(),
      response(API.createTopics, 36, "Topic 'x' already exists."),
    );
    expect([...kafkaErrorIds(err)]).toEqual(['TOPIC_ALREADY_EXISTS']);
  });
});

describe('isLostOwnership', () => {
  it.each([
    ['REBALANCE_IN_PROGRESS', 27],
    ['ILLEGAL_GENERATION', 22],
    ['UNKNOWN_MEMBER_ID', 25],
  ])('should recognise a commit refused with %s by its code', (_id, code) => {
    // The messages of these errors do not carry the id (this one reads "The group is
    // rebalancing, so a rejoin is needed."): only the code tells.
    expect(isLostOwnership(response(API.offsetCommit, code))).toBe(true);
  });

  it('should not take other commit failures for a lost partition', () => {
    expect(isLostOwnership(response(API.offsetCommit, 29))).toBe(false);
    expect(isLostOwnership(afterRetries(refused()))).toBe(false);
  });
});

describe('kafkaLogError', () => {
  it('should make a retryable LOG_UNAVAILABLE of what may pass, naming the operation', () => {
    const err = kafkaLogError(afterRetries(refused()), 'cannot join Kafka group g');
    expect(err).toBeInstanceOf(LogUnavailableError);
    expect(err).toMatchObject({ code: 'LOG_UNAVAILABLE', retryable: true });
    expect(err.message).toBe('cannot join Kafka group g: connect ECONNREFUSED 10.0.0.7:9092');
  });

  it('should make a LOG_REJECTED of what lasts, and pass the Log’s own errors as they are', () => {
    const err = kafkaLogError(response(API.produce, 10), 'Kafka did not acknowledge 3 records');
    expect(err).toBeInstanceOf(LogRejectedError);
    expect(err).toMatchObject({ code: 'LOG_REJECTED', retryable: false });
    expect(err.message).toMatch(/^Kafka did not acknowledge 3 records: MESSAGE_TOO_LARGE: /);
    const ours = new LogUnavailableError('topics without partition leaders');
    expect(kafkaLogError(ours, 'cannot create Kafka topics')).toBe(ours);
  });
});
