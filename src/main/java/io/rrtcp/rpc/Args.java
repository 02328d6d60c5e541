package io.rrtcp.rpc;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

import java.nio.charset.StandardCharsets;

/** Decodes a call's argument from its body, with Go's zero values for an empty body and Go's error texts. */
final class Args {
    /** The Go type a method takes. */
    enum Type { BOOL, STRING, OBJECT, KV }

    private Args() {
    }

    static Object decode(Codec codec, Type type, byte[] payload, int offset) throws RpcException {
        if (offset >= payload.length) {
            return zero(type);
        }
        return switch (codec) {
            case JSON -> json(type, new String(payload, offset, payload.length - offset, StandardCharsets.UTF_8));
            case PROTO -> KvMethods.decode(type, payload, offset);
            case GOB -> {
                if (type == Type.KV) {
                    throw new RpcException("gob codec: the kv methods take protobuf (as spiral/roadrunner-kv sends) or JSON");
                }
                if (type == Type.OBJECT) {
                    throw new RpcException("gob codec: this method takes a JSON object; use the JSON codec");
                }
                yield Gob.decode(payload, offset, type == Type.BOOL ? Gob.BOOL : Gob.STRING);
            }
            // upstream hands raw bytes only to []byte arguments; every other argument stays at its zero value
            case RAW -> zero(type);
            default -> throw new RpcException("codec " + codec + " is not supported by rr-tcp; use JSON");
        };
    }

    private static Object zero(Type type) {
        return switch (type) {
            case BOOL -> Boolean.FALSE;
            case STRING -> "";
            case OBJECT -> new JsonObject();
            case KV -> KvMethods.EMPTY_REQUEST;
        };
    }

    private static Object json(Type type, String text) throws RpcException {
        JsonValue value;
        try {
            value = Json.parse(text);
        } catch (ParseException e) {
            throw new RpcException("invalid JSON: " + e.getMessage());
        }
        if (value.isNull()) {
            return zero(type);
        }
        switch (type) {
            case BOOL -> {
                if (value.isBoolean()) {
                    return value.asBoolean();
                }
            }
            case STRING -> {
                if (value.isString()) {
                    return value.asString();
                }
            }
            case OBJECT -> {
                if (value.isObject()) {
                    return value.asObject();
                }
            }
            case KV -> {
                if (value.isObject()) {
                    return KvJson.request(value.asObject());
                }
            }
        }
        throw new RpcException("json: cannot unmarshal " + kind(value) + " into Go value of type "
                + switch (type) {
                    case OBJECT -> "object";
                    case KV -> "kvv1.Request";
                    default -> type.name().toLowerCase();
                });
    }

    /**
     * A string field of an object argument; every method reads its fields through here (or {@link #optionalString}),
     * so a wrong type gets the same answer for every field: {@code "except" must be a string, got 7}.
     */
    static String string(JsonObject arg, String key) throws RpcException {
        JsonValue v = arg.get(key);
        if (v == null || !v.isString()) {
            throw notAString(key, v == null ? "nothing" : v.toString());
        }
        return v.asString();
    }

    /** As {@link #string}, but absent or null gives {@code absent} (Go leaves a missing field at its zero value). */
    static String optionalString(JsonObject arg, String key, String absent) throws RpcException {
        JsonValue v = arg.get(key);
        return v == null || v.isNull() ? absent : string(arg, key);
    }

    private static RpcException notAString(String key, String got) {
        return new RpcException("\"" + key + "\" must be a string, got " + got);
    }

    /** Go's name for the JSON value's kind, as its decoder's messages use it. */
    static String kind(JsonValue v) {
        if (v.isNumber()) {
            return "number";
        }
        if (v.isString()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return v.isArray() ? "array" : "object";
    }
}
