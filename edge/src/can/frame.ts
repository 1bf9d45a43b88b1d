/** One CAN frame as every CAN source hands it over. */
export interface CanFrame {
  /** Arbitration id without flag bits: 11-bit (standard) or 29-bit (extended). */
  readonly id: number;
  readonly extended: boolean;
  /** Remote transmission request: no data, `dlc` says how many bytes are requested. */
  readonly remote: boolean;
  /** CAN FD frame (up to 64 data bytes). */
  readonly fd: boolean;
  /** An error frame reported by the controller (SocketCAN CAN_ERR_FLAG); `id` holds the error class. */
  readonly error: boolean;
  readonly data: Uint8Array;
  /** Data length code; equals data.length except for remote frames. */
  readonly dlc: number;
  /** Epoch microseconds when the frame was received (adapter, kernel or log time). */
  readonly timeUs: number;
}

export const MAX_STANDARD_ID = 0x7ff;
export const MAX_EXTENDED_ID = 0x1fff_ffff;

export function frame(
  id: number,
  data: ArrayLike<number>,
  options: Partial<Omit<CanFrame, 'id' | 'data'>> = {},
): CanFrame {
  const bytes = Uint8Array.from(data);
  return {
    id,
    extended: options.extended ?? id > MAX_STANDARD_ID,
    remote: options.remote ?? false,
    fd: options.fd ?? false,
    error: options.error ?? false,
    data: bytes,
    dlc: options.dlc ?? bytes.length,
    timeUs: options.timeUs ?? Date.now() * 1000,
  };
}
