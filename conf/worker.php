<?php

/**
 * Demo worker for conf/.rr.yaml (bin/rr-tcp serve -c conf/.rr.yaml).
 *
 * One worker process serves every configured TCP server; the "server" name in each event tells them apart:
 *   echo  (127.0.0.1:7000, lines ending in "\n")    – sends every line back unchanged
 *   smtp  (127.0.0.1:7025, lines ending in "\r\n")  – a tiny SMTP-like dialogue (HELO/EHLO, NOOP, QUIT)
 *
 * Try it:  nc 127.0.0.1 7000        or   nc -C 127.0.0.1 7025
 *
 * Rules every worker must follow: answer EVERY event with exactly one reply (also CLOSE), and never write to
 * STDOUT yourself (it carries the protocol; echo/print output is redirected to STDERR = the server log).
 */

declare(strict_types=1);

require __DIR__ . '/../test-workers/lib/Goridge.php';

use RrTcp\Worker\Request;
use RrTcp\Worker\TcpWorker;

function serveEcho(TcpWorker $worker, Request $request): void
{
    match ($request->event) {
        TcpWorker::EVENT_DATA => $worker->respond($request->body),  // the body includes the delimiter
        default => $worker->read(),                                 // CONNECTED, CLOSE: nothing to send
    };
}

function serveSmtp(TcpWorker $worker, Request $request): void
{
    if ($request->event === TcpWorker::EVENT_CONNECTED) {
        $worker->respond("220 rr-tcp ESMTP demo\r\n");

        return;
    }
    if ($request->event !== TcpWorker::EVENT_DATA) {
        $worker->read(); // CLOSE: the reply is ignored by the server, but it must be sent

        return;
    }

    $line = rtrim($request->body, "\r\n");
    [$verb, $arg] = array_pad(explode(' ', $line, 2), 2, '');

    match (strtoupper($verb)) {
        'HELO', 'EHLO' => $worker->respond('250 Hello ' . trim($arg) . "\r\n"),
        'NOOP' => $worker->respond("250 OK\r\n"),
        'QUIT' => $worker->respond("221 Bye\r\n", TcpWorker::WRITECLOSE),
        default => $worker->respond("500 unrecognized command\r\n"),
    };
}

$worker = TcpWorker::create();

while ($request = $worker->waitRequest()) {
    try {
        match ($request->server) {
            'smtp' => serveSmtp($worker, $request),
            default => serveEcho($worker, $request),
        };
    } catch (\Throwable $e) {
        // Report the failure to the server (it closes this connection) and keep serving.
        $worker->error((string)$e);
    }
}
