package io.rrtcp.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rrtcp.kv.KvException;
import io.rrtcp.kv.KvService;
import io.rrtcp.kv.proto.Request;
import io.rrtcp.kv.proto.Response;

/**
 * {@code kv.Has}, {@code kv.Set}, {@code kv.MGet}, {@code kv.MExpire}, {@code kv.TTL}, {@code kv.Delete},
 * {@code kv.Clear}: the protobuf codec that spiral/roadrunner-kv speaks, and JSON as upstream also accepts it.
 * The methods' logic is {@link KvService}'s.
 */
final class KvMethods {
    static final Request EMPTY_REQUEST = Request.getDefaultInstance();

    private KvMethods() {
    }

    static void registerOn(RpcDispatcher d, KvService kv) {
        d.register("kv.Has", Args.Type.KV, arg -> call(kv::has, arg));
        d.register("kv.Set", Args.Type.KV, arg -> call(kv::set, arg));
        d.register("kv.MGet", Args.Type.KV, arg -> call(kv::mget, arg));
        d.register("kv.MExpire", Args.Type.KV, arg -> call(kv::mexpire, arg));
        d.register("kv.TTL", Args.Type.KV, arg -> call(kv::ttl, arg));
        d.register("kv.Delete", Args.Type.KV, arg -> call(kv::delete, arg));
        d.register("kv.Clear", Args.Type.KV, arg -> call(kv::clear, arg));
    }

    private interface Method {
        Response call(Request in) throws KvException;
    }

    private static Response call(Method m, Object arg) throws RpcException {
        try {
            return m.call((Request) arg);
        } catch (KvException e) {
            throw new RpcException(e.getMessage(), e);
        }
    }

    /** A protobuf body: only the kv methods take one. */
    static Object decode(Args.Type type, byte[] payload, int offset) throws RpcException {
        if (type != Args.Type.KV) {
            throw new RpcException("proto codec: this method takes no protobuf message; use the JSON codec");
        }
        try {
            return Request.parseFrom(java.nio.ByteBuffer.wrap(payload, offset, payload.length - offset));
        } catch (InvalidProtocolBufferException e) {
            throw new RpcException("proto: cannot parse invalid wire-format data (" + e.getMessage() + ")");
        }
    }

    static byte[] encode(Object reply) throws RpcException {
        if (reply instanceof Response r) {
            return r.toByteArray();
        }
        throw new RpcException("proto codec: rr-tcp cannot encode this reply as protobuf; use the JSON codec");
    }
}
