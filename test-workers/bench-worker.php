<?php

/**
 * The benchmark worker (bin/rr-tcp-bench): echoes every DATA body back with WRITE after spending WORK_US
 * microseconds of CPU (busy loop, default 0). The raw-rate driver and the full TCP path run this same script.
 * Env GREETING: answer CONNECTED with that text (escapes like \n interpreted), for benchmarks that must know a
 * connection is fully set up.
 */

declare(strict_types=1);

require __DIR__ . '/lib/Goridge.php';

use RrTcp\Worker\TcpWorker;

use function RrTcp\Worker\unescape;

$workNs = (int)(getenv('WORK_US') ?: 0) * 1000;
$greeting = getenv('GREETING');
$greeting = $greeting === false || $greeting === '' ? null : unescape($greeting);

$worker = TcpWorker::create();

while ($request = $worker->waitRequest()) {
    if ($request->event === TcpWorker::EVENT_DATA) {
        if ($workNs > 0) {
            $until = hrtime(true) + $workNs;
            while (hrtime(true) < $until) {
                // simulated application work: CPU, not sleep
            }
        }
        $worker->respond($request->body);
    } elseif ($request->event === TcpWorker::EVENT_CONNECTED && $greeting !== null) {
        $worker->respond($greeting);
    } else {
        $worker->read();
    }
}
