<?php

/**
 * Worker for the PROXY protocol, drain and scale-out tests. It reads each event's raw context JSON, as an application
 * does to see `proxy_addr` (the published TcpWorker's Request carries only remote_addr, server, uuid and the event).
 *
 * Environment:
 *   INSTANCE=name   prefix of every echo, so a test can tell which rr-tcp instance answered
 *   EVENT_LOG=path  append each event's context JSON as one line (with "pid")
 *
 * CONNECTED and CLOSE → CONTINUE. DATA (delimiter "\n"): "ctx" → the context JSON line; "bye" → WRITECLOSE "bye\n";
 * "sleep N" → wait N ms, then echo; anything else → WRITE "<INSTANCE> <message>" (the message keeps its "\n").
 */

declare(strict_types=1);

require __DIR__ . '/lib/Goridge.php';

use RrTcp\Worker\Payload;
use RrTcp\Worker\Worker;

$worker = Worker::create();
$instance = (string)getenv('INSTANCE');
$eventLog = (string)getenv('EVENT_LOG');

while ($payload = $worker->waitPayload()) {
    $context = json_decode($payload->header, true, 512, JSON_THROW_ON_ERROR);
    if ($eventLog !== '') {
        file_put_contents($eventLog, json_encode($context + ['pid' => getmypid()], JSON_UNESCAPED_SLASHES) . "\n",
            FILE_APPEND | LOCK_EX);
    }
    if (($context['event'] ?? '') !== 'DATA') {
        $worker->respond(new Payload('', 'CONTINUE'));
        continue;
    }
    $message = rtrim($payload->body, "\r\n");
    if (preg_match('/^sleep (\d+)/', $message, $m)) {
        usleep((int)$m[1] * 1000);
    }
    match ($message) {
        'ctx' => $worker->respond(new Payload(json_encode($context, JSON_UNESCAPED_SLASHES) . "\n", 'WRITE')),
        'bye' => $worker->respond(new Payload("bye\n", 'WRITECLOSE')),
        default => $worker->respond(new Payload("$instance {$payload->body}", 'WRITE')),
    };
}
