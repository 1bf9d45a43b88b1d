import { BadTopicError, InvalidMessageError } from './errors.js';
import { clip } from './text-limits.js';

/**
 * Device ids are used verbatim in topics, keys and file names, so the alphabet is narrow:
 * 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit.
 *
 * The pattern is also given as a string, for the JSON schemas that check a device id where it
 * enters (an HTTP route's parameters, the agent's config file): one rule, written once.
 */
export const DEVICE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

const DEVICE_ID = new RegExp(DEVICE_ID_PATTERN);

export function isValidDeviceId(id: string): boolean {
  return DEVICE_ID.test(id);
}

/** For an id about to go into a topic, key or message: throws BadTopicError naming the id. */
export function assertDeviceId(id: string): void {
  if (!isValidDeviceId(id)) {
    throw new BadTopicError(
      `device id ${JSON.stringify(clip(id, 80))} is invalid: use 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit`,
      { deviceId: id },
    );
  }
}

/** For a decoded message: throws InvalidMessageError naming the field, `${where}.device_id`. */
export function checkDecodedDeviceId(id: string, where: string): void {
  if (!isValidDeviceId(id)) {
    // Clipped: a hostile id can be as long as the packet, and this text goes into logs and
    // the dead-letter record's reason.
    throw new InvalidMessageError(`${where}.device_id ${JSON.stringify(clip(id, 80))} is invalid`);
  }
}
