/**
 * Co-partitioned assignment: partition i of every topic a group consumes goes to the same
 * member, as Kafka Streams does. All Fleetline topics are keyed by device id with the same
 * partition count, so one vehicle's telemetry, events and status meet in one process — in one
 * actor. Members are taken in id order, so every member computes the same assignment. Pure.
 */
export function coPartitionedAssignment(
  /** Member id → the topics it subscribed to (undefined: all of `topics`). */
  members: ReadonlyMap<string, readonly string[] | undefined>,
  topics: Iterable<string>,
  partitionsOf: (topic: string) => number,
): Map<string, Map<string, number[]>> {
  const ids = [...members.keys()].sort();
  const out = new Map(ids.map((id) => [id, new Map<string, number[]>()]));
  for (const topic of [...topics].sort()) {
    const subscribers = ids.filter((id) => {
      const subscribed = members.get(id);
      return !subscribed || subscribed.includes(topic);
    });
    if (subscribers.length === 0) continue;
    for (let p = 0; p < partitionsOf(topic); p++) {
      const member = out.get(subscribers[p % subscribers.length] as string) as Map<
        string,
        number[]
      >;
      const list = member.get(topic) ?? [];
      list.push(p);
      member.set(topic, list);
    }
  }
  return out;
}
