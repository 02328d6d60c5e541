<?php

/**
 * Demo worker for conf/.rr.yaml (bin/rr-tcp serve -c conf/.rr.yaml).
 *
 * One worker process serves every configured TCP server; the "server" name in each event tells them apart:
 *   echo  (127.0.0.1:7000, lines ending in "\n")    – sends every line back unchanged
 *   smtp  (127.0.0.1:7025, lines ending in "\r\n")  – an SMTP-like server: EHLO/HELO, STARTTLS, MAIL FROM, RCPT TO,
 *                                                     DATA, RSET, NOOP, QUIT; accepted mail goes to the server log
 *                                                     (and to the file named by MAILBOX, when set)
 *
 * Try it:  nc 127.0.0.1 7000     nc -C 127.0.0.1 7025     swaks --server 127.0.0.1 --port 7025 --to you@example.org
 *          swaks --tls --server 127.0.0.1:7025 --to you@example.org      (STARTTLS with the demo's self-signed
 *          certificate, made by tls-cert.php on first start)
 *
 * Workers are stateless: the 4 workers of the pool take a connection's events in turn, so one SMTP dialogue's state
 * (greeting, sender, recipients, data mode, the mail so far) lives in the kv storage "dialogues" (memory driver),
 * keyed by the connection uuid, reached over RPC (RR_RPC). Replies name the worker that wrote them.
 *
 * Rules every worker must follow: answer EVERY event with exactly one reply (also CLOSE), and never write to
 * STDOUT yourself (it carries the protocol; echo/print output is redirected to STDERR = the server log).
 */

declare(strict_types=1);

require __DIR__ . '/../test-workers/lib/Goridge.php';
require __DIR__ . '/../test-workers/lib/Rpc.php';
require __DIR__ . '/../test-workers/lib/Kv.php';

use RrTcp\Kv\KvClient;
use RrTcp\Rpc\Rpc;
use RrTcp\Worker\Request;
use RrTcp\Worker\TcpWorker;

/** The kv storage of the dialogues (kv.dialogues in .rr.yaml), and how long an idle dialogue's state is kept. */
const DIALOGUES = 'dialogues';
const DIALOGUE_TTL = 600;
/** Largest mail accepted by DATA, in bytes (announced as SIZE by EHLO). */
const MAX_MAIL_SIZE = 1_048_576;

/**
 * The SMTP commands: verb => handler. A handler gets the dialogue state (by reference; it is saved afterwards) and
 * the text after the verb, and returns [reply, verb for the server]. Add a command by adding a function here.
 */
const SMTP_COMMANDS = [
    'HELO' => 'smtpHelo',
    'EHLO' => 'smtpEhlo',
    'MAIL' => 'smtpMail',
    'RCPT' => 'smtpRcpt',
    'DATA' => 'smtpData',
    'RSET' => 'smtpRset',
    'NOOP' => 'smtpNoop',
    'QUIT' => 'smtpQuit',
    'STARTTLS' => 'smtpStartTls',
];

/** Extensions announced by EHLO, one per "250-" line. */
const SMTP_EXTENSIONS = ['SIZE ' . MAX_MAIL_SIZE, '8BITMIME', 'HELP'];

function serveEcho(TcpWorker $worker, Request $request): void
{
    match ($request->event) {
        TcpWorker::EVENT_DATA => $worker->respond($request->body),  // the body includes the delimiter
        default => $worker->read(),                                 // CONNECTED, CLOSE: nothing to send
    };
}

/** A fresh dialogue: no greeting yet, no transaction. */
function newDialogue(): array
{
    return ['helo' => '', 'from' => null, 'rcpt' => [], 'data' => false, 'mail' => ''];
}

function reply(string $code, string $text): array
{
    return ["$code $text (worker " . getmypid() . ")\r\n", TcpWorker::WRITE];
}

function smtpHelo(array &$d, string $arg): array
{
    $d = ['helo' => trim($arg) ?: 'unknown'] + newDialogue();

    return reply('250', 'rr-tcp Hello ' . $d['helo']);
}

function smtpEhlo(array &$d, string $arg): array
{
    $tls = $d['tls'] ?? false;
    smtpHelo($d, $arg);
    // STARTTLS is offered while the connection is plain (RFC 3207: not again inside TLS)
    $lines = array_merge(['rr-tcp Hello ' . $d['helo'] . ' (worker ' . getmypid() . ')'], SMTP_EXTENSIONS,
        $tls ? [] : ['STARTTLS']);
    $last = array_pop($lines);
    $text = '';
    foreach ($lines as $line) {
        $text .= "250-$line\r\n";
    }

    return [$text . "250 $last\r\n", TcpWorker::WRITE];
}

function smtpMail(array &$d, string $arg): array
{
    if ($d['helo'] === '') {
        return reply('503', '5.5.1 Error: send HELO/EHLO first');
    }
    if ($d['from'] !== null) {
        return reply('503', '5.5.1 Error: nested MAIL command');
    }
    if (!preg_match('/^FROM:\s*<([^>]*)>/i', $arg, $m)) {
        return reply('501', '5.5.4 Syntax: MAIL FROM:<address>');
    }
    $d['from'] = $m[1];

    return reply('250', '2.1.0 Sender <' . $m[1] . '> OK');
}

function smtpRcpt(array &$d, string $arg): array
{
    if ($d['from'] === null) {
        return reply('503', '5.5.1 Error: need MAIL command');
    }
    if (!preg_match('/^TO:\s*<([^>]+)>/i', $arg, $m)) {
        return reply('501', '5.5.4 Syntax: RCPT TO:<address>');
    }
    $d['rcpt'][] = $m[1];

    return reply('250', '2.1.5 Recipient <' . $m[1] . '> OK');
}

function smtpData(array &$d, string $arg): array
{
    if ($d['rcpt'] === []) {
        return reply('503', '5.5.1 Error: need RCPT command');
    }
    $d['data'] = true;
    $d['mail'] = '';

    return reply('354', 'End data with <CR><LF>.<CR><LF>');
}

function smtpRset(array &$d, string $arg): array
{
    $d = ['helo' => $d['helo']] + newDialogue();

    return reply('250', '2.0.0 OK');
}

function smtpNoop(array &$d, string $arg): array
{
    return reply('250', '2.0.0 OK');
}

/**
 * STARTTLS (RFC 3207): serveSmtp calls tcp.StartTLS before it sends the 220, so rr-tcp switches the connection to TLS
 * right after writing it. Whatever the client learnt before is forgotten: it must say EHLO again.
 */
function smtpStartTls(array &$d, string $arg): array
{
    if ($d['tls'] ?? false) {
        return reply('503', '5.5.1 Error: TLS already active');
    }
    if (trim($arg) !== '') {
        return reply('501', '5.5.4 Syntax: STARTTLS');
    }
    $d = newDialogue() + ['tls' => true, 'starttls' => true];

    return ["220 2.0.0 Ready to start TLS\r\n", TcpWorker::WRITE];
}

function smtpQuit(array &$d, string $arg): array
{
    return ["221 2.0.0 Bye\r\n", TcpWorker::WRITECLOSE];
}

/** One line of the mail while in data mode; the line "." ends it and the mail is delivered. */
function smtpDataLine(array &$d, string $line): array
{
    if ($line !== ".\r\n") {
        // dot-stuffing: a line that starts with a dot was sent with one more
        $d['mail'] .= str_starts_with($line, '.') ? substr($line, 1) : $line;
        if (strlen($d['mail']) > MAX_MAIL_SIZE) {
            $d = ['helo' => $d['helo']] + newDialogue();

            return reply('552', '5.3.4 Message too big');
        }

        return ['', TcpWorker::CONTINUE];
    }
    $id = bin2hex(random_bytes(6));
    deliver($id, $d);
    $d = ['helo' => $d['helo']] + newDialogue();

    return reply('250', "2.0.0 OK: queued as $id");
}

/** "Delivery" of the demo: one line in the server log; the whole mail appended to $MAILBOX when it is set. */
function deliver(string $id, array $d): void
{
    fwrite(STDERR, sprintf("smtp demo: mail %s from=<%s> to=<%s> bytes=%d\n", $id, $d['from'],
        implode(',', $d['rcpt']), strlen($d['mail'])));
    $mailbox = getenv('MAILBOX');
    if ($mailbox !== false && $mailbox !== '') {
        $envelope = "X-Queue-Id: $id\r\nX-Envelope-From: <{$d['from']}>\r\nX-Envelope-To: <" . implode('>, <', $d['rcpt']) . ">\r\n";
        file_put_contents($mailbox, $envelope . $d['mail'] . "\r\n", FILE_APPEND | LOCK_EX);
    }
}

function serveSmtp(TcpWorker $worker, KvClient $kv, Rpc $rpc, Request $request): void
{
    $key = 'smtp:' . $request->connectionUuid;
    if ($request->event === TcpWorker::EVENT_CONNECTED) {
        $kv->set($key, json_encode(newDialogue()), DIALOGUE_TTL);
        $worker->respond("220 rr-tcp ESMTP demo (worker " . getmypid() . ")\r\n");

        return;
    }
    if ($request->event !== TcpWorker::EVENT_DATA) {
        $kv->delete($key);
        $worker->read(); // CLOSE: the reply is ignored by the server, but it must be sent

        return;
    }

    $saved = $kv->get($key);
    $d = $saved === null ? newDialogue() : json_decode($saved, true, 16, JSON_THROW_ON_ERROR);
    $tls = $d['tls'] ?? false;
    if ($d['data']) {
        [$text, $verb] = smtpDataLine($d, $request->body);
    } else {
        [$name, $arg] = array_pad(explode(' ', rtrim($request->body, "\r\n"), 2), 2, '');
        $handler = SMTP_COMMANDS[strtoupper($name)] ?? null;
        [$text, $verb] = $handler === null ? reply('500', '5.5.2 Error: command not recognized') : $handler($d, $arg);
    }
    $d['tls'] ??= $tls; // handlers that start a new dialogue keep the connection's TLS state
    if ($d['starttls'] ?? false) {
        unset($d['starttls']);
        $rpc->call('tcp.StartTLS', $request->connectionUuid); // TLS starts right after the reply below is written
    }
    if ($verb !== TcpWorker::WRITECLOSE) {
        $kv->set($key, json_encode($d), DIALOGUE_TTL);
    }
    $worker->respond($text, $verb);
}

$worker = TcpWorker::create();
$rpc = Rpc::create((string)getenv('RR_RPC'));
$kv = new KvClient($rpc, DIALOGUES);

while ($request = $worker->waitRequest()) {
    try {
        match ($request->server) {
            'smtp' => serveSmtp($worker, $kv, $rpc, $request),
            default => serveEcho($worker, $request),
        };
    } catch (\Throwable $e) {
        // Report the failure to the server (it closes this connection) and keep serving.
        $worker->error((string)$e);
    }
}
