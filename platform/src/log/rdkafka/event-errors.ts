import { createRequire } from 'node:module';
import type { KafkaConsumer, LibrdKafkaError, Producer, RdKafkaModule } from './types.js';

/** node-rdkafka's error class (lib/error.js), made from a code or from an Error. */
interface ErrorClass {
  create(from: number | Error): LibrdKafkaError;
}

/** librdkafka's words for each of its codes, as node-rdkafka's error events keep them. */
let codesByWords: Map<string, number> | undefined;
let errors: ErrorClass | undefined;

/**
 * The error of a librdkafka error event with its code. node-rdkafka hands error events over
 * as an Error of librdkafka's words for the code (err2str: "Local: SSL error"), which its
 * error class turns into code -1 and the words ("ssl error"): the code, which decides whether
 * the failure passes, is lost. Those words are librdkafka's own table, one entry per code, so
 * the code is found back by making the same error from every code of CODES.ERRORS — no
 * message is interpreted, only librdkafka's table read backwards.
 */
export function withCode(kafka: RdKafkaModule, err: LibrdKafkaError): LibrdKafkaError {
  if (err.code !== -1) return err;
  try {
    errors ??= createRequire(import.meta.url)('node-rdkafka/lib/error') as ErrorClass;
    const e = errors;
    codesByWords ??= new Map(
      Object.values(kafka.CODES.ERRORS).map((code) => [
        e.create(new Error(e.create(code).message)).message,
        code,
      ]),
    );
  } catch {
    return err; // not this layout of node-rdkafka: the error stays as it came
  }
  const code = codesByWords.get(err.message);
  return code === undefined ? err : errors.create(code);
}

/**
 * Has librdkafka deliver its error events while nothing else would: they come when a producer
 * is polled or a consumer consumes, and a client that is connecting does neither. A consumer
 * consuming before it subscribes or is assigned anything receives no record. Returns the stop.
 */
export function serveEvents(client: Producer | KafkaConsumer, everyMs = 100): () => void {
  let consuming = false;
  const timer = setInterval(() => {
    try {
      if ('produce' in client) client.poll();
      else if (!consuming) {
        consuming = true;
        client.consume(1, () => {
          consuming = false;
        });
      }
    } catch {
      consuming = false; // not connected yet
    }
  }, everyMs);
  return () => clearInterval(timer);
}
