// The simulator's pty pair, also what the CLI serves simulated devices on.
export { type PtyPair, startPtyPair } from '@fleetline/simulator';
