<?php

/**
 * Scriptable TCP worker used by the rr-tcp integration tests.
 *
 * Environment:
 *   GREETING=text       answer CONNECTED with WRITE text (literal \r \n escapes are interpreted); default CONTINUE
 *   EVENT_LOG=path      append one JSON line per received event: {"pid","event","uuid","server","remote_addr","body_b64"}
 *   NO_CLOSE_REPLY=1    never answer CLOSE events (worker following the official docs); default: answer CONTINUE
 *   DELIM=text          delimiter stripped before matching commands (escapes interpreted); "\r\n" and "\n" always are
 *   EXIT_AFTER=N        exit(0) after answering N DATA events
 *   CRASH_ON_START=1    print "boom" to stderr and exit(1) before the pid handshake
 *   CRASH_ON_START_IF=path  like CRASH_ON_START while that file exists
 *   HANG_ON_START=1     never answer the pid handshake (sleeps an hour first)
 *   EXIT_ON_START=1     print "leaving early" to stderr and exit(0) before the pid handshake
 *   STDOUT_ON_START=text  print text to stdout (not a frame) before the pid handshake, then go on normally
 *   QUIT_ON_REQUEST=1   exit(0) on its first event without answering (breaks the one-reply-per-request rule)
 *   DIE_ON_REQUEST=1    exit(4) on its first event without answering (a worker that starts fine, then keeps dying)
 *   RR_RELAY            pipes (default), tcp://host:port or unix:///path.sock, set by the server
 *
 * DATA commands (matched after stripping the delimiter; anything else is echoed back unchanged with WRITE):
 *   bye → WRITECLOSE "goodbye\r\n"     close → CLOSE          fail → ERROR "tcp worker failed"
 *   bogus → verb "BOGUS"               continue → CONTINUE    ctx → one-line JSON with the request context
 *   pid → "<pid>\n"                    sleep N → wait N ms, "slept N\n"
 *   die → exit(3) without answering    garbage → raw non-frame bytes on STDOUT, no reply
 *   stderr TEXT → TEXT on stderr, "ok\n"                      stop → ask to be replaced (Worker::stop()), exit(0)
 *   broadcast TEXT → over RR_RPC (lib/Rpc.php): tcp.Broadcast TEXT."\n" to this server except this connection,
 *                    then "sent to N\n" (a stateless chat: the worker reaches the other clients)
 *   whisper UUID TEXT → tcp.Send TEXT."\n" to connection UUID, then "sent\n" or "error: <message>\n"
 *   relay → "<RR_RELAY>\n" (the relay this worker talks over)
 *   whoami → "<euid>:<egid>\n"          getenv NAME → "<value>\n", or "(unset)\n"
 *   metric NAME → over RR_RPC, as spiral/roadrunner-metrics does: metrics.Declare counter NAME (namespace "app",
 *                 label "server"), then metrics.Add 1 for this server; "counted\n" or "error: <message>\n"
 *   leak N → keep N more MB allocated (resident), "leaked N\n"
 *   badcrc → a reply frame whose header CRC is wrong        badversion → a frame of protocol version 2 (valid CRC)
 *   truncated → half a frame, then exit(0)
 *   stream N → N reply chunks flagged STREAM, then a final one     streamhang → one STREAM chunk, then sleep an hour
 *   pingfirst → a streamed reply whose FIRST chunk carries STREAM|PING; waits for the PONG, then a final chunk
 *   double TEXT → the echo and a second, unsolicited WRITE frame "extra: TEXT\n" in one write (a buggy worker)
 *   doublelater MS TEXT → the echo, then MS ms later (the worker idle) a second, unsolicited WRITE "extra: TEXT\n"
 *   raw HEX → the bytes HEX stands for, as they are, instead of a reply, then exit(7) (FuzzTest's mutated frames)
 *   rawthen TOKEN HEX → the bytes HEX stands for and then a proper reply "answered TOKEN\n", in one write (FuzzTest)
 */

declare(strict_types=1);

require __DIR__ . '/lib/Goridge.php';
require __DIR__ . '/lib/Rpc.php';

use RrTcp\Rpc\Rpc;
use RrTcp\Rpc\RpcException;
use RrTcp\Worker\Request;
use RrTcp\Worker\TcpWorker;

use function RrTcp\Worker\unescape;

$crashFlag = getenv('CRASH_ON_START_IF');
if (getenv('CRASH_ON_START') === '1' || ($crashFlag !== false && $crashFlag !== '' && file_exists($crashFlag))) {
    fwrite(STDERR, "boom\n");
    exit(1);
}
$stray = getenv('STDOUT_ON_START');
if ($stray !== false && $stray !== '') {
    fwrite(STDOUT, $stray);
    fflush(STDOUT);
}
if (getenv('EXIT_ON_START') === '1') {
    fwrite(STDERR, "leaving early\n");
    exit(0);
}
if (getenv('HANG_ON_START') === '1') {
    fwrite(STDERR, "hanging before the handshake\n");
    sleep(3600);
}

$greeting = getenv('GREETING');
$eventLog = getenv('EVENT_LOG');
$noCloseReply = getenv('NO_CLOSE_REPLY') === '1';
$exitAfter = (int)(getenv('EXIT_AFTER') ?: 0);

$delimiters = ["\r\n", "\n"];
$delim = getenv('DELIM');
if ($delim !== false && $delim !== '') {
    array_unshift($delimiters, unescape($delim));
}

function logEvent(string $path, Request $request): void
{
    $line = json_encode([
        'pid' => getmypid(),
        'event' => $request->event,
        'uuid' => $request->connectionUuid,
        'server' => $request->server,
        'remote_addr' => $request->remoteAddr,
        'body_b64' => base64_encode($request->body),
    ], JSON_UNESCAPED_SLASHES) . "\n";

    $fh = fopen($path, 'a');
    if ($fh === false) {
        fwrite(STDERR, "tcp-worker: cannot open EVENT_LOG $path\n");

        return;
    }
    flock($fh, LOCK_EX);
    fwrite($fh, $line);
    fflush($fh);
    flock($fh, LOCK_UN);
    fclose($fh);
}

/** The body with one trailing delimiter removed (for command matching only). */
function stripDelimiter(string $body, array $delimiters): string
{
    foreach ($delimiters as $d) {
        if (str_ends_with($body, $d)) {
            return substr($body, 0, -strlen($d));
        }
    }

    return $body;
}

function handleData(TcpWorker $worker, Request $request, string $command): void
{
    // "sleep N" and "stderr TEXT" carry an argument
    [$name, $arg] = match (1) {
        preg_match('/^sleep (\d+)$/', $command, $m) => ['sleep <ms>', $m[1]],
        preg_match('/^stderr (.*)$/s', $command, $m) => ['stderr <text>', $m[1]],
        preg_match('/^broadcast (.*)$/s', $command, $m) => ['broadcast <text>', $m[1]],
        preg_match('/^whisper (\S+) (.*)$/s', $command, $m) => ['whisper <uuid> <text>', [$m[1], $m[2]]],
        preg_match('/^leak (\d+)$/', $command, $m) => ['leak <mb>', $m[1]],
        preg_match('/^stream (\d+)$/', $command, $m) => ['stream <n>', $m[1]],
        preg_match('/^double (.*)$/s', $command, $m) => ['double <text>', $m[1]],
        preg_match('/^raw ([0-9a-f]*)$/', $command, $m) => ['raw <hex>', $m[1]],
        preg_match('/^rawthen (\S+) ([0-9a-f]*)$/', $command, $m) => ['rawthen <token> <hex>', [$m[1], $m[2]]],
        preg_match('/^doublelater (\d+) (.*)$/s', $command, $m) => ['doublelater <ms> <text>', [$m[1], $m[2]]],
        preg_match('/^getenv (\S+)$/', $command, $m) => ['getenv <name>', $m[1]],
        preg_match('/^metric (\S+)$/', $command, $m) => ['metric <name>', $m[1]],
        default => [$command, ''],
    };

    match ($name) {
        'bye' => $worker->respond("goodbye\r\n", TcpWorker::WRITECLOSE),
        'close' => $worker->close(),
        'fail' => $worker->error('tcp worker failed'),
        'bogus' => $worker->respond('x', 'BOGUS'),
        'continue' => $worker->read(),
        'ctx' => $worker->respond(json_encode([
            'remote_addr' => $request->remoteAddr,
            'server' => $request->server,
            'uuid' => $request->connectionUuid,
            'event' => $request->event,
            'body_b64' => base64_encode($request->body),
            'pid' => getmypid(),
        ], JSON_UNESCAPED_SLASHES) . "\n"),
        'pid' => $worker->respond(getmypid() . "\n"),
        'relay' => $worker->respond((getenv('RR_RELAY') ?: 'pipes') . "\n"),
        'whoami' => $worker->respond(posix_geteuid() . ':' . posix_getegid() . "\n"),
        'getenv <name>' => $worker->respond((getenv($arg) === false ? '(unset)' : getenv($arg)) . "\n"),
        'sleep <ms>' => sleepThenRespond($worker, (int)$arg),
        'die' => exit(3),
        'garbage' => $worker->getWorker()->getRelay()->writeRaw("this is not a frame at all!!\n"),
        'stderr <text>' => stderrThenRespond($worker, $arg),
        'stop' => stopAndExit($worker),
        'broadcast <text>' => $worker->respond(viaRpc(fn (Rpc $rpc) => 'sent to ' . $rpc->call('tcp.Broadcast', [
            'server' => $request->server, 'data' => "$arg\n", 'except' => $request->connectionUuid]))),
        'whisper <uuid> <text>' => $worker->respond(viaRpc(fn (Rpc $rpc) => $rpc->call('tcp.Send', [
            'uuid' => $arg[0], 'data' => "{$arg[1]}\n"]) ? 'sent' : 'not sent')),
        'leak <mb>' => leakThenRespond($worker, (int)$arg),
        'metric <name>' => $worker->respond(viaRpc(fn (Rpc $rpc) => countMetric($rpc, $arg, $request->server))),
        'badcrc' => writeBadFrame($worker, 'crc'),
        'badversion' => writeBadFrame($worker, 'version'),
        'truncated' => writeBadFrame($worker, 'truncated'),
        'stream <n>' => streamReply($worker, (int)$arg, false),
        'streamhang' => streamReply($worker, 1, true),
        'pingfirst' => pingFirstStream($worker),
        'raw <hex>' => rawThenExit($worker, (string)hex2bin($arg)),
        'rawthen <token> <hex>' => $worker->getWorker()->getRelay()->writeRaw((string)hex2bin($arg[1])
            . \RrTcp\Worker\Frame::pack(new \RrTcp\Worker\Frame("WRITEanswered {$arg[0]}\n", [5]))),
        'double <text>' => doubleReply($worker, $request->body, $arg, 0),
        'doublelater <ms> <text>' => doubleReply($worker, $request->body, $arg[1], max(1, (int)$arg[0])),
        default => $worker->respond($request->body),
    };
}

/** Runs $call on a fresh RPC connection to RR_RPC; the answer line is its result or the error. */
function viaRpc(callable $call): string
{
    try {
        $rpc = Rpc::create((string)getenv('RR_RPC'));
        try {
            return $call($rpc) . "\n";
        } finally {
            $rpc->close();
        }
    } catch (RpcException $e) {
        return 'error: ' . $e->getMessage() . "\n";
    }
}

/** What Spiral\RoadRunner\Metrics\Metrics sends (JSON codec) for declare(Collector::counter()...) and add(). */
function countMetric(Rpc $rpc, string $name, string $server): string
{
    $rpc->call('metrics.Declare', ['name' => $name, 'collector' => [
        'namespace' => 'app', 'subsystem' => '', 'type' => 'counter', 'help' => 'Counted by tcp-worker.php.',
        'labels' => ['server'], 'buckets' => [],
    ]]);
    $rpc->call('metrics.Add', ['name' => $name, 'value' => 1.0, 'labels' => [$server]]);

    return 'counted';
}

function sleepThenRespond(TcpWorker $worker, int $ms): void
{
    usleep($ms * 1000);
    $worker->respond("slept $ms\n");
}

function stderrThenRespond(TcpWorker $worker, string $text): void
{
    fwrite(STDERR, "$text\n");
    $worker->respond("ok\n");
}

/** @var list<string> memory the "leak" command keeps */
$leaked = [];

function leakThenRespond(TcpWorker $worker, int $mb): void
{
    global $leaked;
    for ($i = 0; $i < $mb; $i++) {
        $leaked[] = str_repeat(chr(65 + $i % 26), 1024 * 1024); // written, so resident
    }
    $worker->respond("leaked $mb\n");
}

/** Breaks the frame stream on purpose: wrong CRC, wrong version, or half a frame and gone. */
function writeBadFrame(TcpWorker $worker, string $how): void
{
    $frame = \RrTcp\Worker\Frame::pack(new \RrTcp\Worker\Frame("WRITEbroken\n", [5]));
    $relay = $worker->getWorker()->getRelay();
    switch ($how) {
        case 'crc':
            $frame[6] = chr(ord($frame[6]) ^ 0xFF);
            $relay->writeRaw($frame);
            break;
        case 'version':
            $head = pack('CCV', (2 << 4) | 4, 0, 12);
            $relay->writeRaw($head . pack('VCC', crc32($head), 0, 0) . substr($frame, 12));
            break;
        case 'truncated':
            $relay->writeRaw(substr($frame, 0, 15));
            exit(0);
    }
}

/** A streamed reply (Worker::withStreamMode()): chunks with the STREAM bit in byte 10, then one without. */
function streamReply(TcpWorker $worker, int $chunks, bool $hang): void
{
    $relay = $worker->getWorker()->getRelay();
    for ($i = 0; $i < $chunks; $i++) {
        $relay->send(new \RrTcp\Worker\Frame("WRITEchunk $i\n", [5], 0, \RrTcp\Worker\Frame::BYTE10_STREAM));
    }
    if ($hang) {
        sleep(3600);
    }
    $worker->respond("last chunk\n");
}

/** The first chunk of a streamed reply asks for a PONG (byte 10 = STREAM|PING); the rest follows once it came. */
function pingFirstStream(TcpWorker $worker): void
{
    $relay = $worker->getWorker()->getRelay();
    $flags = \RrTcp\Worker\Frame::BYTE10_STREAM | \RrTcp\Worker\Frame::BYTE10_PING;
    $relay->send(new \RrTcp\Worker\Frame("WRITEchunk 0\n", [5], 0, $flags));
    $pong = $relay->waitFrame();
    if ($pong === null || !($pong->byte10 & \RrTcp\Worker\Frame::BYTE10_PONG)) {
        fwrite(STDERR, "pingfirst: expected a PONG\n");
        exit(5);
    }
    $worker->respond("pong received\n");
}

/** Writes bytes that may or may not be a frame in place of a reply, then leaves. */
function rawThenExit(TcpWorker $worker, string $bytes): never
{
    $worker->getWorker()->getRelay()->writeRaw($bytes);
    exit(7);
}

/**
 * A buggy worker: answers, then writes one more WRITE frame nobody asked for. At once: both frames in one write, so
 * that they reach the pipe together (two writes could be split by the scheduler, see UnsolicitedOutputTest); later:
 * the reply, then the extra frame after a pause, with the worker idle as far as the server knows.
 */
function doubleReply(TcpWorker $worker, string $body, string $text, int $laterMs): void
{
    $relay = $worker->getWorker()->getRelay();
    $reply = \RrTcp\Worker\Frame::pack(new \RrTcp\Worker\Frame('WRITE' . $body, [5]));
    $extra = \RrTcp\Worker\Frame::pack(new \RrTcp\Worker\Frame("WRITEextra: $text\n", [5]));
    if ($laterMs === 0) {
        $relay->writeRaw($reply . $extra);
        return;
    }
    $relay->writeRaw($reply);
    usleep($laterMs * 1000);
    $relay->writeRaw($extra);
}

function stopAndExit(TcpWorker $worker): never
{
    $worker->stop(); // the server replaces this worker and re-runs the request on another one
    exit(0);
}

$worker = TcpWorker::create();
$answered = 0;

while ($request = $worker->waitRequest()) {
    if (getenv('QUIT_ON_REQUEST') === '1') {
        exit(0);
    }
    if (getenv('DIE_ON_REQUEST') === '1') {
        fwrite(STDERR, "dying on {$request->event}\n");
        exit(4);
    }
    if ($eventLog !== false && $eventLog !== '') {
        logEvent($eventLog, $request);
    }

    switch ($request->event) {
        case TcpWorker::EVENT_CONNECTED:
            if ($greeting !== false && $greeting !== '') {
                $worker->respond(unescape($greeting));
            } else {
                $worker->read();
            }
            break;

        case TcpWorker::EVENT_CLOSE:
            if (!$noCloseReply) {
                $worker->read();
            }
            break;

        case TcpWorker::EVENT_DATA:
            handleData($worker, $request, stripDelimiter($request->body, $delimiters));
            if ($exitAfter > 0 && ++$answered >= $exitAfter) {
                exit(0);
            }
            break;

        default:
            $worker->read();
    }
}
