<?php

/**
 * Self-test of Goridge.php against byte-exact vectors (frames produced by the published PHP packages,
 * and request frames laid out like RoadRunner's). Usage: php test-workers/lib/selftest.php
 */

declare(strict_types=1);

require __DIR__ . '/Goridge.php';

use RrTcp\Worker\Frame;
use RrTcp\Worker\Payload;
use RrTcp\Worker\Relay;
use RrTcp\Worker\TcpWorker;
use RrTcp\Worker\Worker;

const VECTORS = [
    // RR -> worker: pid request {"pid":4242}, flags CONTROL|JSON
    'w01' => '13090c0000005f0c467300007b22706964223a343234327d',
    // worker -> RR: pid reply {"pid":12345}, flags CONTROL
    'w02' => '13010d000000fb208afb00007b22706964223a31323334357d',
    // RR -> worker: CONNECTED / DATA "ping\r\n" / CLOSE
    'w03' => '1400760000006e1ed1670000760000007b2272656d6f74655f61646472223a223132372e302e302e313a3534333231222c22736572766572223a2273657276657231222c2275756964223a2266343761633130622d353863632d343337322d613536372d306530326232633364343739222c226576656e74223a22434f4e4e4543544544227d',
    'w04' => '1400770000000b796ddf0000710000007b2272656d6f74655f61646472223a223132372e302e302e313a3534333231222c22736572766572223a2273657276657231222c2275756964223a2266343761633130622d353863632d343337322d613536372d306530326232633364343739222c226576656e74223a2244415441227d70696e670d0a',
    'w05' => '1400720000003989b3e80000720000007b2272656d6f74655f61646472223a223132372e302e302e313a3534333231222c22736572766572223a2273657276657231222c2275756964223a2266343761633130622d353863632d343337322d613536372d306530326232633364343739222c226576656e74223a22434c4f5345227d',
    // worker -> RR replies
    'w07' => '14000c000000965e5363000005000000575249544568656c6c6f0d0a',
    'w08' => '14000f00000078f1e67100000a0000005752495445434c4f53456279650d0a',
    'w09' => '140008000000c1c931ec000008000000434f4e54494e5545',
    'w10' => '1400050000001c115b1e000005000000434c4f5345',
    'w11' => '13401100000025b9d684000074637020776f726b6572206661696c6564',
    'w12' => '14000d000000f339efdb00000d0000007b2273746f70223a747275657d',
    // RR -> worker: stop command
    'w13' => '13090d0000003a6bfacb00007b2273746f70223a747275657d',
];

$passed = 0;
$failed = 0;

function check(string $name, bool $ok, string $detail = ''): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
        echo "ok   $name\n";
    } else {
        $failed++;
        echo "FAIL $name" . ($detail !== '' ? ": $detail" : '') . "\n";
    }
}

function expectBytes(string $name, string $expectedHex, string $actual): void
{
    $actualHex = bin2hex($actual);
    check($name, $actualHex === $expectedHex, "expected $expectedHex, got $actualHex");
}

/**
 * Runs $fn against a TcpWorker whose input is $inputHex (concatenated frames) and returns what it wrote.
 * Output interception is disabled: nothing here must be redirected.
 */
function capture(string $inputHex, callable $fn): string
{
    $in = fopen('php://memory', 'w+b');
    fwrite($in, hex2bin($inputHex));
    rewind($in);
    $out = fopen('php://memory', 'w+b');
    $fn(new TcpWorker(new Worker(new Relay($in, $out), false)));
    rewind($out);

    return (string)stream_get_contents($out);
}

// --- packing --------------------------------------------------------------------------------------------------

expectBytes('pack w02 pid reply', VECTORS['w02'], Frame::pack(new Frame('{"pid":12345}', [], Frame::CONTROL)));
expectBytes('pack w01 pid request', VECTORS['w01'], Frame::pack(new Frame('{"pid":4242}', [], Frame::CONTROL | Frame::CODEC_JSON)));
expectBytes('pack w13 stop command', VECTORS['w13'], Frame::pack(new Frame('{"stop":true}', [], Frame::CONTROL | Frame::CODEC_JSON)));

expectBytes('TcpWorker::respond WRITE (w07)', VECTORS['w07'], capture('', fn (TcpWorker $w) => $w->respond("hello\r\n")));
expectBytes('TcpWorker::respond WRITECLOSE (w08)', VECTORS['w08'],
    capture('', fn (TcpWorker $w) => $w->respond("bye\r\n", TcpWorker::WRITECLOSE)));
expectBytes('TcpWorker::read (w09)', VECTORS['w09'], capture('', fn (TcpWorker $w) => $w->read()));
expectBytes('TcpWorker::close (w10)', VECTORS['w10'], capture('', fn (TcpWorker $w) => $w->close()));
expectBytes('TcpWorker::error (w11)', VECTORS['w11'], capture('', fn (TcpWorker $w) => $w->error('tcp worker failed')));
expectBytes('TcpWorker::stop (w12)', VECTORS['w12'], capture('', fn (TcpWorker $w) => $w->stop()));

// --- unpacking --------------------------------------------------------------------------------------------------

$ctx = [
    'remote_addr' => '127.0.0.1:54321',
    'server' => 'server1',
    'uuid' => 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
];
foreach (['w03' => ['CONNECTED', ''], 'w04' => ['DATA', "ping\r\n"], 'w05' => ['CLOSE', '']] as $vec => [$event, $body]) {
    $bytes = hex2bin(VECTORS[$vec]);
    $header = Frame::parseHeader(substr($bytes, 0, 12));
    check("$vec header CRC valid", $header['crc_ok']);
    $frame = Frame::unpack($bytes);
    $context = json_decode(substr($frame->payload, 0, $frame->options[0]), true, 512, JSON_THROW_ON_ERROR);
    check("$vec flags 0 and one option", $frame->flags === 0 && count($frame->options) === 1);
    check("$vec context JSON", $context === $ctx + ['event' => $event], json_encode($context));
    check("$vec body", substr($frame->payload, $frame->options[0]) === $body);
    // and through the worker API
    $request = null;
    capture(VECTORS[$vec], function (TcpWorker $w) use (&$request) {
        $request = $w->waitRequest();
    });
    check(
        "$vec waitRequest()",
        $request !== null && $request->event === $event && $request->body === $body
            && $request->remoteAddr === $ctx['remote_addr'] && $request->server === $ctx['server']
            && $request->connectionUuid === $ctx['uuid'],
    );
}

// --- control frames -----------------------------------------------------------------------------------------------

// pid request, then DATA: the worker answers the pid (flags CONTROL only, no options) and returns the DATA request.
$request = null;
$out = capture(VECTORS['w01'] . VECTORS['w04'], function (TcpWorker $w) use (&$request) {
    $request = $w->waitRequest();
});
$expectedPid = Frame::pack(new Frame('{"pid":' . getmypid() . '}', [], Frame::CONTROL));
check('pid request answered, then DATA returned', $out === $expectedPid && $request?->body === "ping\r\n",
    bin2hex($out));
check('pid reply has w02 layout', substr(bin2hex($out), 0, 4) === '1301');

// stop command: waitRequest() sends one CLOSE frame (w10) and returns null.
$result = 'unset';
$out = capture(VECTORS['w13'], function (TcpWorker $w) use (&$result) {
    $result = $w->waitRequest();
});
check('stop command returns null', $result === null);
expectBytes('stop command answered with CLOSE (w10)', VECTORS['w10'], $out);

// EOF: null, nothing written.
$result = 'unset';
$out = capture('', function (TcpWorker $w) use (&$result) {
    $result = $w->waitRequest();
});
check('EOF returns null and writes nothing', $result === null && $out === '');

// truncated frame: null as well
$out = capture(substr(VECTORS['w04'], 0, 40), function (TcpWorker $w) use (&$result) {
    $result = $w->waitRequest();
});
check('truncated frame at EOF returns null', $result === null && $out === '');

// unknown control package -> exception
$msg = '';
try {
    capture(bin2hex(Frame::pack(new Frame('{"foo":1}', [], Frame::CONTROL | Frame::CODEC_JSON))), fn (TcpWorker $w) => $w->waitRequest());
} catch (\RrTcp\Worker\WorkerException $e) {
    $msg = $e->getMessage();
}
check('unknown control package throws', $msg === 'Invalid task header, undefined control package', $msg);

// --- escapes ------------------------------------------------------------------------------------------------------

check('unescape', \RrTcp\Worker\unescape('hello \r\n--\\\\n\x41\t') === "hello \r\n--\\nA\t");

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
