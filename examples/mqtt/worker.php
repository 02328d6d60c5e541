<?php

/**
 * A minimal MQTT 3.1.1 endpoint (examples/mqtt/.rr.yaml): enough of the protocol for a client to connect, publish
 * and stay alive. It is no broker: published messages are logged (stderr goes to rr-tcp's log), not delivered.
 *
 *   CONNECT            → CONNACK (0 accepted; 1 for another protocol level, then close)
 *   PUBLISH QoS 0      → nothing            PUBLISH QoS 1 → PUBACK        PUBLISH QoS 2 → PUBREC
 *   PUBREL             → PUBCOMP            SUBSCRIBE     → SUBACK refusing every filter (0x80)
 *   PINGREQ            → PINGRESP           DISCONNECT    → close
 *
 * rr-tcp frames the stream with `framing: length` (offset 1, size varint), so every DATA body is exactly one whole
 * control packet, header included, however TCP cut it.
 */

declare(strict_types=1);

require __DIR__ . '/../../test-workers/lib/Goridge.php';

use RrTcp\Worker\Request;
use RrTcp\Worker\TcpWorker;

const CONNECT = 1;
const PUBLISH = 3;
const PUBREL = 6;
const SUBSCRIBE = 8;
const PINGREQ = 12;
const DISCONNECT = 14;

/** Reads the UTF-8 string with a 2-byte length at $at and moves $at past it. */
function mqttString(string $bytes, int &$at): string
{
    $length = unpack('n', $bytes, $at)[1];
    $text = substr($bytes, $at + 2, $length);
    $at += 2 + $length;

    return $text;
}

/** The packet after its fixed header (type byte and remaining-length varint). */
function variablePart(string $packet): string
{
    $at = 1;
    while (ord($packet[$at]) & 0x80) {
        $at++;
    }

    return substr($packet, $at + 1);
}

/** Short printable payloads as they are; others by their first bytes and an MD5 of all of them. */
function shown(string $payload): string
{
    if (strlen($payload) <= 64 && preg_match('/^[\x20-\x7e]*$/', $payload) === 1) {
        return $payload;
    }

    return '0x' . bin2hex(substr($payload, 0, 8)) . (strlen($payload) > 8 ? '...' : '') . ' md5=' . md5($payload);
}

function handlePacket(TcpWorker $worker, Request $request): void
{
    $type = ord($request->body[0]) >> 4;
    $flags = ord($request->body[0]) & 0x0f;
    $rest = variablePart($request->body);

    switch ($type) {
        case CONNECT:
            $at = 0;
            $protocol = mqttString($rest, $at);
            $level = ord($rest[$at]);
            $at += 4; // level, connect flags, keep alive
            $clientId = mqttString($rest, $at);
            $accepted = $protocol === 'MQTT' && $level === 4;
            fwrite(STDERR, "mqtt: CONNECT client_id=$clientId level=$level connection={$request->connectionUuid}\n");
            $worker->respond("\x20\x02\x00" . ($accepted ? "\x00" : "\x01"),
                $accepted ? TcpWorker::WRITE : TcpWorker::WRITECLOSE);
            break;

        case PUBLISH:
            $qos = ($flags >> 1) & 0x03;
            $at = 0;
            $topic = mqttString($rest, $at);
            $packetId = $qos > 0 ? substr($rest, $at, 2) : '';
            $payload = substr($rest, $at + strlen($packetId));
            fwrite(STDERR, sprintf("mqtt: PUBLISH topic=%s qos=%d bytes=%d payload=%s connection=%s\n", $topic, $qos,
                strlen($payload), shown($payload), $request->connectionUuid));
            match ($qos) {
                0 => $worker->read(),
                1 => $worker->respond("\x40\x02" . $packetId),  // PUBACK
                default => $worker->respond("\x50\x02" . $packetId),  // PUBREC; PUBREL follows
            };
            break;

        case PUBREL:
            $worker->respond("\x70\x02" . substr($rest, 0, 2)); // PUBCOMP
            break;

        case SUBSCRIBE:
            $at = 2;
            $refused = '';
            while ($at < strlen($rest)) {
                mqttString($rest, $at);
                $at++; // requested QoS
                $refused .= "\x80";
            }
            $worker->respond("\x90" . chr(2 + strlen($refused)) . substr($rest, 0, 2) . $refused); // SUBACK
            break;

        case PINGREQ:
            $worker->respond("\xd0\x00"); // PINGRESP
            break;

        case DISCONNECT:
            $worker->close();
            break;

        default:
            fwrite(STDERR, "mqtt: packet type $type is not supported; closing connection={$request->connectionUuid}\n");
            $worker->close();
    }
}

$worker = TcpWorker::create();

while ($request = $worker->waitRequest()) {
    try {
        match ($request->event) {
            TcpWorker::EVENT_DATA => handlePacket($worker, $request),
            default => $worker->read(), // CONNECTED: the client speaks first; CLOSE: nothing to do
        };
    } catch (\Throwable $e) {
        $worker->error((string)$e); // a malformed packet closes this client's connection; the worker stays
    }
}
