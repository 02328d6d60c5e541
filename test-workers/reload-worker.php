<?php

/**
 * Worker for the reload tests: the test copies it into a temp folder, runs rr-tcp on the copy, and edits the copy
 * (VERSION, or a syntax error) while rr-tcp serves it.
 *
 * Environment: TEST_WORKERS=path of test-workers/ (for lib/Goridge.php)
 *
 * DATA commands: version → "<VERSION> <pid>\n"
 *                wait PATH → waits (up to 30 s) until PATH exists, then "waited <VERSION> <pid>\n"
 *                anything else is echoed back
 */

declare(strict_types=1);

require getenv('TEST_WORKERS') . '/lib/Goridge.php';

use RrTcp\Worker\TcpWorker;

const VERSION = 'v1';

function waitFor(string $path): void
{
    $deadline = microtime(true) + 30;
    while (!file_exists($path) && microtime(true) < $deadline) {
        usleep(10_000);
    }
}

$worker = TcpWorker::create();
while ($request = $worker->waitRequest()) {
    if ($request->event !== TcpWorker::EVENT_DATA) {
        $worker->read();
        continue;
    }
    $command = rtrim($request->body, "\r\n");
    if ($command === 'version') {
        $worker->respond(VERSION . ' ' . getmypid() . "\n");
    } elseif (str_starts_with($command, 'wait ')) {
        waitFor(substr($command, 5));
        $worker->respond('waited ' . VERSION . ' ' . getmypid() . "\n");
    } else {
        $worker->respond($request->body);
    }
}
