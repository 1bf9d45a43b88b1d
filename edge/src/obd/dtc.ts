/**
 * Diagnostic trouble codes (SAE J2012): two bytes per code. The top two bits of the first
 * byte pick the system (P powertrain, C chassis, B body, U network), the next two the first
 * digit, then three hex digits.
 */
const SYSTEMS = ['P', 'C', 'B', 'U'] as const;

export function decodeDtc(a: number, b: number): string {
  const system = SYSTEMS[(a >> 6) & 0x3] as string;
  const first = (a >> 4) & 0x3;
  const rest = (((a & 0x0f) << 8) | b).toString(16).toUpperCase().padStart(3, '0');
  return `${system}${first}${rest}`;
}

/**
 * Parses a service 03 response on CAN: 0x43, the number of codes, then two bytes per code
 * (ISO 15765-4). `0000` entries are padding, not codes.
 */
export function parseStoredDtcs(payload: Uint8Array): string[] {
  if (payload[0] !== 0x43) return [];
  const count = payload[1] ?? 0;
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = payload[2 + i * 2];
    const b = payload[3 + i * 2];
    if (a === undefined || b === undefined) break;
    if (a === 0 && b === 0) continue;
    codes.push(decodeDtc(a, b));
  }
  return codes;
}
