/**
 * A topic as logged: a hostile client's topic may be 64 KiB long (MQTT allows it), and a log
 * line is no place for that.
 */
export function clippedTopic(topic: string): string {
  return topic.length <= 160 ? topic : `${topic.slice(0, 160)}… (${topic.length} characters)`;
}
