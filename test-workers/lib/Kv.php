<?php

/**
 * Minimal, dependency-free KV client for rr-tcp's (and RoadRunner's) kv.* RPC methods, wire-compatible with what
 * spiral/roadrunner-kv sends: protobuf bodies (package kv.v1) with the goridge proto codec flag 0x80.
 *
 *   Request  { string storage = 1; repeated Item items = 2; }
 *   Item     { string key = 1; bytes value = 2; string timeout = 3; }   timeout: RFC 3339 expiry time, "" = none
 *   Response { repeated Item items = 1; }
 *
 * Like PHP's protobuf runtime, empty strings are left out of the encoding (proto3 defaults). Values are stored as
 * given (strings); spiral/roadrunner-kv would serialize() them first. Use it as:
 *
 *   $kv = new RrTcp\Kv\KvClient(RrTcp\Rpc\Rpc::create(getenv('RR_RPC')), 'local');
 *   $kv->set('greeting', 'hi', 60);   $kv->get('greeting');   $kv->delete('greeting');
 */

declare(strict_types=1);

namespace RrTcp\Kv;

use RrTcp\Rpc\Rpc;
use RrTcp\Rpc\ServiceException;

/** A failed kv call: the server's error text (tabs and new lines turned into spaces, as spiral/roadrunner-kv does). */
class KvException extends \RuntimeException
{
}

/** The storage name is not in the server's kv section (spiral/roadrunner-kv's StorageException). */
final class StorageException extends KvException
{
}

/** One kv.v1.Item. */
final class Item
{
    public function __construct(
        public readonly string $key,
        public readonly string $value = '',
        public readonly string $timeout = '',
    ) {
    }
}

/** The proto3 wire format, as far as kv.v1 needs it: varints and length-delimited fields (wire type 2). */
final class Protobuf
{
    private const LENGTH_DELIMITED = 2;
    private const VARINT = 0;

    public static function varint(int $n): string
    {
        $out = '';
        while ($n > 0x7F || $n < 0) {
            $out .= \chr(($n & 0x7F) | 0x80);
            $n = ($n >> 7) & (\PHP_INT_MAX >> 6);
        }

        return $out . \chr($n);
    }

    /** A length-delimited field, left out when empty (proto3 default). */
    public static function bytesField(int $number, string $bytes): string
    {
        if ($bytes === '') {
            return '';
        }

        return self::varint(($number << 3) | self::LENGTH_DELIMITED) . self::varint(\strlen($bytes)) . $bytes;
    }

    public static function encodeItem(Item $item): string
    {
        return self::bytesField(1, $item->key) . self::bytesField(2, $item->value) . self::bytesField(3, $item->timeout);
    }

    /** @param list<Item> $items */
    public static function encodeRequest(string $storage, array $items): string
    {
        $out = self::bytesField(1, $storage);
        foreach ($items as $item) {
            // an item with every field empty is still an element of the list: length 0, not left out
            $body = self::encodeItem($item);
            $out .= self::varint((2 << 3) | self::LENGTH_DELIMITED) . self::varint(\strlen($body)) . $body;
        }

        return $out;
    }

    /** @return list<Item> */
    public static function decodeResponse(string $bytes): array
    {
        $items = [];
        foreach (self::fields($bytes) as [$number, $value]) {
            if ($number === 1) {
                $f = [1 => '', 2 => '', 3 => ''];
                foreach (self::fields($value) as [$n, $v]) {
                    $f[$n] = $v;
                }
                $items[] = new Item((string)$f[1], (string)$f[2], (string)$f[3]);
            }
        }

        return $items;
    }

    /**
     * The fields of one message as [number, value] pairs; unknown varint fields are read and kept as ints.
     *
     * @return list<array{int, string|int}>
     */
    public static function fields(string $bytes): array
    {
        $fields = [];
        $pos = 0;
        $end = \strlen($bytes);
        while ($pos < $end) {
            $tag = self::readVarint($bytes, $pos);
            $number = $tag >> 3;
            $wire = $tag & 7;
            if ($wire === self::LENGTH_DELIMITED) {
                $length = self::readVarint($bytes, $pos);
                if ($pos + $length > $end) {
                    throw new KvException("truncated protobuf field $number");
                }
                $fields[] = [$number, (string)\substr($bytes, $pos, $length)];
                $pos += $length;
            } elseif ($wire === self::VARINT) {
                $fields[] = [$number, self::readVarint($bytes, $pos)];
            } else {
                throw new KvException("unexpected protobuf wire type $wire in field $number");
            }
        }

        return $fields;
    }

    public static function readVarint(string $bytes, int &$pos): int
    {
        $result = 0;
        for ($shift = 0; $shift < 64; $shift += 7) {
            if ($pos >= \strlen($bytes)) {
                throw new KvException('truncated protobuf varint');
            }
            $byte = \ord($bytes[$pos++]);
            $result |= ($byte & 0x7F) << $shift;
            if ($byte < 0x80) {
                return $result;
            }
        }
        throw new KvException('protobuf varint longer than 10 bytes');
    }
}

/** One storage of the server's kv section (~ Spiral\RoadRunner\KeyValue\Cache, without serialization). */
final class KvClient
{
    public const CODEC_PROTO = 0x80;

    public function __construct(private readonly Rpc $rpc, private readonly string $storage)
    {
    }

    public function has(string $key): bool
    {
        return \count($this->call('kv.Has', [new Item($key)])) > 0;
    }

    public function get(string $key, ?string $default = null): ?string
    {
        return $this->getMultiple([$key])[$key] ?? $default;
    }

    /**
     * @param list<string> $keys
     * @return array<string, string> the existing keys' values
     */
    public function getMultiple(array $keys): array
    {
        $values = [];
        foreach ($this->call('kv.MGet', \array_map(static fn (string $k) => new Item($k), $keys)) as $item) {
            $values[$item->key] = $item->value;
        }

        return $values;
    }

    /** @param int|null $ttl seconds from now; null = no TTL */
    public function set(string $key, string $value, ?int $ttl = null): void
    {
        $this->setMultiple([$key => $value], $ttl);
    }

    /** @param array<string, string> $values */
    public function setMultiple(array $values, ?int $ttl = null): void
    {
        $timeout = self::timeout($ttl);
        $items = [];
        foreach ($values as $key => $value) {
            $items[] = new Item((string)$key, $value, $timeout);
        }
        $this->call('kv.Set', $items);
    }

    /** kv.MExpire: the keys expire $ttl seconds from now. */
    public function expire(array $keys, int $ttl): void
    {
        $timeout = self::timeout($ttl);
        $this->call('kv.MExpire', \array_map(static fn (string $k) => new Item($k, '', $timeout), $keys));
    }

    /**
     * @param list<string> $keys
     * @return array<string, string|null> each key's expiry time (RFC 3339), null without a TTL or when missing
     */
    public function getTtl(array $keys): array
    {
        $found = [];
        foreach ($this->call('kv.TTL', \array_map(static fn (string $k) => new Item($k), $keys)) as $item) {
            $found[$item->key] = $item->timeout;
        }
        $ttl = [];
        foreach ($keys as $key) {
            $ttl[$key] = ($found[$key] ?? '') === '' ? null : $found[$key];
        }

        return $ttl;
    }

    public function delete(string ...$keys): void
    {
        $this->call('kv.Delete', \array_map(static fn (string $k) => new Item($k), $keys));
    }

    public function clear(): void
    {
        $this->call('kv.Clear', []);
    }

    /** An absolute RFC 3339 time in UTC, as spiral/roadrunner-kv computes it ("" = no TTL). */
    public static function timeout(?int $ttl): string
    {
        if ($ttl === null) {
            return '';
        }
        $now = new \DateTimeImmutable('now', new \DateTimeZone('UTC'));

        return $now->setTimestamp($now->getTimestamp() + $ttl)->format(\DateTimeInterface::RFC3339);
    }

    /**
     * @param list<Item> $items
     * @return list<Item>
     */
    private function call(string $method, array $items): array
    {
        try {
            $reply = $this->rpc->callRaw(self::CODEC_PROTO, $method, Protobuf::encodeRequest($this->storage, $items));
        } catch (ServiceException $e) {
            $message = \str_replace(["\t", "\n"], ' ', $e->getMessage());
            if (\str_contains($message, 'no such storage')) {
                throw new StorageException(
                    "Storage \"{$this->storage}\" has not been defined; add it to the kv section of the config",
                    0,
                    $e,
                );
            }
            throw new KvException($message, 0, $e);
        }

        return Protobuf::decodeResponse($reply);
    }
}
