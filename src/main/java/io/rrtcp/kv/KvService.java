package io.rrtcp.kv;

import com.google.protobuf.ByteString;
import io.rrtcp.kv.proto.Item;
import io.rrtcp.kv.proto.Request;
import io.rrtcp.kv.proto.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logic of the {@code kv.*} RPC methods over the configured storages: finds the storage, checks keys and TTLs
 * with upstream's error texts, calls the driver and builds the reply. Item order in replies follows the request.
 */
public final class KvService implements AutoCloseable {
    private static final String NO_STORAGE = "no storage provided";
    private static final String NO_SUCH_STORAGE = "no such storage";
    private static final Response EMPTY = Response.getDefaultInstance();

    private final Map<String, Storage> storages;

    public KvService(Map<String, Storage> storages) {
        this.storages = Map.copyOf(storages);
    }

    public Response has(Request in) throws KvException {
        Storage st = storage(in);
        List<String> keys = keys(st, "has", in);
        Response.Builder out = Response.newBuilder();
        call(st, "has", () -> st.has(keys)).forEach(k -> out.addItems(Item.newBuilder().setKey(k)));
        return out.build();
    }

    public Response mget(Request in) throws KvException {
        Storage st = storage(in);
        List<String> keys = keys(st, "mget", in);
        Response.Builder out = Response.newBuilder();
        call(st, "mget", () -> st.mget(keys)).forEach((k, v) ->
                out.addItems(Item.newBuilder().setKey(k).setValue(ByteString.copyFrom(v))));
        return out.build();
    }

    public Response set(Request in) throws KvException {
        Storage st = storage(in);
        if (in.getItemsCount() == 0) {
            throw failure(st, "set", KvException.NO_KEYS);
        }
        List<Entry> entries = new ArrayList<>(in.getItemsCount());
        for (Item item : in.getItemsList()) {
            if (item.getKey().isBlank()) {
                throw failure(st, "set", KvException.EMPTY_KEY);
            }
            entries.add(new Entry(item.getKey(), item.getValue().toByteArray(), item.getTimeout(),
                    expiry(st, "set", item)));
        }
        call(st, "set", () -> {
            st.set(entries);
            return null;
        });
        return EMPTY;
    }

    public Response mexpire(Request in) throws KvException {
        Storage st = storage(in);
        List<Entry> entries = new ArrayList<>(in.getItemsCount());
        for (Item item : in.getItemsList()) {
            if (item.getTimeout().isEmpty() || item.getKey().isBlank()) {
                throw failure(st, "mexpire", st.emptyMExpireText());
            }
            entries.add(new Entry(item.getKey(), new byte[0], item.getTimeout(), expiry(st, "mexpire", item)));
        }
        call(st, "mexpire", () -> {
            st.mexpire(entries);
            return null;
        });
        return EMPTY;
    }

    public Response ttl(Request in) throws KvException {
        Storage st = storage(in);
        List<String> keys = keys(st, "ttl", in);
        Response.Builder out = Response.newBuilder();
        call(st, "ttl", () -> st.ttl(keys)).forEach((k, t) -> out.addItems(Item.newBuilder().setKey(k).setTimeout(t)));
        return out.build();
    }

    public Response delete(Request in) throws KvException {
        Storage st = storage(in);
        List<String> keys = keys(st, "delete", in);
        call(st, "delete", () -> {
            st.delete(keys);
            return null;
        });
        return EMPTY;
    }

    public Response clear(Request in) throws KvException {
        Storage st = storage(in);
        call(st, "clear", () -> {
            st.clear();
            return null;
        });
        return EMPTY;
    }

    /** Closes every storage (the redis drivers' connection pools). */
    @Override
    public void close() {
        storages.values().forEach(Storage::close);
    }

    private Storage storage(Request in) throws KvException {
        String name = in.getStorage();
        if (name.isEmpty()) {
            throw new KvException(NO_STORAGE);
        }
        Storage st = storages.get(name);
        if (st == null) {
            throw new KvException(NO_SUCH_STORAGE + ": " + name);
        }
        return st;
    }

    private static List<String> keys(Storage st, String method, Request in) throws KvException {
        if (in.getItemsCount() == 0) {
            throw failure(st, method, KvException.NO_KEYS);
        }
        List<String> keys = new ArrayList<>(in.getItemsCount());
        for (Item item : in.getItemsList()) {
            if (item.getKey().isBlank()) {
                throw failure(st, method, KvException.EMPTY_KEY);
            }
            keys.add(item.getKey());
        }
        return keys;
    }

    private static Optional<Instant> expiry(Storage st, String method, Item item) throws KvException {
        if (item.getTimeout().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Rfc3339.parse(item.getTimeout()));
        } catch (DateTimeParseException e) {
            throw failure(st, method, "timeout \"" + item.getTimeout() + "\" of key \"" + item.getKey()
                    + "\" is not an RFC 3339 time like 2024-01-02T15:04:05+00:00");
        }
    }

    private static KvException failure(Storage st, String method, String reason) {
        return KvException.rpc("rpc_" + method, KvException.driver(st.op(method), reason));
    }

    private interface DriverCall<T> {
        T run() throws KvException;
    }

    private static <T> T call(Storage st, String method, DriverCall<T> work) throws KvException {
        try {
            return work.run();
        } catch (KvException e) {
            throw KvException.rpc("rpc_" + method, e);
        }
    }
}
