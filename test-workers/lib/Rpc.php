<?php

/**
 * Minimal, dependency-free goridge RPC client for rr-tcp, mirroring Spiral\Goridge\RPC\RPC with its JsonCodec:
 *
 *   request  = frame(flags 0x08 JSON, options [seq, strlen(method)], payload method . json_encode(arg))
 *   reply    = same layout, seq and method echoed; flags & 0x40 => error, the body is the error text
 *
 * As upstream PHP: the sequence counter is static (shared by every client in the process), starts at 1 and is
 * incremented after every reply whose seq matched; errors throw "Error '<text>' on <address>".
 *
 *   $rpc = RrTcp\Rpc\Rpc::create(getenv('RR_RPC'));     // tcp://host:port or unix:///path
 *   $rpc->call('tcp.Send', ['uuid' => $uuid, 'data' => "hi\n"]);
 */

declare(strict_types=1);

namespace RrTcp\Rpc;

class RpcException extends \RuntimeException
{
}

/** The server answered with an error frame (Spiral\Goridge\RPC\Exception\ServiceException). */
final class ServiceException extends RpcException
{
}

final class Rpc
{
    public const CODEC_RAW = 0x04;
    public const CODEC_JSON = 0x08;
    public const ERROR = 0x40;

    private static int $seq = 1;

    /** @param resource $socket */
    private function __construct(private $socket, private string $address)
    {
    }

    public static function create(string $address): self
    {
        if (!\preg_match('#^(tcp|unix)://(.+)$#', $address, $m)) {
            throw new RpcException("invalid RPC address: $address");
        }
        $target = $m[1] === 'tcp' ? "tcp://{$m[2]}" : "unix://{$m[2]}";
        $socket = @\stream_socket_client($target, $errno, $errstr, 5.0);
        if ($socket === false) {
            throw new RpcException("unable to connect to $address: $errstr");
        }
        \stream_set_timeout($socket, 30);

        return new self($socket, $address);
    }

    /** Calls $method with a JSON-encodable argument and returns the decoded JSON reply. */
    public function call(string $method, mixed $payload): mixed
    {
        $body = $this->callRaw(self::CODEC_JSON, $method, \json_encode($payload, \JSON_THROW_ON_ERROR));

        return \json_decode($body, true, 512, \JSON_THROW_ON_ERROR);
    }

    /** Sends one request with the given codec flags and body; returns the reply body (after the method name). */
    public function callRaw(int $flags, string $method, string $body): string
    {
        $seq = self::$seq;
        $this->write(self::pack($flags, [$seq, \strlen($method)], $method . $body));
        [$replyFlags, $options, $payload] = $this->read();
        if (\count($options) !== 2) {
            throw new RpcException('Invalid RPC frame, options missing');
        }
        if ($options[0] !== $seq) {
            throw new RpcException('Invalid RPC frame, sequence mismatch');
        }
        self::$seq++;
        $replyBody = (string)\substr($payload, $options[1]);
        if (($replyFlags & self::ERROR) !== 0) {
            throw new ServiceException("Error '$replyBody' on {$this->address}");
        }

        return $replyBody;
    }

    public function close(): void
    {
        \fclose($this->socket);
    }

    /** Frame layout: ver/HL, flags, u32 LE payload length, CRC32 of bytes 0..5, byte10, byte11, options, payload. */
    public static function pack(int $flags, array $options, string $payload): string
    {
        $head = \pack('CCV', 0x10 | (3 + \count($options)), $flags, \strlen($payload));
        $head .= \pack('VCC', \crc32($head), 0, 0);
        foreach ($options as $o) {
            $head .= \pack('V', $o);
        }

        return $head . $payload;
    }

    private function write(string $bytes): void
    {
        while ($bytes !== '') {
            $n = @\fwrite($this->socket, $bytes);
            if ($n === false || $n === 0) {
                throw new RpcException("unable to write to {$this->address}");
            }
            $bytes = (string)\substr($bytes, $n);
        }
    }

    /** @return array{int, list<int>, string} */
    private function read(): array
    {
        $h = \unpack('Cvhl/Cflags/Vlength/Vcrc/Cb10/Cb11', $this->readExactly(12));
        $n = \max(0, ($h['vhl'] & 0x0F) - 3);
        $options = $n > 0 ? \array_values(\unpack('V*', $this->readExactly(4 * $n))) : [];

        return [$h['flags'], $options, $this->readExactly($h['length'])];
    }

    private function readExactly(int $length): string
    {
        $data = '';
        while (\strlen($data) < $length) {
            $chunk = \fread($this->socket, $length - \strlen($data));
            if ($chunk === false || $chunk === '') {
                if (\feof($this->socket) || \stream_get_meta_data($this->socket)['timed_out']) {
                    throw new RpcException("connection to {$this->address} closed while reading a reply");
                }
                continue;
            }
            $data .= $chunk;
        }

        return $data;
    }
}
