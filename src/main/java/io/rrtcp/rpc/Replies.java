package io.rrtcp.rpc;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Encodes a method's result in the caller's codec, with upstream's JSON shapes and gob layouts. */
final class Replies {
    /** {@code informer.Workers}' reply; {@code workers} null for an unknown plugin (JSON {@code null}, as upstream). */
    record WorkerList(List<WorkerStatus> workers) {
    }

    /** {@code informer.Jobs}' reply for plugins without jobs: JSON {@code null}, gob an empty list. */
    enum NoJobs { INSTANCE }

    private Replies() {
    }

    static byte[] encode(Codec codec, Object reply) throws RpcException {
        return switch (codec) {
            case JSON -> json(reply).toString().getBytes(StandardCharsets.UTF_8);
            case GOB -> gob(reply);
            case PROTO -> KvMethods.encode(reply);
            case RAW -> {
                if (reply instanceof byte[] bytes) {
                    yield bytes;
                }
                throw new RpcException("unknown Raw payload type");
            }
            default -> throw new RpcException("codec " + codec + " is not supported by rr-tcp; use JSON");
        };
    }

    static JsonValue json(Object reply) throws RpcException {
        return switch (reply) {
            case Boolean b -> Json.value(b);
            case Long n -> Json.value(n);
            case Integer n -> Json.value(n);
            case String s -> Json.value(s);
            case byte[] bytes -> Json.value(Base64.getEncoder().encodeToString(bytes));
            case JsonValue v -> v;
            case NoJobs ignored -> Json.NULL;
            case io.rrtcp.kv.proto.Response kv -> KvJson.response(kv);
            case WorkerList list -> new JsonObject().add("workers", list.workers() == null ? Json.NULL : workers(list.workers()));
            case List<?> items -> {
                JsonArray a = new JsonArray();
                for (Object item : items) {
                    a.add(json(item));
                }
                yield a;
            }
            default -> throw new RpcException("rr-tcp cannot encode a reply of type " + reply.getClass().getSimpleName());
        };
    }

    private static JsonArray workers(List<WorkerStatus> workers) {
        JsonArray a = new JsonArray();
        for (WorkerStatus w : workers) {
            a.add(new JsonObject()
                    .add("pid", w.pid())
                    .add("status", w.status())
                    .add("numExecs", w.numExecs())
                    .add("created", w.createdNanos())
                    .add("memoryUsage", w.memoryUsage())
                    .add("CPUPercent", w.cpuPercent())
                    .add("command", w.command())
                    .add("statusStr", w.statusStr()));
        }
        return a;
    }

    private static byte[] gob(Object reply) throws RpcException {
        return switch (reply) {
            case Boolean b -> Gob.bool(b);
            case Long n -> Gob.integer(n);
            case Integer n -> Gob.integer(n);
            case String s -> Gob.string(s);
            case NoJobs ignored -> Gob.EMPTY_JOBS;
            case WorkerList list -> Gob.workerList(list.workers() == null ? List.of() : list.workers());
            case List<?> items when items.stream().allMatch(String.class::isInstance) ->
                    Gob.strings(items.stream().map(String.class::cast).toList());
            default -> throw new RpcException("gob codec: rr-tcp cannot encode this reply; use the JSON codec");
        };
    }
}
