<?php

/**
 * A Modbus TCP server (examples/modbus/.rr.yaml) answering function 3, read holding registers, from a table of 100
 * registers where register N (0-based) holds 1000 + N. Other functions get exception 01 (illegal function), addresses
 * outside the table exception 02, a quantity outside 1..125 exception 03.
 *
 * rr-tcp frames the stream with `framing: length` (offset 4, size 2, big-endian), so every DATA body is exactly one
 * Modbus TCP frame: MBAP header (transaction, protocol, length, unit) and PDU.
 */

declare(strict_types=1);

require __DIR__ . '/../../test-workers/lib/Goridge.php';

use RrTcp\Worker\Request;
use RrTcp\Worker\TcpWorker;

const REGISTERS = 100;
const READ_HOLDING_REGISTERS = 0x03;

function holdingRegister(int $address): int
{
    return 1000 + $address;
}

/** The response PDU for one request PDU. */
function answer(string $pdu): string
{
    $function = ord($pdu[0]);
    if ($function !== READ_HOLDING_REGISTERS) {
        return chr($function | 0x80) . "\x01";
    }
    if (strlen($pdu) !== 5) {
        return chr($function | 0x80) . "\x03";
    }
    ['start' => $start, 'count' => $count] = unpack('nstart/ncount', $pdu, 1);
    if ($count < 1 || $count > 125) {
        return chr($function | 0x80) . "\x03";
    }
    if ($start + $count > REGISTERS) {
        return chr($function | 0x80) . "\x02";
    }
    $values = '';
    for ($address = $start; $address < $start + $count; $address++) {
        $values .= pack('n', holdingRegister($address));
    }

    return chr($function) . chr(2 * $count) . $values;
}

function handleFrame(TcpWorker $worker, Request $request): void
{
    ['transaction' => $transaction, 'protocol' => $protocol, 'unit' => $unit] =
        unpack('ntransaction/nprotocol/nlength/Cunit', $request->body);
    if ($protocol !== 0) {
        $worker->close(); // not Modbus

        return;
    }
    $pdu = answer(substr($request->body, 7));
    fwrite(STDERR, sprintf("modbus: unit=%d request=%s response=%s\n", $unit, bin2hex(substr($request->body, 7)),
        bin2hex($pdu)));
    $worker->respond(pack('nnnC', $transaction, 0, strlen($pdu) + 1, $unit) . $pdu);
}

$worker = TcpWorker::create();

while ($request = $worker->waitRequest()) {
    try {
        match ($request->event) {
            TcpWorker::EVENT_DATA => handleFrame($worker, $request),
            default => $worker->read(), // CONNECTED: the client speaks first; CLOSE: nothing to do
        };
    } catch (\Throwable $e) {
        $worker->error((string)$e);
    }
}
