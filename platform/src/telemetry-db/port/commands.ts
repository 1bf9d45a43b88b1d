/**
 * A command kept for a device until the device acknowledges it (its PUBACK) or it expires,
 * so a device that was connected nowhere when the command was issued gets it when it comes
 * back, through whichever gateway.
 */
export interface HeldCommand {
  readonly deviceId: string;
  readonly commandId: string;
  /** The encoded Command, as it was logged. */
  readonly payload: Uint8Array;
  /** Epoch ms after which the command is not delivered any more. */
  readonly expiresMs: number;
  /** When and where it was logged: a device's held commands are delivered in log order. */
  readonly loggedMs: number;
  readonly logOffset: number;
}

/** The commands held for devices (the gateways use it). */
export interface CommandQueue {
  /**
   * Holds a command; holding one that is held (or was acknowledged) already changes nothing,
   * so every gateway may hold every command it reads.
   */
  holdCommand(command: HeldCommand): Promise<void>;
  /** A device's held commands that are neither acknowledged nor expired, in log order. */
  pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]>;
  /** Marks a command delivered for good; it is never pending again. */
  acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void>;
}
