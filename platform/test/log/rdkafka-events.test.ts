import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { classifyRdKafkaFailure } from '../../src/failures/rdkafka.js';
import { rdKafka } from '../../src/log/rdkafka/client.js';
import { withCode } from '../../src/log/rdkafka/event-errors.js';
import type { LibrdKafkaError } from '../../src/log/rdkafka/types.js';

/**
 * librdkafka's error events as node-rdkafka hands them over — an Error of librdkafka's words
 * for the code, made into its error class, which loses the code — and the code found back.
 */

const kafka = rdKafka();
const errors = createRequire(import.meta.url)('node-rdkafka/lib/error') as {
  create(from: number | Error): LibrdKafkaError;
};
/** What the 'event.error' listener receives for librdkafka's error event of `code`. */
const event = (code: number) => errors.create(new Error(errors.create(code).message));

describe('withCode', () => {
  it('should find back the code of a local and of a broker error event', () => {
    const ssl = event(kafka.CODES.ERRORS.ERR__SSL as number);
    expect(ssl.code).toBe(-1);
    expect(withCode(kafka, ssl)).toMatchObject({ code: -181, message: 'Local: SSL error' });
    const acl = event(kafka.CODES.ERRORS.ERR_TOPIC_AUTHORIZATION_FAILED as number);
    expect(withCode(kafka, acl).code).toBe(29);
  });

  it('should make refused authentication a failure that lasts, and a broker away one that passes', () => {
    const auth = withCode(kafka, event(kafka.CODES.ERRORS.ERR__AUTHENTICATION as number));
    expect(classifyRdKafkaFailure(auth)).toMatchObject({
      retryable: false,
      code: 'ERR__AUTHENTICATION',
    });
    const down = withCode(kafka, event(kafka.CODES.ERRORS.ERR__ALL_BROKERS_DOWN as number));
    expect(classifyRdKafkaFailure(down)).toMatchObject({ retryable: true });
  });

  it('should leave an error that has its code, or words of no code, as it is', () => {
    const transport = errors.create(-195);
    expect(withCode(kafka, transport)).toBe(transport);
    const other = errors.create(new Error('something else'));
    expect(withCode(kafka, other)).toBe(other);
  });
});
