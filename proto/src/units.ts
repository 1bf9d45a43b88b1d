/**
 * Standard gravity, m/s² per g: exact by definition (3rd CGPM, 1901). Edge, cloud and
 * simulator all turn g into m/s² and back — the crash rule's thresholds, an accelerometer's
 * counts, a scenario's braking — and must agree to the last digit.
 */
export const STANDARD_GRAVITY = 9.80665;
