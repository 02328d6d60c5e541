<?php

/**
 * Debugging aid: drives a worker script over pipes the way rr-tcp does and prints what comes back.
 *
 *   php test-workers/lib/drive.php [-e KEY=VAL]... [-s SERVER] [-u UUID] [-t MS] WORKER.php STEP...
 *
 * The pid handshake ({"pid":1}, flags 0x09) is always done first. STEPs (text uses \r \n \t \xHH escapes):
 *   C          CONNECTED event          D:text   DATA event with body text          X   CLOSE event
 *   P          pid control frame        S        stop command: expects exactly one CLOSE frame, then exit code 0
 *   !STEP      send without waiting for a reply
 *   STEP=>EXP  check the reply; EXP is KIND (VERB, ERROR, CONTROL, STOP, EOF, NONE, GARBAGE), KIND:exact-body or
 *              KIND~/regex/ - e.g.  'D:bye\r\n=>WRITECLOSE:goodbye\r\n'   'D:fail\n=>ERROR'   'X=>NONE'
 * After the last step stdin is closed: the worker must exit without writing anything.
 * Exit status 1 if a check failed.
 */

declare(strict_types=1);

require __DIR__ . '/Goridge.php';

use RrTcp\Worker\Frame;

use function RrTcp\Worker\unescape;

$opt = getopt('e:s:u:t:', [], $rest);
$args = array_slice($argv, $rest);
if ($args === []) {
    fwrite(STDERR, "usage: php drive.php [-e KEY=VAL]... [-s SERVER] [-u UUID] [-t MS] WORKER.php STEP...\n");
    exit(2);
}
$env = getenv();
foreach ((array)($opt['e'] ?? []) as $kv) {
    [$k, $v] = explode('=', $kv, 2) + [1 => ''];
    $env[$k] = $v;
}
$server = $opt['s'] ?? 'server1';
$uuid = $opt['u'] ?? 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
$timeoutMs = (int)($opt['t'] ?? 2000);
$errFile = tempnam(sys_get_temp_dir(), 'drive');

$proc = proc_open(['php', array_shift($args)], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $errFile, 'w']], $pipes, null, $env);
[$in, $out] = [$pipes[0], $pipes[1]];
stream_set_blocking($out, false);
$pid = proc_get_status($proc)['pid'];
$buffer = '';
$failures = 0;

function show(string $s): string
{
    return '"' . preg_replace_callback('/[^\x20-\x7e]|["\\\\]/', static fn ($m) => match ($m[0]) {
        "\r" => '\r', "\n" => '\n', "\t" => '\t', '"' => '\"', '\\' => '\\\\', default => sprintf('\x%02x', ord($m[0])),
    }, $s) . '"';
}

/** Reads one frame: [kind, data], kind = verb of a normal reply, ERROR, CONTROL, STOP, EOF, NONE (timeout), GARBAGE. */
function readReply(int $timeoutMs): array
{
    global $out, $buffer;
    $deadline = microtime(true) + $timeoutMs / 1000;
    while (true) {
        if (strlen($buffer) >= 12) {
            $h = Frame::parseHeader(substr($buffer, 0, 12));
            if (!$h['crc_ok']) {
                usleep(100_000);
                $garbage = $buffer . stream_get_contents($out);
                $buffer = '';

                return ['GARBAGE', $garbage];
            }
            $size = 12 + 4 * $h['options'] + $h['length'];
            if (strlen($buffer) >= $size) {
                $f = Frame::unpack(substr($buffer, 0, $size));
                $buffer = (string)substr($buffer, $size);
                if ($f->flags === 0 && $f->options === [13] && $f->payload === '{"stop":true}') {
                    return ['STOP', '']; // the worker asks to be replaced (Worker::stop())
                }
                if ($f->flags === 0 && count($f->options) === 1) {
                    return [substr($f->payload, 0, $f->options[0]), substr($f->payload, $f->options[0])];
                }
                if ($f->flags === Frame::ERROR && $f->options === []) {
                    return ['ERROR', $f->payload];
                }
                if ($f->flags === Frame::CONTROL && $f->options === []) {
                    return ['CONTROL', $f->payload];
                }

                return [sprintf('FRAME(flags=0x%02x,options=%s,byte10=0x%02x)', $f->flags, json_encode($f->options), $f->byte10), $f->payload];
            }
        }
        $left = $deadline - microtime(true);
        if ($left <= 0) {
            return ['NONE', $buffer];
        }
        $r = [$out];
        $w = $e = null;
        if (stream_select($r, $w, $e, 0, (int)($left * 1e6)) > 0) {
            $chunk = fread($out, 65536);
            if (($chunk === '' || $chunk === false) && feof($out)) {
                return ['EOF', $buffer];
            }
            $buffer .= $chunk;
        }
    }
}

function check(?string $expect, array $got): void
{
    global $failures;
    [$kind, $data] = $got;
    $line = "   <- $kind" . ($data !== '' || !in_array($kind, ['EOF', 'NONE'], true) ? ' ' . show($data) : '');
    if ($expect === null) {
        echo "$line\n";

        return;
    }
    $ok = match (true) {
        (bool)preg_match('/^([^:~]*)~(.*)$/s', $expect, $m) => $kind === $m[1] && preg_match($m[2], $data) === 1,
        (bool)preg_match('/^([^:]*):(.*)$/s', $expect, $m) => $kind === $m[1] && $data === unescape($m[2]),
        default => $kind === $expect,
    };
    $failures += $ok ? 0 : 1;
    echo $line . ($ok ? '   [ok]' : "   [FAIL: expected $expect]") . "\n";
}

function exitCode($proc): int
{
    for ($i = 0; $i < 100; $i++) {
        $st = proc_get_status($proc);
        if (!$st['running']) {
            return $st['exitcode'];
        }
        usleep(50_000);
    }

    return -1; // still running
}

function request(string $event, string $body = ''): string
{
    global $server, $uuid;
    $ctx = json_encode(['remote_addr' => '127.0.0.1:54321', 'server' => $server, 'uuid' => $uuid, 'event' => $event]);

    return Frame::pack(new Frame($ctx . $body, [strlen($ctx)]));
}

function send(string $bytes): void
{
    global $in;
    @fwrite($in, $bytes);
    @fflush($in);
}

// handshake
send(Frame::pack(new Frame('{"pid":1}', [], Frame::CONTROL | Frame::CODEC_JSON)));
echo "-> pid request\n";
check('CONTROL:{"pid":' . $pid . '}', $got = readReply($timeoutMs));

$ended = $got[0] === 'EOF';
if ($ended) {
    echo '   worker exited with code ' . exitCode($proc) . "\n";
    $args = [];
}
foreach ($args as $step) {
    [$step, $expect] = explode('=>', $step, 2) + [1 => null];
    $noWait = str_starts_with($step, '!');
    $step = ltrim($step, '!');
    [$type, $text] = explode(':', $step, 2) + [1 => ''];
    $body = unescape($text);
    match ($type) {
        'C' => send(request('CONNECTED')),
        'D' => send(request('DATA', $body)),
        'X' => send(request('CLOSE')),
        'P' => send(Frame::pack(new Frame('{"pid":1}', [], Frame::CONTROL | Frame::CODEC_JSON))),
        'S' => send(Frame::pack(new Frame('{"stop":true}', [], Frame::CONTROL | Frame::CODEC_JSON))),
        default => throw new InvalidArgumentException("unknown step $step"),
    };
    echo '-> ' . ['C' => 'CONNECTED', 'D' => 'DATA ' . show($body), 'X' => 'CLOSE', 'P' => 'pid request', 'S' => 'stop'][$type]
        . ($noWait ? ' (no wait)' : '') . "\n";
    if ($type === 'S') {
        $frames = [];
        while (!in_array(($got = readReply($timeoutMs))[0], ['EOF', 'NONE', 'GARBAGE'], true)) {
            $frames[] = $got;
            check(null, $got);
        }
        check(null, $got);
        $code = exitCode($proc);
        $ok = $frames === [['CLOSE', '']] && $got[0] === 'EOF' && $code === 0;
        $failures += $ok ? 0 : 1;
        printf("   stop: %d frame(s), %s, exit code %d   %s\n", count($frames), $got[0], $code, $ok ? '[ok]' : '[FAIL]');
        $ended = true;
        break;
    }
    if (!$noWait) {
        $got = readReply($timeoutMs);
        check($expect, $got);
        if ($got[0] === 'EOF') {
            echo '   worker exited with code ' . exitCode($proc) . "\n";
            $ended = true;
            break;
        }
    }
}

if (!$ended) {
    fclose($in);
    $got = readReply($timeoutMs);
    $code = exitCode($proc);
    $ok = $got === ['EOF', ''] && $code === 0;
    $failures += $ok ? 0 : 1;
    printf("-> stdin closed\n   <- %s, exit code %d   %s\n", $got[0] . ($got[1] !== '' ? ' ' . show($got[1]) : ''), $code, $ok ? '[ok]' : '[FAIL]');
}
$stderr = (string)file_get_contents($errFile);
unlink($errFile);
if ($stderr !== '') {
    echo 'stderr: ' . show($stderr) . "\n";
}
echo $failures === 0 ? "all checks passed\n" : "$failures check(s) FAILED\n";
exit($failures === 0 ? 0 : 1);
