/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const fleetline = $root.fleetline = (() => {

    /**
     * Namespace fleetline.
     * @exports fleetline
     * @namespace
     */
    const fleetline = {};

    fleetline.telemetry = (function() {

        /**
         * Namespace telemetry.
         * @memberof fleetline
         * @namespace
         */
        const telemetry = {};

        telemetry.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof fleetline.telemetry
             * @namespace
             */
            const v1 = {};

            v1.AlertChange = (function() {

                /**
                 * Properties of an AlertChange.
                 * @typedef {Object} fleetline.telemetry.v1.AlertChange.$Properties
                 * @property {string|null} [alertId] AlertChange alertId
                 * @property {string|null} [deviceId] AlertChange deviceId
                 * @property {fleetline.telemetry.v1.AlertType|null} [type] AlertChange type
                 * @property {fleetline.telemetry.v1.AlertSeverity|null} [severity] AlertChange severity
                 * @property {fleetline.telemetry.v1.AlertTransition|null} [transition] AlertChange transition
                 * @property {string|null} [conditionKey] AlertChange conditionKey
                 * @property {number|null} [timeMs] AlertChange timeMs
                 * @property {Object.<string,fleetline.telemetry.v1.EvidenceValue.$Properties>|null} [evidence] AlertChange evidence
                 * @property {string|null} [clearsWhen] AlertChange clearsWhen
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an AlertChange.
                 * @memberof fleetline.telemetry.v1
                 * @interface IAlertChange
                 * @augments fleetline.telemetry.v1.AlertChange.$Properties
                 * @deprecated Use fleetline.telemetry.v1.AlertChange.$Properties instead.
                 */

                /**
                 * Shape of an AlertChange.
                 * @typedef {{
                 *   alertId?: string|null;
                 *   deviceId?: string|null;
                 *   type?: fleetline.telemetry.v1.AlertType|null;
                 *   severity?: fleetline.telemetry.v1.AlertSeverity|null;
                 *   transition?: fleetline.telemetry.v1.AlertTransition|null;
                 *   conditionKey?: string|null;
                 *   timeMs?: number|null;
                 *   evidence?: Object.<string,fleetline.telemetry.v1.EvidenceValue.$Shape>|null;
                 *   clearsWhen?: string|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * }} fleetline.telemetry.v1.AlertChange.$Shape
                 */

                /**
                 * Constructs a new AlertChange.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents an AlertChange.
                 * @constructor
                 * @param {fleetline.telemetry.v1.AlertChange.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const AlertChange = function (properties) {
                    this.evidence = {};
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * AlertChange alertId.
                 * @member {string} alertId
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.alertId = "";

                /**
                 * AlertChange deviceId.
                 * @member {string} deviceId
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.deviceId = "";

                /**
                 * AlertChange type.
                 * @member {fleetline.telemetry.v1.AlertType} type
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.type = 0;

                /**
                 * AlertChange severity.
                 * @member {fleetline.telemetry.v1.AlertSeverity} severity
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.severity = 0;

                /**
                 * AlertChange transition.
                 * @member {fleetline.telemetry.v1.AlertTransition} transition
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.transition = 0;

                /**
                 * AlertChange conditionKey.
                 * @member {string} conditionKey
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.conditionKey = "";

                /**
                 * AlertChange timeMs.
                 * @member {number} timeMs
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * AlertChange evidence.
                 * @member {Object.<string,fleetline.telemetry.v1.EvidenceValue.$Properties>} evidence
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.evidence = $util.emptyObject;

                /**
                 * AlertChange clearsWhen.
                 * @member {string} clearsWhen
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @instance
                 */
                AlertChange.prototype.clearsWhen = "";

                /**
                 * Creates a new AlertChange instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @static
                 * @param {fleetline.telemetry.v1.AlertChange.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.AlertChange} AlertChange instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.AlertChange.$Shape): fleetline.telemetry.v1.AlertChange & fleetline.telemetry.v1.AlertChange.$Shape;
                 *   (properties?: fleetline.telemetry.v1.AlertChange.$Properties): fleetline.telemetry.v1.AlertChange;
                 * }}
                 */
                AlertChange.create = function(properties) {
                    return new AlertChange(properties);
                };

                /**
                 * Encodes the specified AlertChange message. Does not implicitly {@link fleetline.telemetry.v1.AlertChange.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @static
                 * @param {fleetline.telemetry.v1.AlertChange.$Properties} message AlertChange message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                AlertChange.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.alertId != null && $Object.hasOwnProperty.call(message, "alertId") && message.alertId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.alertId);
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.deviceId);
                    if (message.type != null && $Object.hasOwnProperty.call(message, "type") && message.type !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).int32(message.type);
                    if (message.severity != null && $Object.hasOwnProperty.call(message, "severity") && message.severity !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).int32(message.severity);
                    if (message.transition != null && $Object.hasOwnProperty.call(message, "transition") && message.transition !== 0)
                        writer.uint32(/* id 5, wireType 0 =*/40).int32(message.transition);
                    if (message.conditionKey != null && $Object.hasOwnProperty.call(message, "conditionKey") && message.conditionKey !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.conditionKey);
                    if (message.timeMs != null && $Object.hasOwnProperty.call(message, "timeMs") && (typeof message.timeMs === "object" ? message.timeMs.low || message.timeMs.high : message.timeMs !== 0))
                        writer.uint32(/* id 7, wireType 0 =*/56).int64(message.timeMs);
                    if (message.evidence != null && $Object.hasOwnProperty.call(message, "evidence"))
                        for (let keys = $Object.keys(message.evidence), i = 0; i < keys.length; ++i) {
                            writer.uint32(/* id 8, wireType 2 =*/66).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]);
                            $root.fleetline.telemetry.v1.EvidenceValue.encode(message.evidence[keys[i]], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim().ldelim();
                        }
                    if (message.clearsWhen != null && $Object.hasOwnProperty.call(message, "clearsWhen") && message.clearsWhen !== "")
                        writer.uint32(/* id 9, wireType 2 =*/74).string(message.clearsWhen);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an AlertChange message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.AlertChange
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.AlertChange & fleetline.telemetry.v1.AlertChange.$Shape} AlertChange
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                AlertChange.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, key, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.AlertChange();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.alertId = value;
                                else
                                    delete message.alertId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.type = value;
                                else
                                    delete message.type;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.severity = value;
                                else
                                    delete message.severity;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.transition = value;
                                else
                                    delete message.transition;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.conditionKey = value;
                                else
                                    delete message.conditionKey;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.timeMs = value;
                                else
                                    delete message.timeMs;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                if (message.evidence === $util.emptyObject)
                                    message.evidence = {};
                                let end2 = reader.size() + reader.pos;
                                if (end2 > reader.len)
                                    throw $RangeError("index out of range");
                                reader.len = end2;
                                key = "";
                                value = null;
                                while (reader.pos < end2) {
                                    let tag2 = reader.tag();
                                    wireType = tag2 & 7;
                                    switch (tag2 >>>= 3) {
                                    case 1:
                                        if (wireType !== 2)
                                            break;
                                        key = reader.stringVerify();
                                        continue;
                                    case 2:
                                        if (wireType !== 2)
                                            break;
                                        value = $root.fleetline.telemetry.v1.EvidenceValue.decode(reader, reader.size(), $undefined, _depth + 1, value);
                                        continue;
                                    }
                                    reader.skipType(wireType, _depth, tag2);
                                }
                                if (reader.pos !== end2)
                                    throw $RangeError("index out of range");
                                reader.len = end;
                                if (key === "__proto__")
                                    $util.makeProp(message.evidence, key);
                                message.evidence[key] = value || new $root.fleetline.telemetry.v1.EvidenceValue();
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.clearsWhen = value;
                                else
                                    delete message.clearsWhen;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return AlertChange;
            })();

            v1.EvidenceValue = (function() {

                /**
                 * Properties of an EvidenceValue.
                 * @typedef {Object} fleetline.telemetry.v1.EvidenceValue.$Properties
                 * @property {number|null} [number] EvidenceValue number
                 * @property {string|null} [text] EvidenceValue text
                 * @property {"number"|"text"} [value] EvidenceValue value
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an EvidenceValue.
                 * @memberof fleetline.telemetry.v1
                 * @interface IEvidenceValue
                 * @augments fleetline.telemetry.v1.EvidenceValue.$Properties
                 * @deprecated Use fleetline.telemetry.v1.EvidenceValue.$Properties instead.
                 */

                /**
                 * Narrowed shape of an EvidenceValue.
                 * @typedef {{
                 *   number?: number|null;
                 *   text?: string|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ value?: undefined; number?: null; text?: null }|{ value?: "number"; number: number; text?: null }|{ value?: "text"; number?: null; text: string })
                 * )} fleetline.telemetry.v1.EvidenceValue.$Shape
                 */

                /**
                 * Constructs a new EvidenceValue.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents an EvidenceValue.
                 * @constructor
                 * @param {fleetline.telemetry.v1.EvidenceValue.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const EvidenceValue = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * EvidenceValue number.
                 * @member {number|null|undefined} number
                 * @memberof fleetline.telemetry.v1.EvidenceValue
                 * @instance
                 */
                EvidenceValue.prototype.number = null;

                /**
                 * EvidenceValue text.
                 * @member {string|null|undefined} text
                 * @memberof fleetline.telemetry.v1.EvidenceValue
                 * @instance
                 */
                EvidenceValue.prototype.text = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * EvidenceValue value.
                 * @member {"number"|"text"|undefined} value
                 * @memberof fleetline.telemetry.v1.EvidenceValue
                 * @instance
                 */
                $Object.defineProperty(EvidenceValue.prototype, "value", {
                    get: $util.oneOfGetter($oneOfFields = ["number", "text"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new EvidenceValue instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.EvidenceValue
                 * @static
                 * @param {fleetline.telemetry.v1.EvidenceValue.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.EvidenceValue} EvidenceValue instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.EvidenceValue.$Shape): fleetline.telemetry.v1.EvidenceValue & fleetline.telemetry.v1.EvidenceValue.$Shape;
                 *   (properties?: fleetline.telemetry.v1.EvidenceValue.$Properties): fleetline.telemetry.v1.EvidenceValue;
                 * }}
                 */
                EvidenceValue.create = function(properties) {
                    return new EvidenceValue(properties);
                };

                /**
                 * Encodes the specified EvidenceValue message. Does not implicitly {@link fleetline.telemetry.v1.EvidenceValue.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.EvidenceValue
                 * @static
                 * @param {fleetline.telemetry.v1.EvidenceValue.$Properties} message EvidenceValue message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                EvidenceValue.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.number != null && $Object.hasOwnProperty.call(message, "number"))
                        writer.uint32(/* id 1, wireType 1 =*/9).double(message.number);
                    if (message.text != null && $Object.hasOwnProperty.call(message, "text"))
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.text);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an EvidenceValue message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.EvidenceValue
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.EvidenceValue & fleetline.telemetry.v1.EvidenceValue.$Shape} EvidenceValue
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                EvidenceValue.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.EvidenceValue();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 1)
                                    break;
                                message.number = reader.double();
                                message.value = "number";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.text = reader.stringVerify();
                                message.value = "text";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return EvidenceValue;
            })();

            /**
             * AlertType enum.
             * @name fleetline.telemetry.v1.AlertType
             * @enum {number}
             * @property {number} ALERT_TYPE_UNSPECIFIED=0 ALERT_TYPE_UNSPECIFIED value
             * @property {number} ALERT_TYPE_COLLISION=1 ALERT_TYPE_COLLISION value
             * @property {number} ALERT_TYPE_HARSH_BRAKING=2 ALERT_TYPE_HARSH_BRAKING value
             * @property {number} ALERT_TYPE_HARSH_ACCELERATION=3 ALERT_TYPE_HARSH_ACCELERATION value
             * @property {number} ALERT_TYPE_HARSH_CORNERING=4 ALERT_TYPE_HARSH_CORNERING value
             * @property {number} ALERT_TYPE_MAINTENANCE_DUE=5 ALERT_TYPE_MAINTENANCE_DUE value
             * @property {number} ALERT_TYPE_DTC=6 ALERT_TYPE_DTC value
             * @property {number} ALERT_TYPE_LOW_BATTERY=7 ALERT_TYPE_LOW_BATTERY value
             * @property {number} ALERT_TYPE_OVERHEAT=8 ALERT_TYPE_OVERHEAT value
             * @property {number} ALERT_TYPE_LOW_FUEL=9 ALERT_TYPE_LOW_FUEL value
             * @property {number} ALERT_TYPE_OFFLINE=10 ALERT_TYPE_OFFLINE value
             */
            v1.AlertType = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "ALERT_TYPE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "ALERT_TYPE_COLLISION"] = 1;
                values[valuesById[2] = "ALERT_TYPE_HARSH_BRAKING"] = 2;
                values[valuesById[3] = "ALERT_TYPE_HARSH_ACCELERATION"] = 3;
                values[valuesById[4] = "ALERT_TYPE_HARSH_CORNERING"] = 4;
                values[valuesById[5] = "ALERT_TYPE_MAINTENANCE_DUE"] = 5;
                values[valuesById[6] = "ALERT_TYPE_DTC"] = 6;
                values[valuesById[7] = "ALERT_TYPE_LOW_BATTERY"] = 7;
                values[valuesById[8] = "ALERT_TYPE_OVERHEAT"] = 8;
                values[valuesById[9] = "ALERT_TYPE_LOW_FUEL"] = 9;
                values[valuesById[10] = "ALERT_TYPE_OFFLINE"] = 10;
                return values;
            })();

            /**
             * AlertSeverity enum.
             * @name fleetline.telemetry.v1.AlertSeverity
             * @enum {number}
             * @property {number} ALERT_SEVERITY_UNSPECIFIED=0 ALERT_SEVERITY_UNSPECIFIED value
             * @property {number} ALERT_SEVERITY_INFO=1 ALERT_SEVERITY_INFO value
             * @property {number} ALERT_SEVERITY_WARNING=2 ALERT_SEVERITY_WARNING value
             * @property {number} ALERT_SEVERITY_CRITICAL=3 ALERT_SEVERITY_CRITICAL value
             */
            v1.AlertSeverity = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "ALERT_SEVERITY_UNSPECIFIED"] = 0;
                values[valuesById[1] = "ALERT_SEVERITY_INFO"] = 1;
                values[valuesById[2] = "ALERT_SEVERITY_WARNING"] = 2;
                values[valuesById[3] = "ALERT_SEVERITY_CRITICAL"] = 3;
                return values;
            })();

            /**
             * AlertTransition enum.
             * @name fleetline.telemetry.v1.AlertTransition
             * @enum {number}
             * @property {number} ALERT_TRANSITION_UNSPECIFIED=0 ALERT_TRANSITION_UNSPECIFIED value
             * @property {number} ALERT_TRANSITION_RAISED=1 ALERT_TRANSITION_RAISED value
             * @property {number} ALERT_TRANSITION_CLEARED=2 ALERT_TRANSITION_CLEARED value
             */
            v1.AlertTransition = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "ALERT_TRANSITION_UNSPECIFIED"] = 0;
                values[valuesById[1] = "ALERT_TRANSITION_RAISED"] = 1;
                values[valuesById[2] = "ALERT_TRANSITION_CLEARED"] = 2;
                return values;
            })();

            v1.Command = (function() {

                /**
                 * Properties of a Command.
                 * @typedef {Object} fleetline.telemetry.v1.Command.$Properties
                 * @property {string|null} [commandId] Command commandId
                 * @property {string|null} [deviceId] Command deviceId
                 * @property {number|null} [issuedAtMs] Command issuedAtMs
                 * @property {number|null} [expiresAtMs] Command expiresAtMs
                 * @property {fleetline.telemetry.v1.Ping.$Properties|null} [ping] Command ping
                 * @property {fleetline.telemetry.v1.SetConfig.$Properties|null} [setConfig] Command setConfig
                 * @property {"ping"|"setConfig"} [action] Command action
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Command.
                 * @memberof fleetline.telemetry.v1
                 * @interface ICommand
                 * @augments fleetline.telemetry.v1.Command.$Properties
                 * @deprecated Use fleetline.telemetry.v1.Command.$Properties instead.
                 */

                /**
                 * Narrowed shape of a Command.
                 * @typedef {{
                 *   commandId?: string|null;
                 *   deviceId?: string|null;
                 *   issuedAtMs?: number|null;
                 *   expiresAtMs?: number|null;
                 *   ping?: fleetline.telemetry.v1.Ping.$Shape|null;
                 *   setConfig?: fleetline.telemetry.v1.SetConfig.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ action?: undefined; ping?: null; setConfig?: null }|{ action?: "ping"; ping: fleetline.telemetry.v1.Ping.$Shape; setConfig?: null }|{ action?: "setConfig"; ping?: null; setConfig: fleetline.telemetry.v1.SetConfig.$Shape })
                 * )} fleetline.telemetry.v1.Command.$Shape
                 */

                /**
                 * Constructs a new Command.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a Command.
                 * @constructor
                 * @param {fleetline.telemetry.v1.Command.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Command = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Command commandId.
                 * @member {string} commandId
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                Command.prototype.commandId = "";

                /**
                 * Command deviceId.
                 * @member {string} deviceId
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                Command.prototype.deviceId = "";

                /**
                 * Command issuedAtMs.
                 * @member {number} issuedAtMs
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                Command.prototype.issuedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Command expiresAtMs.
                 * @member {number} expiresAtMs
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                Command.prototype.expiresAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Command ping.
                 * @member {fleetline.telemetry.v1.Ping.$Properties|null|undefined} ping
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                Command.prototype.ping = null;

                /**
                 * Command setConfig.
                 * @member {fleetline.telemetry.v1.SetConfig.$Properties|null|undefined} setConfig
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                Command.prototype.setConfig = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * Command action.
                 * @member {"ping"|"setConfig"|undefined} action
                 * @memberof fleetline.telemetry.v1.Command
                 * @instance
                 */
                $Object.defineProperty(Command.prototype, "action", {
                    get: $util.oneOfGetter($oneOfFields = ["ping", "setConfig"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Command instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.Command
                 * @static
                 * @param {fleetline.telemetry.v1.Command.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.Command} Command instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.Command.$Shape): fleetline.telemetry.v1.Command & fleetline.telemetry.v1.Command.$Shape;
                 *   (properties?: fleetline.telemetry.v1.Command.$Properties): fleetline.telemetry.v1.Command;
                 * }}
                 */
                Command.create = function(properties) {
                    return new Command(properties);
                };

                /**
                 * Encodes the specified Command message. Does not implicitly {@link fleetline.telemetry.v1.Command.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.Command
                 * @static
                 * @param {fleetline.telemetry.v1.Command.$Properties} message Command message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Command.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.commandId != null && $Object.hasOwnProperty.call(message, "commandId") && message.commandId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.commandId);
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.deviceId);
                    if (message.issuedAtMs != null && $Object.hasOwnProperty.call(message, "issuedAtMs") && (typeof message.issuedAtMs === "object" ? message.issuedAtMs.low || message.issuedAtMs.high : message.issuedAtMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.issuedAtMs);
                    if (message.expiresAtMs != null && $Object.hasOwnProperty.call(message, "expiresAtMs") && (typeof message.expiresAtMs === "object" ? message.expiresAtMs.low || message.expiresAtMs.high : message.expiresAtMs !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).int64(message.expiresAtMs);
                    if (message.ping != null && $Object.hasOwnProperty.call(message, "ping"))
                        $root.fleetline.telemetry.v1.Ping.encode(message.ping, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                    if (message.setConfig != null && $Object.hasOwnProperty.call(message, "setConfig"))
                        $root.fleetline.telemetry.v1.SetConfig.encode(message.setConfig, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Command message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.Command
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.Command & fleetline.telemetry.v1.Command.$Shape} Command
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Command.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.Command();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.commandId = value;
                                else
                                    delete message.commandId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.issuedAtMs = value;
                                else
                                    delete message.issuedAtMs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.expiresAtMs = value;
                                else
                                    delete message.expiresAtMs;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.ping = $root.fleetline.telemetry.v1.Ping.decode(reader, reader.size(), $undefined, _depth + 1, message.ping);
                                message.action = "ping";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.setConfig = $root.fleetline.telemetry.v1.SetConfig.decode(reader, reader.size(), $undefined, _depth + 1, message.setConfig);
                                message.action = "setConfig";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Command;
            })();

            v1.Ping = (function() {

                /**
                 * Properties of a Ping.
                 * @typedef {Object} fleetline.telemetry.v1.Ping.$Properties
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Ping.
                 * @memberof fleetline.telemetry.v1
                 * @interface IPing
                 * @augments fleetline.telemetry.v1.Ping.$Properties
                 * @deprecated Use fleetline.telemetry.v1.Ping.$Properties instead.
                 */

                /**
                 * Shape of a Ping.
                 * @typedef {fleetline.telemetry.v1.Ping.$Properties} fleetline.telemetry.v1.Ping.$Shape
                 */

                /**
                 * Constructs a new Ping.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a Ping.
                 * @constructor
                 * @param {fleetline.telemetry.v1.Ping.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Ping = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Creates a new Ping instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.Ping
                 * @static
                 * @param {fleetline.telemetry.v1.Ping.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.Ping} Ping instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.Ping.$Shape): fleetline.telemetry.v1.Ping & fleetline.telemetry.v1.Ping.$Shape;
                 *   (properties?: fleetline.telemetry.v1.Ping.$Properties): fleetline.telemetry.v1.Ping;
                 * }}
                 */
                Ping.create = function(properties) {
                    return new Ping(properties);
                };

                /**
                 * Encodes the specified Ping message. Does not implicitly {@link fleetline.telemetry.v1.Ping.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.Ping
                 * @static
                 * @param {fleetline.telemetry.v1.Ping.$Properties} message Ping message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Ping.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Ping message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.Ping
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.Ping & fleetline.telemetry.v1.Ping.$Shape} Ping
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Ping.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.Ping();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        reader.skipType(tag & 7, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Ping;
            })();

            v1.SetConfig = (function() {

                /**
                 * Properties of a SetConfig.
                 * @typedef {Object} fleetline.telemetry.v1.SetConfig.$Properties
                 * @property {Object.<string,string>|null} [values] SetConfig values
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a SetConfig.
                 * @memberof fleetline.telemetry.v1
                 * @interface ISetConfig
                 * @augments fleetline.telemetry.v1.SetConfig.$Properties
                 * @deprecated Use fleetline.telemetry.v1.SetConfig.$Properties instead.
                 */

                /**
                 * Shape of a SetConfig.
                 * @typedef {fleetline.telemetry.v1.SetConfig.$Properties} fleetline.telemetry.v1.SetConfig.$Shape
                 */

                /**
                 * Constructs a new SetConfig.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a SetConfig.
                 * @constructor
                 * @param {fleetline.telemetry.v1.SetConfig.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SetConfig = function (properties) {
                    this.values = {};
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * SetConfig values.
                 * @member {Object.<string,string>} values
                 * @memberof fleetline.telemetry.v1.SetConfig
                 * @instance
                 */
                SetConfig.prototype.values = $util.emptyObject;

                /**
                 * Creates a new SetConfig instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.SetConfig
                 * @static
                 * @param {fleetline.telemetry.v1.SetConfig.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.SetConfig} SetConfig instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.SetConfig.$Shape): fleetline.telemetry.v1.SetConfig & fleetline.telemetry.v1.SetConfig.$Shape;
                 *   (properties?: fleetline.telemetry.v1.SetConfig.$Properties): fleetline.telemetry.v1.SetConfig;
                 * }}
                 */
                SetConfig.create = function(properties) {
                    return new SetConfig(properties);
                };

                /**
                 * Encodes the specified SetConfig message. Does not implicitly {@link fleetline.telemetry.v1.SetConfig.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.SetConfig
                 * @static
                 * @param {fleetline.telemetry.v1.SetConfig.$Properties} message SetConfig message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SetConfig.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.values != null && $Object.hasOwnProperty.call(message, "values"))
                        for (let keys = $Object.keys(message.values), i = 0; i < keys.length; ++i)
                            writer.uint32(/* id 1, wireType 2 =*/10).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.values[keys[i]]).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a SetConfig message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.SetConfig
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.SetConfig & fleetline.telemetry.v1.SetConfig.$Shape} SetConfig
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SetConfig.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, key, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.SetConfig();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (message.values === $util.emptyObject)
                                    message.values = {};
                                let end2 = reader.size() + reader.pos;
                                if (end2 > reader.len)
                                    throw $RangeError("index out of range");
                                reader.len = end2;
                                key = "";
                                value = "";
                                while (reader.pos < end2) {
                                    let tag2 = reader.tag();
                                    wireType = tag2 & 7;
                                    switch (tag2 >>>= 3) {
                                    case 1:
                                        if (wireType !== 2)
                                            break;
                                        key = reader.stringVerify();
                                        continue;
                                    case 2:
                                        if (wireType !== 2)
                                            break;
                                        value = reader.stringVerify();
                                        continue;
                                    }
                                    reader.skipType(wireType, _depth, tag2);
                                }
                                if (reader.pos !== end2)
                                    throw $RangeError("index out of range");
                                reader.len = end;
                                if (key === "__proto__")
                                    $util.makeProp(message.values, key);
                                message.values[key] = value;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return SetConfig;
            })();

            v1.Event = (function() {

                /**
                 * Properties of an Event.
                 * @typedef {Object} fleetline.telemetry.v1.Event.$Properties
                 * @property {string|null} [deviceId] Event deviceId
                 * @property {number|null} [seq] Event seq
                 * @property {number|null} [timeMs] Event timeMs
                 * @property {number|null} [seqEpoch] Event seqEpoch
                 * @property {fleetline.telemetry.v1.Collision.$Properties|null} [collision] Event collision
                 * @property {fleetline.telemetry.v1.TroubleCodes.$Properties|null} [troubleCodes] Event troubleCodes
                 * @property {fleetline.telemetry.v1.TriggerCapture.$Properties|null} [triggerCapture] Event triggerCapture
                 * @property {"collision"|"troubleCodes"|"triggerCapture"} [payload] Event payload
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Event.
                 * @memberof fleetline.telemetry.v1
                 * @interface IEvent
                 * @augments fleetline.telemetry.v1.Event.$Properties
                 * @deprecated Use fleetline.telemetry.v1.Event.$Properties instead.
                 */

                /**
                 * Narrowed shape of an Event.
                 * @typedef {{
                 *   deviceId?: string|null;
                 *   seq?: number|null;
                 *   timeMs?: number|null;
                 *   seqEpoch?: number|null;
                 *   collision?: fleetline.telemetry.v1.Collision.$Shape|null;
                 *   troubleCodes?: fleetline.telemetry.v1.TroubleCodes.$Shape|null;
                 *   triggerCapture?: fleetline.telemetry.v1.TriggerCapture.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ payload?: undefined; collision?: null; troubleCodes?: null; triggerCapture?: null }|{ payload?: "collision"; collision: fleetline.telemetry.v1.Collision.$Shape; troubleCodes?: null; triggerCapture?: null }|{ payload?: "troubleCodes"; collision?: null; troubleCodes: fleetline.telemetry.v1.TroubleCodes.$Shape; triggerCapture?: null }|{ payload?: "triggerCapture"; collision?: null; troubleCodes?: null; triggerCapture: fleetline.telemetry.v1.TriggerCapture.$Shape })
                 * )} fleetline.telemetry.v1.Event.$Shape
                 */

                /**
                 * Constructs a new Event.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents an Event.
                 * @constructor
                 * @param {fleetline.telemetry.v1.Event.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Event = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Event deviceId.
                 * @member {string} deviceId
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.deviceId = "";

                /**
                 * Event seq.
                 * @member {number} seq
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Event timeMs.
                 * @member {number} timeMs
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Event seqEpoch.
                 * @member {number} seqEpoch
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.seqEpoch = 0;

                /**
                 * Event collision.
                 * @member {fleetline.telemetry.v1.Collision.$Properties|null|undefined} collision
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.collision = null;

                /**
                 * Event troubleCodes.
                 * @member {fleetline.telemetry.v1.TroubleCodes.$Properties|null|undefined} troubleCodes
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.troubleCodes = null;

                /**
                 * Event triggerCapture.
                 * @member {fleetline.telemetry.v1.TriggerCapture.$Properties|null|undefined} triggerCapture
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                Event.prototype.triggerCapture = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * Event payload.
                 * @member {"collision"|"troubleCodes"|"triggerCapture"|undefined} payload
                 * @memberof fleetline.telemetry.v1.Event
                 * @instance
                 */
                $Object.defineProperty(Event.prototype, "payload", {
                    get: $util.oneOfGetter($oneOfFields = ["collision", "troubleCodes", "triggerCapture"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Event instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.Event
                 * @static
                 * @param {fleetline.telemetry.v1.Event.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.Event} Event instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.Event.$Shape): fleetline.telemetry.v1.Event & fleetline.telemetry.v1.Event.$Shape;
                 *   (properties?: fleetline.telemetry.v1.Event.$Properties): fleetline.telemetry.v1.Event;
                 * }}
                 */
                Event.create = function(properties) {
                    return new Event(properties);
                };

                /**
                 * Encodes the specified Event message. Does not implicitly {@link fleetline.telemetry.v1.Event.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.Event
                 * @static
                 * @param {fleetline.telemetry.v1.Event.$Properties} message Event message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Event.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.deviceId);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.seq);
                    if (message.timeMs != null && $Object.hasOwnProperty.call(message, "timeMs") && (typeof message.timeMs === "object" ? message.timeMs.low || message.timeMs.high : message.timeMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.timeMs);
                    if (message.seqEpoch != null && $Object.hasOwnProperty.call(message, "seqEpoch") && message.seqEpoch !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.seqEpoch);
                    if (message.collision != null && $Object.hasOwnProperty.call(message, "collision"))
                        $root.fleetline.telemetry.v1.Collision.encode(message.collision, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                    if (message.troubleCodes != null && $Object.hasOwnProperty.call(message, "troubleCodes"))
                        $root.fleetline.telemetry.v1.TroubleCodes.encode(message.troubleCodes, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                    if (message.triggerCapture != null && $Object.hasOwnProperty.call(message, "triggerCapture"))
                        $root.fleetline.telemetry.v1.TriggerCapture.encode(message.triggerCapture, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Event message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.Event
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.Event & fleetline.telemetry.v1.Event.$Shape} Event
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Event.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.Event();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.timeMs = value;
                                else
                                    delete message.timeMs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.seqEpoch = value;
                                else
                                    delete message.seqEpoch;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.collision = $root.fleetline.telemetry.v1.Collision.decode(reader, reader.size(), $undefined, _depth + 1, message.collision);
                                message.payload = "collision";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.troubleCodes = $root.fleetline.telemetry.v1.TroubleCodes.decode(reader, reader.size(), $undefined, _depth + 1, message.troubleCodes);
                                message.payload = "troubleCodes";
                                continue;
                            }
                        case 12: {
                                if (wireType !== 2)
                                    break;
                                message.triggerCapture = $root.fleetline.telemetry.v1.TriggerCapture.decode(reader, reader.size(), $undefined, _depth + 1, message.triggerCapture);
                                message.payload = "triggerCapture";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Event;
            })();

            /**
             * Severity enum.
             * @name fleetline.telemetry.v1.Severity
             * @enum {number}
             * @property {number} SEVERITY_UNSPECIFIED=0 SEVERITY_UNSPECIFIED value
             * @property {number} SEVERITY_MINOR=1 SEVERITY_MINOR value
             * @property {number} SEVERITY_SEVERE=2 SEVERITY_SEVERE value
             */
            v1.Severity = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "SEVERITY_UNSPECIFIED"] = 0;
                values[valuesById[1] = "SEVERITY_MINOR"] = 1;
                values[valuesById[2] = "SEVERITY_SEVERE"] = 2;
                return values;
            })();

            /**
             * ImpactDirection enum.
             * @name fleetline.telemetry.v1.ImpactDirection
             * @enum {number}
             * @property {number} IMPACT_DIRECTION_UNSPECIFIED=0 IMPACT_DIRECTION_UNSPECIFIED value
             * @property {number} IMPACT_DIRECTION_FRONT=1 IMPACT_DIRECTION_FRONT value
             * @property {number} IMPACT_DIRECTION_REAR=2 IMPACT_DIRECTION_REAR value
             * @property {number} IMPACT_DIRECTION_LEFT=3 IMPACT_DIRECTION_LEFT value
             * @property {number} IMPACT_DIRECTION_RIGHT=4 IMPACT_DIRECTION_RIGHT value
             * @property {number} IMPACT_DIRECTION_ROLLOVER=5 IMPACT_DIRECTION_ROLLOVER value
             */
            v1.ImpactDirection = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "IMPACT_DIRECTION_UNSPECIFIED"] = 0;
                values[valuesById[1] = "IMPACT_DIRECTION_FRONT"] = 1;
                values[valuesById[2] = "IMPACT_DIRECTION_REAR"] = 2;
                values[valuesById[3] = "IMPACT_DIRECTION_LEFT"] = 3;
                values[valuesById[4] = "IMPACT_DIRECTION_RIGHT"] = 4;
                values[valuesById[5] = "IMPACT_DIRECTION_ROLLOVER"] = 5;
                return values;
            })();

            v1.Collision = (function() {

                /**
                 * Properties of a Collision.
                 * @typedef {Object} fleetline.telemetry.v1.Collision.$Properties
                 * @property {fleetline.telemetry.v1.Severity|null} [severity] Collision severity
                 * @property {number|null} [peakG] Collision peakG
                 * @property {number|null} [deltaVKmh] Collision deltaVKmh
                 * @property {fleetline.telemetry.v1.ImpactDirection|null} [direction] Collision direction
                 * @property {number|null} [latitude] Collision latitude
                 * @property {number|null} [longitude] Collision longitude
                 * @property {number|null} [speedBeforeKmh] Collision speedBeforeKmh
                 * @property {number|null} [windowBaseTimeMs] Collision windowBaseTimeMs
                 * @property {Array.<fleetline.telemetry.v1.SignalSeries.$Properties>|null} [window] Collision window
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Collision.
                 * @memberof fleetline.telemetry.v1
                 * @interface ICollision
                 * @augments fleetline.telemetry.v1.Collision.$Properties
                 * @deprecated Use fleetline.telemetry.v1.Collision.$Properties instead.
                 */

                /**
                 * Shape of a Collision.
                 * @typedef {fleetline.telemetry.v1.Collision.$Properties} fleetline.telemetry.v1.Collision.$Shape
                 */

                /**
                 * Constructs a new Collision.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a Collision.
                 * @constructor
                 * @param {fleetline.telemetry.v1.Collision.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Collision = function (properties) {
                    this.window = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Collision severity.
                 * @member {fleetline.telemetry.v1.Severity} severity
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.severity = 0;

                /**
                 * Collision peakG.
                 * @member {number} peakG
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.peakG = 0;

                /**
                 * Collision deltaVKmh.
                 * @member {number} deltaVKmh
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.deltaVKmh = 0;

                /**
                 * Collision direction.
                 * @member {fleetline.telemetry.v1.ImpactDirection} direction
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.direction = 0;

                /**
                 * Collision latitude.
                 * @member {number|null|undefined} latitude
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.latitude = null;

                /**
                 * Collision longitude.
                 * @member {number|null|undefined} longitude
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.longitude = null;

                /**
                 * Collision speedBeforeKmh.
                 * @member {number} speedBeforeKmh
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.speedBeforeKmh = 0;

                /**
                 * Collision windowBaseTimeMs.
                 * @member {number} windowBaseTimeMs
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.windowBaseTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * Collision window.
                 * @member {Array.<fleetline.telemetry.v1.SignalSeries.$Properties>} window
                 * @memberof fleetline.telemetry.v1.Collision
                 * @instance
                 */
                Collision.prototype.window = $util.emptyArray;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Collision.prototype, "_latitude", {
                    get: $util.oneOfGetter($oneOfFields = ["latitude"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Collision.prototype, "_longitude", {
                    get: $util.oneOfGetter($oneOfFields = ["longitude"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Collision instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.Collision
                 * @static
                 * @param {fleetline.telemetry.v1.Collision.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.Collision} Collision instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.Collision.$Shape): fleetline.telemetry.v1.Collision & fleetline.telemetry.v1.Collision.$Shape;
                 *   (properties?: fleetline.telemetry.v1.Collision.$Properties): fleetline.telemetry.v1.Collision;
                 * }}
                 */
                Collision.create = function(properties) {
                    return new Collision(properties);
                };

                /**
                 * Encodes the specified Collision message. Does not implicitly {@link fleetline.telemetry.v1.Collision.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.Collision
                 * @static
                 * @param {fleetline.telemetry.v1.Collision.$Properties} message Collision message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Collision.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.severity != null && $Object.hasOwnProperty.call(message, "severity") && message.severity !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).int32(message.severity);
                    if (message.peakG != null && $Object.hasOwnProperty.call(message, "peakG") && !$Object.is(message.peakG, 0))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.peakG);
                    if (message.deltaVKmh != null && $Object.hasOwnProperty.call(message, "deltaVKmh") && !$Object.is(message.deltaVKmh, 0))
                        writer.uint32(/* id 3, wireType 1 =*/25).double(message.deltaVKmh);
                    if (message.direction != null && $Object.hasOwnProperty.call(message, "direction") && message.direction !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).int32(message.direction);
                    if (message.latitude != null && $Object.hasOwnProperty.call(message, "latitude"))
                        writer.uint32(/* id 5, wireType 1 =*/41).double(message.latitude);
                    if (message.longitude != null && $Object.hasOwnProperty.call(message, "longitude"))
                        writer.uint32(/* id 6, wireType 1 =*/49).double(message.longitude);
                    if (message.speedBeforeKmh != null && $Object.hasOwnProperty.call(message, "speedBeforeKmh") && !$Object.is(message.speedBeforeKmh, 0))
                        writer.uint32(/* id 7, wireType 1 =*/57).double(message.speedBeforeKmh);
                    if (message.windowBaseTimeMs != null && $Object.hasOwnProperty.call(message, "windowBaseTimeMs") && (typeof message.windowBaseTimeMs === "object" ? message.windowBaseTimeMs.low || message.windowBaseTimeMs.high : message.windowBaseTimeMs !== 0))
                        writer.uint32(/* id 8, wireType 0 =*/64).int64(message.windowBaseTimeMs);
                    if (message.window != null && message.window.length)
                        for (let i = 0; i < message.window.length; ++i)
                            $root.fleetline.telemetry.v1.SignalSeries.encode(message.window[i], writer.uint32(/* id 9, wireType 2 =*/74).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Collision message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.Collision
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.Collision & fleetline.telemetry.v1.Collision.$Shape} Collision
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Collision.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.Collision();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.severity = value;
                                else
                                    delete message.severity;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.peakG = value;
                                else
                                    delete message.peakG;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.deltaVKmh = value;
                                else
                                    delete message.deltaVKmh;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.direction = value;
                                else
                                    delete message.direction;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 1)
                                    break;
                                message.latitude = reader.double();
                                message._latitude = "latitude";
                                continue;
                            }
                        case 6: {
                                if (wireType !== 1)
                                    break;
                                message.longitude = reader.double();
                                message._longitude = "longitude";
                                continue;
                            }
                        case 7: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.speedBeforeKmh = value;
                                else
                                    delete message.speedBeforeKmh;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.windowBaseTimeMs = value;
                                else
                                    delete message.windowBaseTimeMs;
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.window && message.window.length))
                                    message.window = [];
                                message.window.push($root.fleetline.telemetry.v1.SignalSeries.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Collision;
            })();

            v1.TroubleCodes = (function() {

                /**
                 * Properties of a TroubleCodes.
                 * @typedef {Object} fleetline.telemetry.v1.TroubleCodes.$Properties
                 * @property {Array.<string>|null} [codes] TroubleCodes codes
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a TroubleCodes.
                 * @memberof fleetline.telemetry.v1
                 * @interface ITroubleCodes
                 * @augments fleetline.telemetry.v1.TroubleCodes.$Properties
                 * @deprecated Use fleetline.telemetry.v1.TroubleCodes.$Properties instead.
                 */

                /**
                 * Shape of a TroubleCodes.
                 * @typedef {fleetline.telemetry.v1.TroubleCodes.$Properties} fleetline.telemetry.v1.TroubleCodes.$Shape
                 */

                /**
                 * Constructs a new TroubleCodes.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a TroubleCodes.
                 * @constructor
                 * @param {fleetline.telemetry.v1.TroubleCodes.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const TroubleCodes = function (properties) {
                    this.codes = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * TroubleCodes codes.
                 * @member {Array.<string>} codes
                 * @memberof fleetline.telemetry.v1.TroubleCodes
                 * @instance
                 */
                TroubleCodes.prototype.codes = $util.emptyArray;

                /**
                 * Creates a new TroubleCodes instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.TroubleCodes
                 * @static
                 * @param {fleetline.telemetry.v1.TroubleCodes.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.TroubleCodes} TroubleCodes instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.TroubleCodes.$Shape): fleetline.telemetry.v1.TroubleCodes & fleetline.telemetry.v1.TroubleCodes.$Shape;
                 *   (properties?: fleetline.telemetry.v1.TroubleCodes.$Properties): fleetline.telemetry.v1.TroubleCodes;
                 * }}
                 */
                TroubleCodes.create = function(properties) {
                    return new TroubleCodes(properties);
                };

                /**
                 * Encodes the specified TroubleCodes message. Does not implicitly {@link fleetline.telemetry.v1.TroubleCodes.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.TroubleCodes
                 * @static
                 * @param {fleetline.telemetry.v1.TroubleCodes.$Properties} message TroubleCodes message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TroubleCodes.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.codes != null && message.codes.length)
                        for (let i = 0; i < message.codes.length; ++i)
                            writer.uint32(/* id 1, wireType 2 =*/10).string(message.codes[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a TroubleCodes message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.TroubleCodes
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.TroubleCodes & fleetline.telemetry.v1.TroubleCodes.$Shape} TroubleCodes
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TroubleCodes.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.TroubleCodes();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.codes && message.codes.length))
                                    message.codes = [];
                                message.codes.push(reader.stringVerify());
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return TroubleCodes;
            })();

            v1.TriggerCapture = (function() {

                /**
                 * Properties of a TriggerCapture.
                 * @typedef {Object} fleetline.telemetry.v1.TriggerCapture.$Properties
                 * @property {string|null} [name] TriggerCapture name
                 * @property {number|null} [triggeredAtMs] TriggerCapture triggeredAtMs
                 * @property {number|null} [relatedSeq] TriggerCapture relatedSeq
                 * @property {number|null} [windowBaseTimeMs] TriggerCapture windowBaseTimeMs
                 * @property {Array.<fleetline.telemetry.v1.SignalSeries.$Properties>|null} [window] TriggerCapture window
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a TriggerCapture.
                 * @memberof fleetline.telemetry.v1
                 * @interface ITriggerCapture
                 * @augments fleetline.telemetry.v1.TriggerCapture.$Properties
                 * @deprecated Use fleetline.telemetry.v1.TriggerCapture.$Properties instead.
                 */

                /**
                 * Shape of a TriggerCapture.
                 * @typedef {fleetline.telemetry.v1.TriggerCapture.$Properties} fleetline.telemetry.v1.TriggerCapture.$Shape
                 */

                /**
                 * Constructs a new TriggerCapture.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a TriggerCapture.
                 * @constructor
                 * @param {fleetline.telemetry.v1.TriggerCapture.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const TriggerCapture = function (properties) {
                    this.window = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * TriggerCapture name.
                 * @member {string} name
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @instance
                 */
                TriggerCapture.prototype.name = "";

                /**
                 * TriggerCapture triggeredAtMs.
                 * @member {number} triggeredAtMs
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @instance
                 */
                TriggerCapture.prototype.triggeredAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * TriggerCapture relatedSeq.
                 * @member {number} relatedSeq
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @instance
                 */
                TriggerCapture.prototype.relatedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * TriggerCapture windowBaseTimeMs.
                 * @member {number} windowBaseTimeMs
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @instance
                 */
                TriggerCapture.prototype.windowBaseTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * TriggerCapture window.
                 * @member {Array.<fleetline.telemetry.v1.SignalSeries.$Properties>} window
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @instance
                 */
                TriggerCapture.prototype.window = $util.emptyArray;

                /**
                 * Creates a new TriggerCapture instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @static
                 * @param {fleetline.telemetry.v1.TriggerCapture.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.TriggerCapture} TriggerCapture instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.TriggerCapture.$Shape): fleetline.telemetry.v1.TriggerCapture & fleetline.telemetry.v1.TriggerCapture.$Shape;
                 *   (properties?: fleetline.telemetry.v1.TriggerCapture.$Properties): fleetline.telemetry.v1.TriggerCapture;
                 * }}
                 */
                TriggerCapture.create = function(properties) {
                    return new TriggerCapture(properties);
                };

                /**
                 * Encodes the specified TriggerCapture message. Does not implicitly {@link fleetline.telemetry.v1.TriggerCapture.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @static
                 * @param {fleetline.telemetry.v1.TriggerCapture.$Properties} message TriggerCapture message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TriggerCapture.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                    if (message.triggeredAtMs != null && $Object.hasOwnProperty.call(message, "triggeredAtMs") && (typeof message.triggeredAtMs === "object" ? message.triggeredAtMs.low || message.triggeredAtMs.high : message.triggeredAtMs !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).int64(message.triggeredAtMs);
                    if (message.relatedSeq != null && $Object.hasOwnProperty.call(message, "relatedSeq") && (typeof message.relatedSeq === "object" ? message.relatedSeq.low || message.relatedSeq.high : message.relatedSeq !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.relatedSeq);
                    if (message.windowBaseTimeMs != null && $Object.hasOwnProperty.call(message, "windowBaseTimeMs") && (typeof message.windowBaseTimeMs === "object" ? message.windowBaseTimeMs.low || message.windowBaseTimeMs.high : message.windowBaseTimeMs !== 0))
                        writer.uint32(/* id 4, wireType 0 =*/32).int64(message.windowBaseTimeMs);
                    if (message.window != null && message.window.length)
                        for (let i = 0; i < message.window.length; ++i)
                            $root.fleetline.telemetry.v1.SignalSeries.encode(message.window[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a TriggerCapture message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.TriggerCapture
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.TriggerCapture & fleetline.telemetry.v1.TriggerCapture.$Shape} TriggerCapture
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TriggerCapture.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.TriggerCapture();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.name = value;
                                else
                                    delete message.name;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.triggeredAtMs = value;
                                else
                                    delete message.triggeredAtMs;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.relatedSeq = value;
                                else
                                    delete message.relatedSeq;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.windowBaseTimeMs = value;
                                else
                                    delete message.windowBaseTimeMs;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.window && message.window.length))
                                    message.window = [];
                                message.window.push($root.fleetline.telemetry.v1.SignalSeries.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return TriggerCapture;
            })();

            v1.TelemetryBatch = (function() {

                /**
                 * Properties of a TelemetryBatch.
                 * @typedef {Object} fleetline.telemetry.v1.TelemetryBatch.$Properties
                 * @property {string|null} [deviceId] TelemetryBatch deviceId
                 * @property {number|null} [seq] TelemetryBatch seq
                 * @property {number|null} [baseTimeMs] TelemetryBatch baseTimeMs
                 * @property {Array.<fleetline.telemetry.v1.SignalSeries.$Properties>|null} [series] TelemetryBatch series
                 * @property {number|null} [seqEpoch] TelemetryBatch seqEpoch
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a TelemetryBatch.
                 * @memberof fleetline.telemetry.v1
                 * @interface ITelemetryBatch
                 * @augments fleetline.telemetry.v1.TelemetryBatch.$Properties
                 * @deprecated Use fleetline.telemetry.v1.TelemetryBatch.$Properties instead.
                 */

                /**
                 * Shape of a TelemetryBatch.
                 * @typedef {fleetline.telemetry.v1.TelemetryBatch.$Properties} fleetline.telemetry.v1.TelemetryBatch.$Shape
                 */

                /**
                 * Constructs a new TelemetryBatch.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a TelemetryBatch.
                 * @constructor
                 * @param {fleetline.telemetry.v1.TelemetryBatch.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const TelemetryBatch = function (properties) {
                    this.series = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * TelemetryBatch deviceId.
                 * @member {string} deviceId
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.deviceId = "";

                /**
                 * TelemetryBatch seq.
                 * @member {number} seq
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * TelemetryBatch baseTimeMs.
                 * @member {number} baseTimeMs
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.baseTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * TelemetryBatch series.
                 * @member {Array.<fleetline.telemetry.v1.SignalSeries.$Properties>} series
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.series = $util.emptyArray;

                /**
                 * TelemetryBatch seqEpoch.
                 * @member {number} seqEpoch
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.seqEpoch = 0;

                /**
                 * Creates a new TelemetryBatch instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {fleetline.telemetry.v1.TelemetryBatch.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.TelemetryBatch} TelemetryBatch instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.TelemetryBatch.$Shape): fleetline.telemetry.v1.TelemetryBatch & fleetline.telemetry.v1.TelemetryBatch.$Shape;
                 *   (properties?: fleetline.telemetry.v1.TelemetryBatch.$Properties): fleetline.telemetry.v1.TelemetryBatch;
                 * }}
                 */
                TelemetryBatch.create = function(properties) {
                    return new TelemetryBatch(properties);
                };

                /**
                 * Encodes the specified TelemetryBatch message. Does not implicitly {@link fleetline.telemetry.v1.TelemetryBatch.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {fleetline.telemetry.v1.TelemetryBatch.$Properties} message TelemetryBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TelemetryBatch.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.deviceId);
                    if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.seq);
                    if (message.baseTimeMs != null && $Object.hasOwnProperty.call(message, "baseTimeMs") && (typeof message.baseTimeMs === "object" ? message.baseTimeMs.low || message.baseTimeMs.high : message.baseTimeMs !== 0))
                        writer.uint32(/* id 3, wireType 0 =*/24).int64(message.baseTimeMs);
                    if (message.series != null && message.series.length)
                        for (let i = 0; i < message.series.length; ++i)
                            $root.fleetline.telemetry.v1.SignalSeries.encode(message.series[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.seqEpoch != null && $Object.hasOwnProperty.call(message, "seqEpoch") && message.seqEpoch !== 0)
                        writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.seqEpoch);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a TelemetryBatch message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.TelemetryBatch & fleetline.telemetry.v1.TelemetryBatch.$Shape} TelemetryBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TelemetryBatch.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.TelemetryBatch();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.seq = value;
                                else
                                    delete message.seq;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.baseTimeMs = value;
                                else
                                    delete message.baseTimeMs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.series && message.series.length))
                                    message.series = [];
                                message.series.push($root.fleetline.telemetry.v1.SignalSeries.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.seqEpoch = value;
                                else
                                    delete message.seqEpoch;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return TelemetryBatch;
            })();

            v1.SignalSeries = (function() {

                /**
                 * Properties of a SignalSeries.
                 * @typedef {Object} fleetline.telemetry.v1.SignalSeries.$Properties
                 * @property {number|null} [signalId] SignalSeries signalId
                 * @property {Array.<number>|null} [timeDeltaMs] SignalSeries timeDeltaMs
                 * @property {number|null} [intervalMs] SignalSeries intervalMs
                 * @property {Array.<number>|null} [valueDelta] SignalSeries valueDelta
                 * @property {Array.<number>|null} [value] SignalSeries value
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a SignalSeries.
                 * @memberof fleetline.telemetry.v1
                 * @interface ISignalSeries
                 * @augments fleetline.telemetry.v1.SignalSeries.$Properties
                 * @deprecated Use fleetline.telemetry.v1.SignalSeries.$Properties instead.
                 */

                /**
                 * Shape of a SignalSeries.
                 * @typedef {fleetline.telemetry.v1.SignalSeries.$Properties} fleetline.telemetry.v1.SignalSeries.$Shape
                 */

                /**
                 * Constructs a new SignalSeries.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a SignalSeries.
                 * @constructor
                 * @param {fleetline.telemetry.v1.SignalSeries.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SignalSeries = function (properties) {
                    this.timeDeltaMs = [];
                    this.valueDelta = [];
                    this.value = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * SignalSeries signalId.
                 * @member {number} signalId
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @instance
                 */
                SignalSeries.prototype.signalId = 0;

                /**
                 * SignalSeries timeDeltaMs.
                 * @member {Array.<number>} timeDeltaMs
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @instance
                 */
                SignalSeries.prototype.timeDeltaMs = $util.emptyArray;

                /**
                 * SignalSeries intervalMs.
                 * @member {number} intervalMs
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @instance
                 */
                SignalSeries.prototype.intervalMs = 0;

                /**
                 * SignalSeries valueDelta.
                 * @member {Array.<number>} valueDelta
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @instance
                 */
                SignalSeries.prototype.valueDelta = $util.emptyArray;

                /**
                 * SignalSeries value.
                 * @member {Array.<number>} value
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @instance
                 */
                SignalSeries.prototype.value = $util.emptyArray;

                /**
                 * Creates a new SignalSeries instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @static
                 * @param {fleetline.telemetry.v1.SignalSeries.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.SignalSeries} SignalSeries instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.SignalSeries.$Shape): fleetline.telemetry.v1.SignalSeries & fleetline.telemetry.v1.SignalSeries.$Shape;
                 *   (properties?: fleetline.telemetry.v1.SignalSeries.$Properties): fleetline.telemetry.v1.SignalSeries;
                 * }}
                 */
                SignalSeries.create = function(properties) {
                    return new SignalSeries(properties);
                };

                /**
                 * Encodes the specified SignalSeries message. Does not implicitly {@link fleetline.telemetry.v1.SignalSeries.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @static
                 * @param {fleetline.telemetry.v1.SignalSeries.$Properties} message SignalSeries message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SignalSeries.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.signalId != null && $Object.hasOwnProperty.call(message, "signalId") && message.signalId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.signalId);
                    if (message.timeDeltaMs != null && message.timeDeltaMs.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).uint32s(message.timeDeltaMs);
                    if (message.intervalMs != null && $Object.hasOwnProperty.call(message, "intervalMs") && message.intervalMs !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.intervalMs);
                    if (message.valueDelta != null && message.valueDelta.length)
                        writer.uint32(/* id 4, wireType 2 =*/34).sint64s(message.valueDelta);
                    if (message.value != null && message.value.length)
                        writer.uint32(/* id 5, wireType 2 =*/42).doubles(message.value);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a SignalSeries message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.SignalSeries
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.SignalSeries & fleetline.telemetry.v1.SignalSeries.$Shape} SignalSeries
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SignalSeries.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.SignalSeries();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.signalId = value;
                                else
                                    delete message.signalId;
                                continue;
                            }
                        case 2: {
                                if (wireType === 2) {
                                    if (!(message.timeDeltaMs && message.timeDeltaMs.length))
                                        message.timeDeltaMs = [];
                                    reader.uint32s(message.timeDeltaMs);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.timeDeltaMs && message.timeDeltaMs.length))
                                    message.timeDeltaMs = [];
                                message.timeDeltaMs.push(reader.uint32());
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.intervalMs = value;
                                else
                                    delete message.intervalMs;
                                continue;
                            }
                        case 4: {
                                if (wireType === 2) {
                                    if (!(message.valueDelta && message.valueDelta.length))
                                        message.valueDelta = [];
                                    reader.sint64s(message.valueDelta);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.valueDelta && message.valueDelta.length))
                                    message.valueDelta = [];
                                message.valueDelta.push(reader.sint64());
                                continue;
                            }
                        case 5: {
                                if (wireType === 2) {
                                    if (!(message.value && message.value.length))
                                        message.value = [];
                                    reader.doubles(message.value);
                                    continue;
                                }
                                if (wireType !== 1)
                                    break;
                                if (!(message.value && message.value.length))
                                    message.value = [];
                                message.value.push(reader.double());
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return SignalSeries;
            })();

            v1.ServiceUpdate = (function() {

                /**
                 * Properties of a ServiceUpdate.
                 * @typedef {Object} fleetline.telemetry.v1.ServiceUpdate.$Properties
                 * @property {string|null} [deviceId] ServiceUpdate deviceId
                 * @property {number|null} [timeMs] ServiceUpdate timeMs
                 * @property {fleetline.telemetry.v1.ServicePlan.$Properties|null} [plan] ServiceUpdate plan
                 * @property {fleetline.telemetry.v1.Serviced.$Properties|null} [serviced] ServiceUpdate serviced
                 * @property {"plan"|"serviced"} [change] ServiceUpdate change
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ServiceUpdate.
                 * @memberof fleetline.telemetry.v1
                 * @interface IServiceUpdate
                 * @augments fleetline.telemetry.v1.ServiceUpdate.$Properties
                 * @deprecated Use fleetline.telemetry.v1.ServiceUpdate.$Properties instead.
                 */

                /**
                 * Narrowed shape of a ServiceUpdate.
                 * @typedef {{
                 *   deviceId?: string|null;
                 *   timeMs?: number|null;
                 *   plan?: fleetline.telemetry.v1.ServicePlan.$Shape|null;
                 *   serviced?: fleetline.telemetry.v1.Serviced.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ change?: undefined; plan?: null; serviced?: null }|{ change?: "plan"; plan: fleetline.telemetry.v1.ServicePlan.$Shape; serviced?: null }|{ change?: "serviced"; plan?: null; serviced: fleetline.telemetry.v1.Serviced.$Shape })
                 * )} fleetline.telemetry.v1.ServiceUpdate.$Shape
                 */

                /**
                 * Constructs a new ServiceUpdate.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a ServiceUpdate.
                 * @constructor
                 * @param {fleetline.telemetry.v1.ServiceUpdate.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const ServiceUpdate = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * ServiceUpdate deviceId.
                 * @member {string} deviceId
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @instance
                 */
                ServiceUpdate.prototype.deviceId = "";

                /**
                 * ServiceUpdate timeMs.
                 * @member {number} timeMs
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @instance
                 */
                ServiceUpdate.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * ServiceUpdate plan.
                 * @member {fleetline.telemetry.v1.ServicePlan.$Properties|null|undefined} plan
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @instance
                 */
                ServiceUpdate.prototype.plan = null;

                /**
                 * ServiceUpdate serviced.
                 * @member {fleetline.telemetry.v1.Serviced.$Properties|null|undefined} serviced
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @instance
                 */
                ServiceUpdate.prototype.serviced = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * ServiceUpdate change.
                 * @member {"plan"|"serviced"|undefined} change
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @instance
                 */
                $Object.defineProperty(ServiceUpdate.prototype, "change", {
                    get: $util.oneOfGetter($oneOfFields = ["plan", "serviced"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new ServiceUpdate instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @static
                 * @param {fleetline.telemetry.v1.ServiceUpdate.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.ServiceUpdate} ServiceUpdate instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.ServiceUpdate.$Shape): fleetline.telemetry.v1.ServiceUpdate & fleetline.telemetry.v1.ServiceUpdate.$Shape;
                 *   (properties?: fleetline.telemetry.v1.ServiceUpdate.$Properties): fleetline.telemetry.v1.ServiceUpdate;
                 * }}
                 */
                ServiceUpdate.create = function(properties) {
                    return new ServiceUpdate(properties);
                };

                /**
                 * Encodes the specified ServiceUpdate message. Does not implicitly {@link fleetline.telemetry.v1.ServiceUpdate.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @static
                 * @param {fleetline.telemetry.v1.ServiceUpdate.$Properties} message ServiceUpdate message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ServiceUpdate.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.deviceId);
                    if (message.timeMs != null && $Object.hasOwnProperty.call(message, "timeMs") && (typeof message.timeMs === "object" ? message.timeMs.low || message.timeMs.high : message.timeMs !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).int64(message.timeMs);
                    if (message.plan != null && $Object.hasOwnProperty.call(message, "plan"))
                        $root.fleetline.telemetry.v1.ServicePlan.encode(message.plan, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.serviced != null && $Object.hasOwnProperty.call(message, "serviced"))
                        $root.fleetline.telemetry.v1.Serviced.encode(message.serviced, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a ServiceUpdate message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.ServiceUpdate
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.ServiceUpdate & fleetline.telemetry.v1.ServiceUpdate.$Shape} ServiceUpdate
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ServiceUpdate.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.ServiceUpdate();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.timeMs = value;
                                else
                                    delete message.timeMs;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.plan = $root.fleetline.telemetry.v1.ServicePlan.decode(reader, reader.size(), $undefined, _depth + 1, message.plan);
                                message.change = "plan";
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.serviced = $root.fleetline.telemetry.v1.Serviced.decode(reader, reader.size(), $undefined, _depth + 1, message.serviced);
                                message.change = "serviced";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return ServiceUpdate;
            })();

            v1.ServicePlan = (function() {

                /**
                 * Properties of a ServicePlan.
                 * @typedef {Object} fleetline.telemetry.v1.ServicePlan.$Properties
                 * @property {number|null} [intervalKm] ServicePlan intervalKm
                 * @property {number|null} [intervalDays] ServicePlan intervalDays
                 * @property {number|null} [aheadKm] ServicePlan aheadKm
                 * @property {number|null} [aheadDays] ServicePlan aheadDays
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ServicePlan.
                 * @memberof fleetline.telemetry.v1
                 * @interface IServicePlan
                 * @augments fleetline.telemetry.v1.ServicePlan.$Properties
                 * @deprecated Use fleetline.telemetry.v1.ServicePlan.$Properties instead.
                 */

                /**
                 * Shape of a ServicePlan.
                 * @typedef {fleetline.telemetry.v1.ServicePlan.$Properties} fleetline.telemetry.v1.ServicePlan.$Shape
                 */

                /**
                 * Constructs a new ServicePlan.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a ServicePlan.
                 * @constructor
                 * @param {fleetline.telemetry.v1.ServicePlan.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const ServicePlan = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * ServicePlan intervalKm.
                 * @member {number} intervalKm
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @instance
                 */
                ServicePlan.prototype.intervalKm = 0;

                /**
                 * ServicePlan intervalDays.
                 * @member {number} intervalDays
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @instance
                 */
                ServicePlan.prototype.intervalDays = 0;

                /**
                 * ServicePlan aheadKm.
                 * @member {number} aheadKm
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @instance
                 */
                ServicePlan.prototype.aheadKm = 0;

                /**
                 * ServicePlan aheadDays.
                 * @member {number} aheadDays
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @instance
                 */
                ServicePlan.prototype.aheadDays = 0;

                /**
                 * Creates a new ServicePlan instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @static
                 * @param {fleetline.telemetry.v1.ServicePlan.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.ServicePlan} ServicePlan instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.ServicePlan.$Shape): fleetline.telemetry.v1.ServicePlan & fleetline.telemetry.v1.ServicePlan.$Shape;
                 *   (properties?: fleetline.telemetry.v1.ServicePlan.$Properties): fleetline.telemetry.v1.ServicePlan;
                 * }}
                 */
                ServicePlan.create = function(properties) {
                    return new ServicePlan(properties);
                };

                /**
                 * Encodes the specified ServicePlan message. Does not implicitly {@link fleetline.telemetry.v1.ServicePlan.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @static
                 * @param {fleetline.telemetry.v1.ServicePlan.$Properties} message ServicePlan message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ServicePlan.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.intervalKm != null && $Object.hasOwnProperty.call(message, "intervalKm") && !$Object.is(message.intervalKm, 0))
                        writer.uint32(/* id 1, wireType 1 =*/9).double(message.intervalKm);
                    if (message.intervalDays != null && $Object.hasOwnProperty.call(message, "intervalDays") && !$Object.is(message.intervalDays, 0))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.intervalDays);
                    if (message.aheadKm != null && $Object.hasOwnProperty.call(message, "aheadKm") && !$Object.is(message.aheadKm, 0))
                        writer.uint32(/* id 3, wireType 1 =*/25).double(message.aheadKm);
                    if (message.aheadDays != null && $Object.hasOwnProperty.call(message, "aheadDays") && !$Object.is(message.aheadDays, 0))
                        writer.uint32(/* id 4, wireType 1 =*/33).double(message.aheadDays);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a ServicePlan message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.ServicePlan
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.ServicePlan & fleetline.telemetry.v1.ServicePlan.$Shape} ServicePlan
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ServicePlan.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.ServicePlan();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.intervalKm = value;
                                else
                                    delete message.intervalKm;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.intervalDays = value;
                                else
                                    delete message.intervalDays;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.aheadKm = value;
                                else
                                    delete message.aheadKm;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.aheadDays = value;
                                else
                                    delete message.aheadDays;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return ServicePlan;
            })();

            v1.Serviced = (function() {

                /**
                 * Properties of a Serviced.
                 * @typedef {Object} fleetline.telemetry.v1.Serviced.$Properties
                 * @property {string|null} [serviceId] Serviced serviceId
                 * @property {number|null} [odometerKm] Serviced odometerKm
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Serviced.
                 * @memberof fleetline.telemetry.v1
                 * @interface IServiced
                 * @augments fleetline.telemetry.v1.Serviced.$Properties
                 * @deprecated Use fleetline.telemetry.v1.Serviced.$Properties instead.
                 */

                /**
                 * Shape of a Serviced.
                 * @typedef {fleetline.telemetry.v1.Serviced.$Properties} fleetline.telemetry.v1.Serviced.$Shape
                 */

                /**
                 * Constructs a new Serviced.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a Serviced.
                 * @constructor
                 * @param {fleetline.telemetry.v1.Serviced.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Serviced = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Serviced serviceId.
                 * @member {string} serviceId
                 * @memberof fleetline.telemetry.v1.Serviced
                 * @instance
                 */
                Serviced.prototype.serviceId = "";

                /**
                 * Serviced odometerKm.
                 * @member {number} odometerKm
                 * @memberof fleetline.telemetry.v1.Serviced
                 * @instance
                 */
                Serviced.prototype.odometerKm = 0;

                /**
                 * Creates a new Serviced instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.Serviced
                 * @static
                 * @param {fleetline.telemetry.v1.Serviced.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.Serviced} Serviced instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.Serviced.$Shape): fleetline.telemetry.v1.Serviced & fleetline.telemetry.v1.Serviced.$Shape;
                 *   (properties?: fleetline.telemetry.v1.Serviced.$Properties): fleetline.telemetry.v1.Serviced;
                 * }}
                 */
                Serviced.create = function(properties) {
                    return new Serviced(properties);
                };

                /**
                 * Encodes the specified Serviced message. Does not implicitly {@link fleetline.telemetry.v1.Serviced.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.Serviced
                 * @static
                 * @param {fleetline.telemetry.v1.Serviced.$Properties} message Serviced message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Serviced.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.serviceId != null && $Object.hasOwnProperty.call(message, "serviceId") && message.serviceId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.serviceId);
                    if (message.odometerKm != null && $Object.hasOwnProperty.call(message, "odometerKm") && !$Object.is(message.odometerKm, 0))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.odometerKm);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Serviced message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.Serviced
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.Serviced & fleetline.telemetry.v1.Serviced.$Shape} Serviced
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Serviced.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.Serviced();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.serviceId = value;
                                else
                                    delete message.serviceId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.odometerKm = value;
                                else
                                    delete message.odometerKm;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Serviced;
            })();

            v1.DeviceStatus = (function() {

                /**
                 * Properties of a DeviceStatus.
                 * @typedef {Object} fleetline.telemetry.v1.DeviceStatus.$Properties
                 * @property {string|null} [deviceId] DeviceStatus deviceId
                 * @property {number|null} [timeMs] DeviceStatus timeMs
                 * @property {fleetline.telemetry.v1.DeviceState|null} [state] DeviceStatus state
                 * @property {string|null} [agentVersion] DeviceStatus agentVersion
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a DeviceStatus.
                 * @memberof fleetline.telemetry.v1
                 * @interface IDeviceStatus
                 * @augments fleetline.telemetry.v1.DeviceStatus.$Properties
                 * @deprecated Use fleetline.telemetry.v1.DeviceStatus.$Properties instead.
                 */

                /**
                 * Shape of a DeviceStatus.
                 * @typedef {fleetline.telemetry.v1.DeviceStatus.$Properties} fleetline.telemetry.v1.DeviceStatus.$Shape
                 */

                /**
                 * Constructs a new DeviceStatus.
                 * @memberof fleetline.telemetry.v1
                 * @classdesc Represents a DeviceStatus.
                 * @constructor
                 * @param {fleetline.telemetry.v1.DeviceStatus.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const DeviceStatus = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * DeviceStatus deviceId.
                 * @member {string} deviceId
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @instance
                 */
                DeviceStatus.prototype.deviceId = "";

                /**
                 * DeviceStatus timeMs.
                 * @member {number} timeMs
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @instance
                 */
                DeviceStatus.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

                /**
                 * DeviceStatus state.
                 * @member {fleetline.telemetry.v1.DeviceState} state
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @instance
                 */
                DeviceStatus.prototype.state = 0;

                /**
                 * DeviceStatus agentVersion.
                 * @member {string} agentVersion
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @instance
                 */
                DeviceStatus.prototype.agentVersion = "";

                /**
                 * Creates a new DeviceStatus instance using the specified properties.
                 * @function create
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @static
                 * @param {fleetline.telemetry.v1.DeviceStatus.$Properties=} [properties] Properties to set
                 * @returns {fleetline.telemetry.v1.DeviceStatus} DeviceStatus instance
                 * @type {{
                 *   (properties: fleetline.telemetry.v1.DeviceStatus.$Shape): fleetline.telemetry.v1.DeviceStatus & fleetline.telemetry.v1.DeviceStatus.$Shape;
                 *   (properties?: fleetline.telemetry.v1.DeviceStatus.$Properties): fleetline.telemetry.v1.DeviceStatus;
                 * }}
                 */
                DeviceStatus.create = function(properties) {
                    return new DeviceStatus(properties);
                };

                /**
                 * Encodes the specified DeviceStatus message. Does not implicitly {@link fleetline.telemetry.v1.DeviceStatus.verify|verify} messages.
                 * @function encode
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @static
                 * @param {fleetline.telemetry.v1.DeviceStatus.$Properties} message DeviceStatus message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                DeviceStatus.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.deviceId);
                    if (message.timeMs != null && $Object.hasOwnProperty.call(message, "timeMs") && (typeof message.timeMs === "object" ? message.timeMs.low || message.timeMs.high : message.timeMs !== 0))
                        writer.uint32(/* id 2, wireType 0 =*/16).int64(message.timeMs);
                    if (message.state != null && $Object.hasOwnProperty.call(message, "state") && message.state !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).int32(message.state);
                    if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion") && message.agentVersion !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.agentVersion);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a DeviceStatus message from the specified reader or buffer.
                 * @function decode
                 * @memberof fleetline.telemetry.v1.DeviceStatus
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fleetline.telemetry.v1.DeviceStatus & fleetline.telemetry.v1.DeviceStatus.$Shape} DeviceStatus
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                DeviceStatus.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fleetline.telemetry.v1.DeviceStatus();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                    message.timeMs = value;
                                else
                                    delete message.timeMs;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.state = value;
                                else
                                    delete message.state;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.agentVersion = value;
                                else
                                    delete message.agentVersion;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return DeviceStatus;
            })();

            /**
             * DeviceState enum.
             * @name fleetline.telemetry.v1.DeviceState
             * @enum {number}
             * @property {number} DEVICE_STATE_UNSPECIFIED=0 DEVICE_STATE_UNSPECIFIED value
             * @property {number} DEVICE_STATE_ONLINE=1 DEVICE_STATE_ONLINE value
             * @property {number} DEVICE_STATE_OFFLINE=2 DEVICE_STATE_OFFLINE value
             */
            v1.DeviceState = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "DEVICE_STATE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "DEVICE_STATE_ONLINE"] = 1;
                values[valuesById[2] = "DEVICE_STATE_OFFLINE"] = 2;
                return values;
            })();

            return v1;
        })();

        return telemetry;
    })();

    return fleetline;
})();

export {
  $root as default
};
