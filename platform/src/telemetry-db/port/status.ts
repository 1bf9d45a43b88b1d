/** A device's connection state as it last reported it (status.v1). */
export interface DeviceStatusRow {
  readonly deviceId: string;
  readonly state: 'online' | 'offline';
  /** When the device reported it, epoch ms. */
  readonly timeMs: number;
  readonly agentVersion: string;
}

export interface DeviceStatusTable {
  /** Keeps the report with the latest timeMs; an older one changes nothing. */
  recordStatus(status: DeviceStatusRow): Promise<void>;
  getStatus(deviceId: string): Promise<DeviceStatusRow | undefined>;
}
