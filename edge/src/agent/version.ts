/** The agent's version, announced in its status messages. */
export const AGENT_VERSION = '0.1.0';
