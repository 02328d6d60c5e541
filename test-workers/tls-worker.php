<?php

/**
 * Worker for the TLS tests. It reads the raw event context, so it sees the "tls" field rr-tcp adds
 * ({"version","cipher","client_subject"}) next to the fields the published library reads.
 *
 * Servers whose name starts with "smtp" get a small SMTP dialogue (one worker keeps each connection's state):
 *   EHLO (offers STARTTLS while plain), HELO, STARTTLS (calls tcp.StartTLS over RR_RPC, answers 220), MAIL, RCPT,
 *   DATA … ".", RSET, NOOP, QUIT, and XCTX ("250 " and the raw context, one line).
 * Other servers echo every message; "ctx" answers the raw context as one line, "bye" answers and closes.
 *
 * EVENT_LOG=path: one JSON line per event, as tcp-worker.php writes them, plus "tls" (the context's, or null).
 */

declare(strict_types=1);

require __DIR__ . '/lib/Goridge.php';
require __DIR__ . '/lib/Rpc.php';

use RrTcp\Rpc\Rpc;
use RrTcp\Worker\Payload;
use RrTcp\Worker\Worker;

$worker = Worker::create();
$eventLog = (string)getenv('EVENT_LOG');
/** @var array<string, array{data: bool, tls: bool}> SMTP state per connection uuid */
$sessions = [];
$rpc = null;

function reply(Worker $worker, string $body, string $verb = 'WRITE'): void
{
    $worker->respond(new Payload($body, $verb));
}

function logEvent(string $path, array $context, string $body): void
{
    $line = json_encode([
        'pid' => getmypid(),
        'event' => $context['event'],
        'uuid' => $context['uuid'],
        'server' => $context['server'],
        'remote_addr' => $context['remote_addr'],
        'body_b64' => base64_encode($body),
        'tls' => $context['tls'] ?? null,
    ], JSON_UNESCAPED_SLASHES) . "\n";
    file_put_contents($path, $line, FILE_APPEND | LOCK_EX);
}

function smtp(Worker $worker, array $context, string $header, string $body, array &$sessions, ?Rpc &$rpc): void
{
    $uuid = $context['uuid'];
    $tls = isset($context['tls']);
    if ($context['event'] === 'CONNECTED') {
        $sessions[$uuid] = ['data' => false];
        reply($worker, "220 rr-tcp test ESMTP\r\n");

        return;
    }
    if ($context['event'] === 'CLOSE') {
        unset($sessions[$uuid]);
        reply($worker, '', 'CONTINUE');

        return;
    }
    $line = rtrim($body, "\r\n");
    if ($sessions[$uuid]['data'] ?? false) {
        if ($line === '.') {
            $sessions[$uuid]['data'] = false;
            reply($worker, "250 OK queued\r\n");
        } else {
            reply($worker, '', 'CONTINUE');
        }

        return;
    }
    [$verb, $arg] = array_pad(explode(' ', $line, 2), 2, '');
    switch (strtoupper($verb)) {
        case 'EHLO':
            $lines = ['rr-tcp Hello ' . trim($arg), 'PIPELINING', '8BITMIME'];
            if (!$tls) {
                $lines[] = 'STARTTLS';
            }
            $out = '';
            foreach ($lines as $i => $l) {
                $out .= '250' . ($i === count($lines) - 1 ? ' ' : '-') . $l . "\r\n";
            }
            reply($worker, $out);
            break;
        case 'HELO':
            reply($worker, "250 rr-tcp\r\n");
            break;
        case 'STARTTLS':
            if ($tls) {
                reply($worker, "503 TLS already active\r\n");
                break;
            }
            $rpc ??= Rpc::create((string)getenv('RR_RPC'));
            $rpc->call('tcp.StartTLS', $uuid); // TLS starts right after this reply is written
            reply($worker, "220 Ready to start TLS\r\n");
            break;
        case 'MAIL':
        case 'RCPT':
        case 'RSET':
        case 'NOOP':
            reply($worker, "250 OK\r\n");
            break;
        case 'DATA':
            $sessions[$uuid]['data'] = true;
            reply($worker, "354 End data with <CR><LF>.<CR><LF>\r\n");
            break;
        case 'XCTX':
            reply($worker, "250 " . $header . "\r\n");
            break;
        case 'QUIT':
            reply($worker, "221 Bye\r\n", 'WRITECLOSE');
            break;
        default:
            reply($worker, "500 unrecognized command\r\n");
    }
}

while ($payload = $worker->waitPayload()) {
    $context = json_decode($payload->header, true, 512, JSON_THROW_ON_ERROR);
    if ($eventLog !== '') {
        logEvent($eventLog, $context, $payload->body);
    }
    if (str_starts_with((string)$context['server'], 'smtp')) {
        smtp($worker, $context, $payload->header, $payload->body, $sessions, $rpc);
        continue;
    }
    if ($context['event'] !== 'DATA') {
        reply($worker, '', 'CONTINUE');
    } elseif (rtrim($payload->body, "\r\n") === 'ctx') {
        reply($worker, $payload->header . "\n");
    } elseif (rtrim($payload->body, "\r\n") === 'bye') {
        reply($worker, "bye\n", 'WRITECLOSE');
    } else {
        reply($worker, $payload->body);
    }
}
