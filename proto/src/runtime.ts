import $protobuf from 'protobufjs/minimal.js';

/*
 * 64-bit fields (seq, epoch milliseconds, value deltas) decode to plain JS numbers, as the
 * generated types declare (`--force-number`): without this, protobufjs hands out Long objects
 * whenever the `long` package is installed. Values at or above 2^53 lose precision, which
 * the decoders detect with Number.isSafeInteger and reject.
 */
$protobuf.util.Long = undefined as unknown as typeof $protobuf.util.Long;
$protobuf.configure();
