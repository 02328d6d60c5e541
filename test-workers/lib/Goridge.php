<?php

/**
 * Minimal, dependency-free goridge worker helper for rr-tcp.
 *
 * Speaks RoadRunner's goridge frame protocol over STDIN/STDOUT and mirrors, byte for byte, what a worker written
 * with the published PHP packages (spiral/goridge + spiral/roadrunner-worker + spiral/roadrunner-tcp) sends:
 *
 *   Frame      ~ Spiral\Goridge\Frame (packFrame / readHeader)
 *   Relay      ~ Spiral\Goridge\StreamRelay / SocketRelay (pipes, tcp://host:port, unix:///path.sock)
 *   Worker     ~ Spiral\RoadRunner\Worker (pid handshake, stop command, respond/error/stop)
 *   TcpWorker  ~ Spiral\RoadRunner\Tcp\TcpWorker (waitRequest/respond/read/close)
 *
 * Frame layout (all integers little-endian):
 *   byte 0     0x10 | (3 + number of options)      version 1, header length in 32-bit words
 *   byte 1     flags (0x01 CONTROL, 0x40 ERROR, 0x08 JSON codec, ...)
 *   bytes 2-5  payload length (u32)
 *   bytes 6-9  CRC-32 of bytes 0..5 (u32)
 *   byte 10    stream bits, byte 11 reserved (0)
 *   options    n x u32
 *   payload
 *
 * The relay is chosen from RR_RELAY like Environment::fromGlobals() does: "pipes" (default) uses STDIN/STDOUT;
 * "tcp://host:port" and "unix:///path.sock" connect to the server, which then speaks first (pid request). Sockets are
 * opened with stream_socket_client(), so ext-sockets is not needed.
 */

declare(strict_types=1);

namespace RrTcp\Worker;

/** Any protocol-level failure of the worker (mirrors RoadRunnerException). */
class WorkerException extends \RuntimeException
{
}

final class Frame
{
    public const VERSION = 0x01;

    public const CONTROL = 0x01;
    public const CODEC_RAW = 0x04;
    public const CODEC_JSON = 0x08;
    public const ERROR = 0x40;

    public const BYTE10_STREAM = 0x01;
    public const BYTE10_STOP = 0x02;
    public const BYTE10_PING = 0x04;
    public const BYTE10_PONG = 0x08;

    /** Upstream writes at most 10 options (header length 13 words). */
    public const MAX_OPTIONS = 10;

    /**
     * @param list<int> $options
     */
    public function __construct(
        public string $payload = '',
        public array $options = [],
        public int $flags = 0,
        public int $byte10 = 0,
    ) {
    }

    public function hasFlag(int $flag): bool
    {
        return ($this->flags & $flag) !== 0;
    }

    /** Serialises the frame: header (with CRC over bytes 0..5), options, payload. */
    public static function pack(Frame $frame): string
    {
        $n = \count($frame->options);
        if ($n > self::MAX_OPTIONS) {
            throw new WorkerException("too many frame options: $n");
        }

        $head = \pack('CCV', (self::VERSION << 4) | (3 + $n), $frame->flags & 0xFF, \strlen($frame->payload));
        $head .= \pack('VCC', \crc32($head), $frame->byte10 & 0xFF, 0);
        foreach ($frame->options as $option) {
            $head .= \pack('V', $option);
        }

        return $head . $frame->payload;
    }

    /**
     * Parses the fixed 12-byte header.
     *
     * @return array{flags: int, options: int, length: int, byte10: int, crc_ok: bool}
     */
    public static function parseHeader(string $header): array
    {
        if (\strlen($header) !== 12) {
            throw new WorkerException('frame header must be 12 bytes, got ' . \strlen($header));
        }
        $h = \unpack('Cvhl/Cflags/Vlength/Vcrc/Cbyte10/Cbyte11', $header);

        return [
            'flags' => $h['flags'],
            // HL < 3 is treated as "no options", like upstream.
            'options' => \max(0, ($h['vhl'] & 0x0F) - 3),
            'length' => $h['length'],
            'byte10' => $h['byte10'],
            'crc_ok' => \crc32(\substr($header, 0, 6)) === $h['crc'],
        ];
    }

    /**
     * Parses a complete frame held in a string (used by tests and tools).
     */
    public static function unpack(string $bytes): Frame
    {
        $h = self::parseHeader(\substr($bytes, 0, 12));
        $optionBytes = \substr($bytes, 12, $h['options'] * 4);
        $payload = (string)\substr($bytes, 12 + $h['options'] * 4);
        if (\strlen($optionBytes) !== $h['options'] * 4 || \strlen($payload) !== $h['length']) {
            throw new WorkerException('truncated frame');
        }

        return new Frame($payload, self::unpackOptions($optionBytes), $h['flags'], $h['byte10']);
    }

    /** @return list<int> */
    public static function unpackOptions(string $bytes): array
    {
        return $bytes === '' ? [] : \array_values(\unpack('V*', $bytes));
    }
}

/**
 * Frame transport over a pair of streams (normally STDIN/STDOUT).
 */
final class Relay
{
    /** @var resource */
    private $in;

    /** @var resource */
    private $out;

    /**
     * @param resource $in
     * @param resource $out
     */
    public function __construct($in, $out)
    {
        $this->in = $in;
        $this->out = $out;
    }

    /** Writes the whole frame with one fwrite() (looping only on a short write) and flushes. */
    public function send(Frame $frame): void
    {
        $this->writeRaw(Frame::pack($frame));
    }

    /** Writes raw bytes to the output stream (no framing!). */
    public function writeRaw(string $bytes): void
    {
        while ($bytes !== '') {
            $written = @\fwrite($this->out, $bytes);
            if ($written === false || $written === 0) {
                $err = \error_get_last()['message'] ?? 'unknown error';
                throw new WorkerException('unable to write frame to the relay: ' . $err);
            }
            $bytes = (string)\substr($bytes, $written);
        }
        \fflush($this->out);
    }

    /**
     * Reads one frame. Returns null when the input reached EOF (the server went away): the worker should then end.
     * Like the PHP packages, the CRC is not validated.
     */
    public function waitFrame(): ?Frame
    {
        $header = $this->readExactly(12);
        if ($header === null) {
            return null;
        }
        $h = Frame::parseHeader($header);

        $optionBytes = $this->readExactly($h['options'] * 4);
        $payload = $this->readExactly($h['length']);
        if ($optionBytes === null || $payload === null) {
            return null;
        }

        return new Frame($payload, Frame::unpackOptions($optionBytes), $h['flags'], $h['byte10']);
    }

    private function readExactly(int $length): ?string
    {
        $data = '';
        while (\strlen($data) < $length) {
            $chunk = @\fread($this->in, $length - \strlen($data));
            if ($chunk === false || $chunk === '') {
                if ($chunk === false || \feof($this->in)) {
                    return null;
                }
                continue;
            }
            $data .= $chunk;
        }

        return $data;
    }
}

/** A request or reply: header ("context") and body. */
final class Payload
{
    public function __construct(
        public readonly string $body = '',
        public readonly string $header = '',
    ) {
    }
}

/**
 * Generic RoadRunner worker (~ Spiral\RoadRunner\Worker).
 */
class Worker
{
    private bool $eof = false;

    public function __construct(private readonly Relay $relay, bool $interceptSideEffects = true)
    {
        if ($interceptSideEffects) {
            self::interceptOutput();
        }
    }

    /**
     * Worker over STDIN/STDOUT. Like Worker::create() upstream, echo/print output is redirected to STDERR
     * so that it cannot corrupt the frame stream on STDOUT.
     */
    public static function create(bool $interceptSideEffects = true): static
    {
        $relay = \getenv('RR_RELAY');
        if ($relay === false || $relay === '' || $relay === 'pipes') {
            return new static(new Relay(\STDIN, \STDOUT), $interceptSideEffects);
        }
        if (!\preg_match('#^(tcp|unix)://.+$#', $relay)) {
            \fwrite(\STDERR, "rr-tcp test worker: unsupported RR_RELAY=$relay (pipes, tcp://host:port, unix:///path)\n");
            exit(1);
        }
        $socket = self::connect($relay);

        return new static(new Relay($socket, $socket), $interceptSideEffects);
    }

    /**
     * Connects to a socket relay, retrying briefly (the server may still be binding), like SocketRelay::connect().
     *
     * @return resource
     */
    private static function connect(string $address)
    {
        $error = '';
        for ($attempt = 0; $attempt < 50; $attempt++) {
            $socket = @\stream_socket_client($address, $errno, $errstr, 5.0);
            if ($socket !== false) {
                \stream_set_blocking($socket, true);
                \stream_set_timeout($socket, 86400 * 365); // no read timeout: the worker waits for requests
                if ($address[0] === 't' && \function_exists('socket_import_stream')) {
                    @\socket_set_option(\socket_import_stream($socket), \SOL_TCP, \TCP_NODELAY, 1);
                }

                return $socket;
            }
            $error = "$errstr ($errno)";
            \usleep(20_000);
        }
        \fwrite(\STDERR, "rr-tcp test worker: cannot connect to relay $address: $error\n");
        exit(1);
    }

    /** Output buffer with chunk size 1 that forwards everything to STDERR (as Worker::create() does). */
    public static function interceptOutput(): void
    {
        \ob_start(static function (string $chunk, int $phase): string {
            if ($chunk !== '') {
                \fwrite(\STDERR, $chunk);
            }

            return '';
        }, 1);
    }

    public function getRelay(): Relay
    {
        return $this->relay;
    }

    /** True once waitPayload() returned null because the input hit EOF (as opposed to a stop command). */
    public function isEof(): bool
    {
        return $this->eof;
    }

    /**
     * Waits for the next request. CONTROL frames are handled here:
     *  - {"stop":true}  → returns null (the worker must end);
     *  - {"pid":…}      → answers with our pid and keeps waiting;
     *  - anything else  → WorkerException (the worker dies).
     * Returns null on EOF as well (see isEof()).
     */
    public function waitPayload(): ?Payload
    {
        while (true) {
            $frame = $this->relay->waitFrame();
            if ($frame === null) {
                $this->eof = true;

                return null;
            }

            if (!$frame->hasFlag(Frame::CONTROL)) {
                $split = $frame->options[0] ?? 0;

                return new Payload(
                    (string)\substr($frame->payload, $split),
                    (string)\substr($frame->payload, 0, $split),
                );
            }

            try {
                $command = \json_decode($frame->payload, true, 512, \JSON_THROW_ON_ERROR);
                if (!\is_array($command)) {
                    throw new \JsonException('Json message must be an array or object');
                }
            } catch (\JsonException $e) {
                throw new WorkerException('Invalid task header, JSON payload is expected: ' . $e->getMessage());
            }

            if (!empty($command['stop'])) {
                return null;
            }
            if (!empty($command['pid'])) {
                // flags CONTROL only, no options (what spiral/roadrunner-worker sends)
                $this->relay->send(new Frame(\json_encode(['pid' => \getmypid()]), [], Frame::CONTROL));
                continue;
            }

            throw new WorkerException('Invalid task header, undefined control package');
        }
    }

    /** Normal reply: flags 0, one option = header length, payload = header ‖ body. */
    public function respond(Payload $payload): void
    {
        $this->relay->send(new Frame($payload->header . $payload->body, [\strlen($payload->header)]));
    }

    /** Error reply: flags ERROR, no options, payload = message. The worker stays alive. */
    public function error(string $message): void
    {
        $this->relay->send(new Frame($message, [], Frame::ERROR));
    }

    /** Asks the server to replace this worker (and re-run the current request elsewhere). */
    public function stop(): void
    {
        $this->respond(new Payload('', \json_encode(['stop' => true])));
    }
}

/** One TCP event (~ Spiral\RoadRunner\Tcp\Request, with the event as a plain string). */
final class Request
{
    public function __construct(
        public readonly string $remoteAddr,
        public readonly string $event,
        public readonly string $body,
        public readonly string $connectionUuid,
        public readonly string $server,
    ) {
    }
}

/**
 * TCP worker (~ Spiral\RoadRunner\Tcp\TcpWorker). Reply verbs are compared byte-exact by the server.
 */
class TcpWorker
{
    public const EVENT_CONNECTED = 'CONNECTED';
    public const EVENT_DATA = 'DATA';
    public const EVENT_CLOSE = 'CLOSE';
    public const EVENT_UNKNOWN = 'UNKNOWN';

    /** write the body, keep the connection open */
    public const WRITE = 'WRITE';
    /** write the body, then close the connection */
    public const WRITECLOSE = 'WRITECLOSE';
    /** write nothing, keep reading */
    public const CONTINUE = 'CONTINUE';
    /** close the connection */
    public const CLOSE = 'CLOSE';

    public function __construct(private readonly Worker $worker)
    {
    }

    public static function create(): self
    {
        return new self(Worker::create());
    }

    public function getWorker(): Worker
    {
        return $this->worker;
    }

    /**
     * Next TCP event, or null when the worker must end. On a stop command it first sends a CLOSE reply,
     * exactly like the published TcpWorker does (the server ignores that frame).
     */
    public function waitRequest(): ?Request
    {
        $payload = $this->worker->waitPayload();
        if ($payload === null) {
            if (!$this->worker->isEof()) {
                $this->close();
            }

            return null;
        }

        $context = \json_decode($payload->header, true, 512, \JSON_THROW_ON_ERROR);
        $event = (string)($context['event'] ?? self::EVENT_UNKNOWN);
        if (!\in_array($event, [self::EVENT_CONNECTED, self::EVENT_DATA, self::EVENT_CLOSE], true)) {
            $event = self::EVENT_UNKNOWN;
        }

        return new Request(
            remoteAddr: (string)$context['remote_addr'],
            event: $event,
            body: $payload->body,
            connectionUuid: (string)$context['uuid'],
            server: (string)$context['server'],
        );
    }

    public function respond(string $body, string $verb = self::WRITE): void
    {
        $this->worker->respond(new Payload($body, $verb));
    }

    public function read(): void
    {
        $this->respond('', self::CONTINUE);
    }

    public function close(): void
    {
        $this->respond('', self::CLOSE);
    }

    public function error(string $message): void
    {
        $this->worker->error($message);
    }

    public function stop(): void
    {
        $this->worker->stop();
    }
}

/**
 * Interprets backslash escapes written literally (e.g. in environment variables): \r \n \t \0 \\ and \xHH.
 */
function unescape(string $s): string
{
    return (string)\preg_replace_callback(
        '/\\\\(x[0-9a-fA-F]{2}|[rnt0\\\\])/',
        static fn (array $m): string => match ($m[1][0]) {
            'r' => "\r",
            'n' => "\n",
            't' => "\t",
            '0' => "\0",
            '\\' => '\\',
            'x' => \chr((int)\hexdec(\substr($m[1], 1))),
        },
        $s,
    );
}
