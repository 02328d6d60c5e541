<?php

/**
 * TCP worker for the rr-tcp KV tests: keeps each connection's state in the server's kv storage (over RR_RPC, with
 * lib/Kv.php's protobuf client), keyed by the connection uuid, so that any worker can serve any event.
 *
 * Environment: KV_STORAGE (default "local"), KV_TTL (seconds for the state key; default none).
 *
 *   CONNECTED    → state "" stored under "conn:<uuid>", reply "hello <pid>\n"
 *   add TOKEN    → appends TOKEN to the state, "ok <number of tokens> pid=<worker pid>\n"
 *   list         → "list <tokens joined by ,>\n"
 *   ping         → "pong\n" without touching kv (the TCP side keeps serving while the kv backend is down)
 *   CLOSE        → the state is deleted
 * A kv failure answers "error: <message>\n" and the connection goes on.
 */

declare(strict_types=1);

require __DIR__ . '/lib/Goridge.php';
require __DIR__ . '/lib/Rpc.php';
require __DIR__ . '/lib/Kv.php';

use RrTcp\Kv\KvClient;
use RrTcp\Kv\KvException;
use RrTcp\Rpc\Rpc;
use RrTcp\Rpc\RpcException;
use RrTcp\Worker\Request;
use RrTcp\Worker\TcpWorker;

$storage = getenv('KV_STORAGE') ?: 'local';
$ttl = getenv('KV_TTL') ? (int)getenv('KV_TTL') : null;
$kv = new KvClient(Rpc::create((string)getenv('RR_RPC')), $storage);
$worker = TcpWorker::create();

function handle(TcpWorker $worker, KvClient $kv, ?int $ttl, Request $request): void
{
    $key = 'conn:' . $request->connectionUuid;
    if ($request->event === TcpWorker::EVENT_CONNECTED) {
        $kv->set($key, '', $ttl);
        $worker->respond('hello ' . getmypid() . "\n");

        return;
    }
    if ($request->event === TcpWorker::EVENT_CLOSE) {
        $kv->delete($key);
        $worker->read();

        return;
    }
    [$verb, $arg] = array_pad(explode(' ', rtrim($request->body, "\r\n"), 2), 2, '');
    switch ($verb) {
        case 'ping':
            $worker->respond("pong\n");
            break;
        case 'add':
            $state = $kv->get($key);
            if ($state === null) {
                $worker->respond("error: no state for this connection\n");
                break;
            }
            $state = $state === '' ? $arg : "$state,$arg";
            $kv->set($key, $state, $ttl);
            $worker->respond('ok ' . count(explode(',', $state)) . ' pid=' . getmypid() . "\n");
            break;
        case 'list':
            $worker->respond('list ' . $kv->get($key, '<none>') . "\n");
            break;
        default:
            $worker->respond("unknown $verb\n");
    }
}

while ($request = $worker->waitRequest()) {
    try {
        handle($worker, $kv, $ttl, $request);
    } catch (KvException | RpcException $e) {
        if ($request->event === TcpWorker::EVENT_CLOSE) {
            $worker->read();
        } else {
            $worker->respond('error: ' . $e->getMessage() . "\n");
        }
    }
}
