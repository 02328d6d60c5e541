<?php

/**
 * Command-line RPC client used by the rr-tcp tests: makes each call in order over ONE connection and prints one JSON
 * line per call: {"ok": <decoded reply>} or {"error": "<ServiceException message>"}.
 *
 *   php rpc-client.php ADDRESS METHOD JSON_ARG [METHOD JSON_ARG]...
 *   php rpc-client.php tcp://127.0.0.1:6001 informer.Workers '"tcp"' tcp.Close '"uuid"'
 *
 * A call written as RAW:METHOD sends the argument text as is with the raw codec (flags 0x04) and prints the raw reply
 * body base64-encoded. Exit status 0 unless the connection itself failed (then 1, message on stderr).
 */

declare(strict_types=1);

require __DIR__ . '/lib/Rpc.php';

use RrTcp\Rpc\Rpc;
use RrTcp\Rpc\RpcException;
use RrTcp\Rpc\ServiceException;

$args = \array_slice($argv, 1);
if (\count($args) < 3 || \count($args) % 2 !== 1) {
    \fwrite(STDERR, "usage: php rpc-client.php ADDRESS METHOD JSON_ARG [METHOD JSON_ARG]...\n");
    exit(2);
}

try {
    $rpc = Rpc::create(\array_shift($args));
    foreach (\array_chunk($args, 2) as [$method, $arg]) {
        try {
            if (\str_starts_with($method, 'RAW:')) {
                $reply = ['ok_b64' => \base64_encode($rpc->callRaw(Rpc::CODEC_RAW, \substr($method, 4), $arg))];
            } else {
                $reply = ['ok' => $rpc->call($method, \json_decode($arg, true, 512, \JSON_THROW_ON_ERROR))];
            }
        } catch (ServiceException $e) {
            $reply = ['error' => $e->getMessage()];
        }
        echo \json_encode($reply, \JSON_UNESCAPED_SLASHES), "\n";
    }
    $rpc->close();
} catch (RpcException|\JsonException $e) {
    \fwrite(STDERR, $e->getMessage() . "\n");
    exit(1);
}
