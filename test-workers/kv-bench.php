<?php

/**
 * KV load from one PHP process, for bin/rr-tcp-bench kv: for SECONDS, kv.Set of one key then kv.MGet of it (one
 * pair = two RPC round trips, protobuf codec, lib/Kv.php), or with STORAGE "-" two rpc.Version calls (JSON codec)
 * as the RPC baseline. Prints one JSON line: {"pairs":N,"seconds":S,"p50_us":P,"p99_us":Q}.
 *
 *   php kv-bench.php tcp://127.0.0.1:6001 STORAGE SECONDS VALUE_BYTES CLIENT_ID
 */

declare(strict_types=1);

require __DIR__ . '/lib/Rpc.php';
require __DIR__ . '/lib/Kv.php';

use RrTcp\Kv\KvClient;
use RrTcp\Rpc\Rpc;

[, $address, $storage, $seconds, $valueBytes, $client] = $argv;
$rpc = Rpc::create($address);
$kv = new KvClient($rpc, $storage);
$value = str_repeat('v', (int)$valueBytes);
$key = "bench:$client";

$pair = $storage === '-'
    ? static function () use ($rpc): void {
        $rpc->call('rpc.Version', true);
        $rpc->call('rpc.Version', true);
    }
    : static function () use ($kv, $key, $value): void {
        $kv->set($key, $value);
        if ($kv->getMultiple([$key])[$key] !== $value) {
            throw new RuntimeException("kv.MGet returned another value for $key");
        }
    };

for ($i = 0; $i < 200; $i++) { // warm-up
    $pair();
}
$samples = [];
$start = hrtime(true);
$end = $start + (int)((float)$seconds * 1e9);
do {
    $t = hrtime(true);
    $pair();
    $now = hrtime(true);
    $samples[] = $now - $t;
} while ($now < $end);
sort($samples);
$n = count($samples);
echo json_encode([
    'pairs' => $n,
    'seconds' => ($now - $start) / 1e9,
    'p50_us' => $samples[intdiv($n, 2)] / 1000,
    'p99_us' => $samples[min($n - 1, intdiv($n * 99, 100))] / 1000,
]), "\n";
