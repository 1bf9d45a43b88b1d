import { coPartitionedAssignment } from '../co-partitioning.js';
import { type KafkaJs, kafkaJs } from './client.js';

const NAME = 'FleetlineCoPartitioned';

/**
 * The group leader's assignment in KafkaJS's terms: partition i of every topic to one member
 * (co-partitioning.ts), so one vehicle's topics meet in one process.
 */
export const coPartitionedKafkaJsAssigner: KafkaJs.PartitionAssigner = ({ cluster }) => {
  const { AssignerProtocol } = kafkaJs();
  return {
    name: NAME,
    version: 1,
    protocol: ({ topics }) => ({
      name: NAME,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.alloc(0),
      }),
    }),
    async assign({ members, topics }) {
      const subscribed = new Map(
        members.map((m) => [
          m.memberId,
          AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? undefined,
        ]),
      );
      const assignment = coPartitionedAssignment(
        subscribed,
        topics,
        (topic) => cluster.findTopicPartitionMetadata(topic).length,
      );
      return [...assignment].map(([memberId, byTopic]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: Object.fromEntries(byTopic),
          userData: Buffer.alloc(0),
        }),
      }));
    },
  };
};
