import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace fleetline {

    namespace telemetry {

        namespace v1 {

            interface IAlertChange extends fleetline.telemetry.v1.AlertChange.$Properties {
            }

            class AlertChange {
                constructor(properties?: fleetline.telemetry.v1.AlertChange.$Properties);
                $unknowns?: Uint8Array[];
                alertId: string;
                deviceId: string;
                type: fleetline.telemetry.v1.AlertType;
                severity: fleetline.telemetry.v1.AlertSeverity;
                transition: fleetline.telemetry.v1.AlertTransition;
                conditionKey: string;
                timeMs: number;
                evidence: { [k: string]: fleetline.telemetry.v1.EvidenceValue.$Properties };
                clearsWhen: string;
                static create(properties: fleetline.telemetry.v1.AlertChange.$Shape): fleetline.telemetry.v1.AlertChange & fleetline.telemetry.v1.AlertChange.$Shape;
                static create(properties?: fleetline.telemetry.v1.AlertChange.$Properties): fleetline.telemetry.v1.AlertChange;
                static encode(message: fleetline.telemetry.v1.AlertChange.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.AlertChange & fleetline.telemetry.v1.AlertChange.$Shape;
            }

            namespace AlertChange {
                interface $Properties {
                    alertId?: (string|null);
                    deviceId?: (string|null);
                    type?: (fleetline.telemetry.v1.AlertType|null);
                    severity?: (fleetline.telemetry.v1.AlertSeverity|null);
                    transition?: (fleetline.telemetry.v1.AlertTransition|null);
                    conditionKey?: (string|null);
                    timeMs?: (number|null);
                    evidence?: ({ [k: string]: fleetline.telemetry.v1.EvidenceValue.$Properties }|null);
                    clearsWhen?: (string|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = {
                  alertId?: string|null;
                  deviceId?: string|null;
                  type?: fleetline.telemetry.v1.AlertType|null;
                  severity?: fleetline.telemetry.v1.AlertSeverity|null;
                  transition?: fleetline.telemetry.v1.AlertTransition|null;
                  conditionKey?: string|null;
                  timeMs?: number|null;
                  evidence?: { [k: string]: fleetline.telemetry.v1.EvidenceValue.$Shape }|null;
                  clearsWhen?: string|null;
                  $unknowns?: Uint8Array[];
                };
            }

            interface IEvidenceValue extends fleetline.telemetry.v1.EvidenceValue.$Properties {
            }

            class EvidenceValue {
                constructor(properties?: fleetline.telemetry.v1.EvidenceValue.$Properties);
                $unknowns?: Uint8Array[];
                number?: (number|null);
                text?: (string|null);
                value?: ("number"|"text");
                static create(properties: fleetline.telemetry.v1.EvidenceValue.$Shape): fleetline.telemetry.v1.EvidenceValue & fleetline.telemetry.v1.EvidenceValue.$Shape;
                static create(properties?: fleetline.telemetry.v1.EvidenceValue.$Properties): fleetline.telemetry.v1.EvidenceValue;
                static encode(message: fleetline.telemetry.v1.EvidenceValue.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.EvidenceValue & fleetline.telemetry.v1.EvidenceValue.$Shape;
            }

            namespace EvidenceValue {
                interface $Properties {
                    number?: (number|null);
                    text?: (string|null);
                    value?: ("number"|"text");
                    $unknowns?: Uint8Array[];
                }
                type $Shape = {
                  number?: number|null;
                  text?: string|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ value?: undefined; number?: null; text?: null }|{ value?: "number"; number: number; text?: null }|{ value?: "text"; number?: null; text: string })
                );
            }

            enum AlertType {
                ALERT_TYPE_UNSPECIFIED = 0,
                ALERT_TYPE_COLLISION = 1,
                ALERT_TYPE_HARSH_BRAKING = 2,
                ALERT_TYPE_HARSH_ACCELERATION = 3,
                ALERT_TYPE_HARSH_CORNERING = 4,
                ALERT_TYPE_MAINTENANCE_DUE = 5,
                ALERT_TYPE_DTC = 6,
                ALERT_TYPE_LOW_BATTERY = 7,
                ALERT_TYPE_OVERHEAT = 8,
                ALERT_TYPE_LOW_FUEL = 9,
                ALERT_TYPE_OFFLINE = 10
            }

            enum AlertSeverity {
                ALERT_SEVERITY_UNSPECIFIED = 0,
                ALERT_SEVERITY_INFO = 1,
                ALERT_SEVERITY_WARNING = 2,
                ALERT_SEVERITY_CRITICAL = 3
            }

            enum AlertTransition {
                ALERT_TRANSITION_UNSPECIFIED = 0,
                ALERT_TRANSITION_RAISED = 1,
                ALERT_TRANSITION_CLEARED = 2
            }

            interface ICommand extends fleetline.telemetry.v1.Command.$Properties {
            }

            class Command {
                constructor(properties?: fleetline.telemetry.v1.Command.$Properties);
                $unknowns?: Uint8Array[];
                commandId: string;
                deviceId: string;
                issuedAtMs: number;
                expiresAtMs: number;
                ping?: (fleetline.telemetry.v1.Ping.$Properties|null);
                setConfig?: (fleetline.telemetry.v1.SetConfig.$Properties|null);
                action?: ("ping"|"setConfig");
                static create(properties: fleetline.telemetry.v1.Command.$Shape): fleetline.telemetry.v1.Command & fleetline.telemetry.v1.Command.$Shape;
                static create(properties?: fleetline.telemetry.v1.Command.$Properties): fleetline.telemetry.v1.Command;
                static encode(message: fleetline.telemetry.v1.Command.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.Command & fleetline.telemetry.v1.Command.$Shape;
            }

            namespace Command {
                interface $Properties {
                    commandId?: (string|null);
                    deviceId?: (string|null);
                    issuedAtMs?: (number|null);
                    expiresAtMs?: (number|null);
                    ping?: (fleetline.telemetry.v1.Ping.$Properties|null);
                    setConfig?: (fleetline.telemetry.v1.SetConfig.$Properties|null);
                    action?: ("ping"|"setConfig");
                    $unknowns?: Uint8Array[];
                }
                type $Shape = {
                  commandId?: string|null;
                  deviceId?: string|null;
                  issuedAtMs?: number|null;
                  expiresAtMs?: number|null;
                  ping?: fleetline.telemetry.v1.Ping.$Shape|null;
                  setConfig?: fleetline.telemetry.v1.SetConfig.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ action?: undefined; ping?: null; setConfig?: null }|{ action?: "ping"; ping: fleetline.telemetry.v1.Ping.$Shape; setConfig?: null }|{ action?: "setConfig"; ping?: null; setConfig: fleetline.telemetry.v1.SetConfig.$Shape })
                );
            }

            interface IPing extends fleetline.telemetry.v1.Ping.$Properties {
            }

            class Ping {
                constructor(properties?: fleetline.telemetry.v1.Ping.$Properties);
                $unknowns?: Uint8Array[];
                static create(properties: fleetline.telemetry.v1.Ping.$Shape): fleetline.telemetry.v1.Ping & fleetline.telemetry.v1.Ping.$Shape;
                static create(properties?: fleetline.telemetry.v1.Ping.$Properties): fleetline.telemetry.v1.Ping;
                static encode(message: fleetline.telemetry.v1.Ping.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.Ping & fleetline.telemetry.v1.Ping.$Shape;
            }

            namespace Ping {
                interface $Properties {
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.Ping.$Properties;
            }

            interface ISetConfig extends fleetline.telemetry.v1.SetConfig.$Properties {
            }

            class SetConfig {
                constructor(properties?: fleetline.telemetry.v1.SetConfig.$Properties);
                $unknowns?: Uint8Array[];
                values: { [k: string]: string };
                static create(properties: fleetline.telemetry.v1.SetConfig.$Shape): fleetline.telemetry.v1.SetConfig & fleetline.telemetry.v1.SetConfig.$Shape;
                static create(properties?: fleetline.telemetry.v1.SetConfig.$Properties): fleetline.telemetry.v1.SetConfig;
                static encode(message: fleetline.telemetry.v1.SetConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.SetConfig & fleetline.telemetry.v1.SetConfig.$Shape;
            }

            namespace SetConfig {
                interface $Properties {
                    values?: ({ [k: string]: string }|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.SetConfig.$Properties;
            }

            interface IEvent extends fleetline.telemetry.v1.Event.$Properties {
            }

            class Event {
                constructor(properties?: fleetline.telemetry.v1.Event.$Properties);
                $unknowns?: Uint8Array[];
                deviceId: string;
                seq: number;
                timeMs: number;
                seqEpoch: number;
                collision?: (fleetline.telemetry.v1.Collision.$Properties|null);
                troubleCodes?: (fleetline.telemetry.v1.TroubleCodes.$Properties|null);
                triggerCapture?: (fleetline.telemetry.v1.TriggerCapture.$Properties|null);
                payload?: ("collision"|"troubleCodes"|"triggerCapture");
                static create(properties: fleetline.telemetry.v1.Event.$Shape): fleetline.telemetry.v1.Event & fleetline.telemetry.v1.Event.$Shape;
                static create(properties?: fleetline.telemetry.v1.Event.$Properties): fleetline.telemetry.v1.Event;
                static encode(message: fleetline.telemetry.v1.Event.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.Event & fleetline.telemetry.v1.Event.$Shape;
            }

            namespace Event {
                interface $Properties {
                    deviceId?: (string|null);
                    seq?: (number|null);
                    timeMs?: (number|null);
                    seqEpoch?: (number|null);
                    collision?: (fleetline.telemetry.v1.Collision.$Properties|null);
                    troubleCodes?: (fleetline.telemetry.v1.TroubleCodes.$Properties|null);
                    triggerCapture?: (fleetline.telemetry.v1.TriggerCapture.$Properties|null);
                    payload?: ("collision"|"troubleCodes"|"triggerCapture");
                    $unknowns?: Uint8Array[];
                }
                type $Shape = {
                  deviceId?: string|null;
                  seq?: number|null;
                  timeMs?: number|null;
                  seqEpoch?: number|null;
                  collision?: fleetline.telemetry.v1.Collision.$Shape|null;
                  troubleCodes?: fleetline.telemetry.v1.TroubleCodes.$Shape|null;
                  triggerCapture?: fleetline.telemetry.v1.TriggerCapture.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ payload?: undefined; collision?: null; troubleCodes?: null; triggerCapture?: null }|{ payload?: "collision"; collision: fleetline.telemetry.v1.Collision.$Shape; troubleCodes?: null; triggerCapture?: null }|{ payload?: "troubleCodes"; collision?: null; troubleCodes: fleetline.telemetry.v1.TroubleCodes.$Shape; triggerCapture?: null }|{ payload?: "triggerCapture"; collision?: null; troubleCodes?: null; triggerCapture: fleetline.telemetry.v1.TriggerCapture.$Shape })
                );
            }

            enum Severity {
                SEVERITY_UNSPECIFIED = 0,
                SEVERITY_MINOR = 1,
                SEVERITY_SEVERE = 2
            }

            enum ImpactDirection {
                IMPACT_DIRECTION_UNSPECIFIED = 0,
                IMPACT_DIRECTION_FRONT = 1,
                IMPACT_DIRECTION_REAR = 2,
                IMPACT_DIRECTION_LEFT = 3,
                IMPACT_DIRECTION_RIGHT = 4,
                IMPACT_DIRECTION_ROLLOVER = 5
            }

            interface ICollision extends fleetline.telemetry.v1.Collision.$Properties {
            }

            class Collision {
                constructor(properties?: fleetline.telemetry.v1.Collision.$Properties);
                $unknowns?: Uint8Array[];
                severity: fleetline.telemetry.v1.Severity;
                peakG: number;
                deltaVKmh: number;
                direction: fleetline.telemetry.v1.ImpactDirection;
                latitude?: (number|null);
                longitude?: (number|null);
                speedBeforeKmh: number;
                windowBaseTimeMs: number;
                window: fleetline.telemetry.v1.SignalSeries.$Properties[];
                static create(properties: fleetline.telemetry.v1.Collision.$Shape): fleetline.telemetry.v1.Collision & fleetline.telemetry.v1.Collision.$Shape;
                static create(properties?: fleetline.telemetry.v1.Collision.$Properties): fleetline.telemetry.v1.Collision;
                static encode(message: fleetline.telemetry.v1.Collision.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.Collision & fleetline.telemetry.v1.Collision.$Shape;
            }

            namespace Collision {
                interface $Properties {
                    severity?: (fleetline.telemetry.v1.Severity|null);
                    peakG?: (number|null);
                    deltaVKmh?: (number|null);
                    direction?: (fleetline.telemetry.v1.ImpactDirection|null);
                    latitude?: (number|null);
                    longitude?: (number|null);
                    speedBeforeKmh?: (number|null);
                    windowBaseTimeMs?: (number|null);
                    window?: (fleetline.telemetry.v1.SignalSeries.$Properties[]|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.Collision.$Properties;
            }

            interface ITroubleCodes extends fleetline.telemetry.v1.TroubleCodes.$Properties {
            }

            class TroubleCodes {
                constructor(properties?: fleetline.telemetry.v1.TroubleCodes.$Properties);
                $unknowns?: Uint8Array[];
                codes: string[];
                static create(properties: fleetline.telemetry.v1.TroubleCodes.$Shape): fleetline.telemetry.v1.TroubleCodes & fleetline.telemetry.v1.TroubleCodes.$Shape;
                static create(properties?: fleetline.telemetry.v1.TroubleCodes.$Properties): fleetline.telemetry.v1.TroubleCodes;
                static encode(message: fleetline.telemetry.v1.TroubleCodes.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.TroubleCodes & fleetline.telemetry.v1.TroubleCodes.$Shape;
            }

            namespace TroubleCodes {
                interface $Properties {
                    codes?: (string[]|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.TroubleCodes.$Properties;
            }

            interface ITriggerCapture extends fleetline.telemetry.v1.TriggerCapture.$Properties {
            }

            class TriggerCapture {
                constructor(properties?: fleetline.telemetry.v1.TriggerCapture.$Properties);
                $unknowns?: Uint8Array[];
                name: string;
                triggeredAtMs: number;
                relatedSeq: number;
                windowBaseTimeMs: number;
                window: fleetline.telemetry.v1.SignalSeries.$Properties[];
                static create(properties: fleetline.telemetry.v1.TriggerCapture.$Shape): fleetline.telemetry.v1.TriggerCapture & fleetline.telemetry.v1.TriggerCapture.$Shape;
                static create(properties?: fleetline.telemetry.v1.TriggerCapture.$Properties): fleetline.telemetry.v1.TriggerCapture;
                static encode(message: fleetline.telemetry.v1.TriggerCapture.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.TriggerCapture & fleetline.telemetry.v1.TriggerCapture.$Shape;
            }

            namespace TriggerCapture {
                interface $Properties {
                    name?: (string|null);
                    triggeredAtMs?: (number|null);
                    relatedSeq?: (number|null);
                    windowBaseTimeMs?: (number|null);
                    window?: (fleetline.telemetry.v1.SignalSeries.$Properties[]|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.TriggerCapture.$Properties;
            }

            interface ITelemetryBatch extends fleetline.telemetry.v1.TelemetryBatch.$Properties {
            }

            class TelemetryBatch {
                constructor(properties?: fleetline.telemetry.v1.TelemetryBatch.$Properties);
                $unknowns?: Uint8Array[];
                deviceId: string;
                seq: number;
                baseTimeMs: number;
                series: fleetline.telemetry.v1.SignalSeries.$Properties[];
                seqEpoch: number;
                static create(properties: fleetline.telemetry.v1.TelemetryBatch.$Shape): fleetline.telemetry.v1.TelemetryBatch & fleetline.telemetry.v1.TelemetryBatch.$Shape;
                static create(properties?: fleetline.telemetry.v1.TelemetryBatch.$Properties): fleetline.telemetry.v1.TelemetryBatch;
                static encode(message: fleetline.telemetry.v1.TelemetryBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.TelemetryBatch & fleetline.telemetry.v1.TelemetryBatch.$Shape;
            }

            namespace TelemetryBatch {
                interface $Properties {
                    deviceId?: (string|null);
                    seq?: (number|null);
                    baseTimeMs?: (number|null);
                    series?: (fleetline.telemetry.v1.SignalSeries.$Properties[]|null);
                    seqEpoch?: (number|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.TelemetryBatch.$Properties;
            }

            interface ISignalSeries extends fleetline.telemetry.v1.SignalSeries.$Properties {
            }

            class SignalSeries {
                constructor(properties?: fleetline.telemetry.v1.SignalSeries.$Properties);
                $unknowns?: Uint8Array[];
                signalId: number;
                timeDeltaMs: number[];
                intervalMs: number;
                valueDelta: number[];
                value: number[];
                static create(properties: fleetline.telemetry.v1.SignalSeries.$Shape): fleetline.telemetry.v1.SignalSeries & fleetline.telemetry.v1.SignalSeries.$Shape;
                static create(properties?: fleetline.telemetry.v1.SignalSeries.$Properties): fleetline.telemetry.v1.SignalSeries;
                static encode(message: fleetline.telemetry.v1.SignalSeries.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.SignalSeries & fleetline.telemetry.v1.SignalSeries.$Shape;
            }

            namespace SignalSeries {
                interface $Properties {
                    signalId?: (number|null);
                    timeDeltaMs?: (number[]|null);
                    intervalMs?: (number|null);
                    valueDelta?: (number[]|null);
                    value?: (number[]|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.SignalSeries.$Properties;
            }

            interface IServiceUpdate extends fleetline.telemetry.v1.ServiceUpdate.$Properties {
            }

            class ServiceUpdate {
                constructor(properties?: fleetline.telemetry.v1.ServiceUpdate.$Properties);
                $unknowns?: Uint8Array[];
                deviceId: string;
                timeMs: number;
                plan?: (fleetline.telemetry.v1.ServicePlan.$Properties|null);
                serviced?: (fleetline.telemetry.v1.Serviced.$Properties|null);
                change?: ("plan"|"serviced");
                static create(properties: fleetline.telemetry.v1.ServiceUpdate.$Shape): fleetline.telemetry.v1.ServiceUpdate & fleetline.telemetry.v1.ServiceUpdate.$Shape;
                static create(properties?: fleetline.telemetry.v1.ServiceUpdate.$Properties): fleetline.telemetry.v1.ServiceUpdate;
                static encode(message: fleetline.telemetry.v1.ServiceUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.ServiceUpdate & fleetline.telemetry.v1.ServiceUpdate.$Shape;
            }

            namespace ServiceUpdate {
                interface $Properties {
                    deviceId?: (string|null);
                    timeMs?: (number|null);
                    plan?: (fleetline.telemetry.v1.ServicePlan.$Properties|null);
                    serviced?: (fleetline.telemetry.v1.Serviced.$Properties|null);
                    change?: ("plan"|"serviced");
                    $unknowns?: Uint8Array[];
                }
                type $Shape = {
                  deviceId?: string|null;
                  timeMs?: number|null;
                  plan?: fleetline.telemetry.v1.ServicePlan.$Shape|null;
                  serviced?: fleetline.telemetry.v1.Serviced.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ change?: undefined; plan?: null; serviced?: null }|{ change?: "plan"; plan: fleetline.telemetry.v1.ServicePlan.$Shape; serviced?: null }|{ change?: "serviced"; plan?: null; serviced: fleetline.telemetry.v1.Serviced.$Shape })
                );
            }

            interface IServicePlan extends fleetline.telemetry.v1.ServicePlan.$Properties {
            }

            class ServicePlan {
                constructor(properties?: fleetline.telemetry.v1.ServicePlan.$Properties);
                $unknowns?: Uint8Array[];
                intervalKm: number;
                intervalDays: number;
                aheadKm: number;
                aheadDays: number;
                static create(properties: fleetline.telemetry.v1.ServicePlan.$Shape): fleetline.telemetry.v1.ServicePlan & fleetline.telemetry.v1.ServicePlan.$Shape;
                static create(properties?: fleetline.telemetry.v1.ServicePlan.$Properties): fleetline.telemetry.v1.ServicePlan;
                static encode(message: fleetline.telemetry.v1.ServicePlan.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.ServicePlan & fleetline.telemetry.v1.ServicePlan.$Shape;
            }

            namespace ServicePlan {
                interface $Properties {
                    intervalKm?: (number|null);
                    intervalDays?: (number|null);
                    aheadKm?: (number|null);
                    aheadDays?: (number|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.ServicePlan.$Properties;
            }

            interface IServiced extends fleetline.telemetry.v1.Serviced.$Properties {
            }

            class Serviced {
                constructor(properties?: fleetline.telemetry.v1.Serviced.$Properties);
                $unknowns?: Uint8Array[];
                serviceId: string;
                odometerKm: number;
                static create(properties: fleetline.telemetry.v1.Serviced.$Shape): fleetline.telemetry.v1.Serviced & fleetline.telemetry.v1.Serviced.$Shape;
                static create(properties?: fleetline.telemetry.v1.Serviced.$Properties): fleetline.telemetry.v1.Serviced;
                static encode(message: fleetline.telemetry.v1.Serviced.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.Serviced & fleetline.telemetry.v1.Serviced.$Shape;
            }

            namespace Serviced {
                interface $Properties {
                    serviceId?: (string|null);
                    odometerKm?: (number|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.Serviced.$Properties;
            }

            interface IDeviceStatus extends fleetline.telemetry.v1.DeviceStatus.$Properties {
            }

            class DeviceStatus {
                constructor(properties?: fleetline.telemetry.v1.DeviceStatus.$Properties);
                $unknowns?: Uint8Array[];
                deviceId: string;
                timeMs: number;
                state: fleetline.telemetry.v1.DeviceState;
                agentVersion: string;
                static create(properties: fleetline.telemetry.v1.DeviceStatus.$Shape): fleetline.telemetry.v1.DeviceStatus & fleetline.telemetry.v1.DeviceStatus.$Shape;
                static create(properties?: fleetline.telemetry.v1.DeviceStatus.$Properties): fleetline.telemetry.v1.DeviceStatus;
                static encode(message: fleetline.telemetry.v1.DeviceStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fleetline.telemetry.v1.DeviceStatus & fleetline.telemetry.v1.DeviceStatus.$Shape;
            }

            namespace DeviceStatus {
                interface $Properties {
                    deviceId?: (string|null);
                    timeMs?: (number|null);
                    state?: (fleetline.telemetry.v1.DeviceState|null);
                    agentVersion?: (string|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = fleetline.telemetry.v1.DeviceStatus.$Properties;
            }

            enum DeviceState {
                DEVICE_STATE_UNSPECIFIED = 0,
                DEVICE_STATE_ONLINE = 1,
                DEVICE_STATE_OFFLINE = 2
            }
        }
    }
}
