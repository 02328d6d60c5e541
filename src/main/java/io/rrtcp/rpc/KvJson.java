package io.rrtcp.rpc;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.google.protobuf.ByteString;
import io.rrtcp.kv.proto.Item;
import io.rrtcp.kv.proto.Request;
import io.rrtcp.kv.proto.Response;

import java.util.Base64;

/**
 * The kv messages with the JSON codec, as upstream's goridge RPC accepts them: Go's encoding/json of the generated
 * structs, so field names as in the .proto, {@code value} as base64, empty fields left out of replies.
 * {@code {"storage":"local","items":[{"key":"a","value":"aGk=","timeout":""}]}} → {@code {"items":[{"key":"a"}]}}.
 */
final class KvJson {
    private KvJson() {
    }

    /** The request in {@code json}; a field of the wrong type is an error naming it. */
    static Request request(JsonObject json) throws RpcException {
        Request.Builder r = Request.newBuilder().setStorage(string(json, "storage"));
        JsonValue items = json.get("items");
        if (items == null || items.isNull()) {
            return r.build();
        }
        if (!items.isArray()) {
            throw new RpcException("json: cannot unmarshal " + Args.kind(items) + " into Go struct field Request.items");
        }
        for (JsonValue v : items.asArray()) {
            if (!v.isObject()) {
                throw new RpcException("json: cannot unmarshal " + Args.kind(v) + " into Go value of type Item");
            }
            JsonObject item = v.asObject();
            String value = string(item, "value");
            try {
                r.addItems(Item.newBuilder().setKey(string(item, "key")).setTimeout(string(item, "timeout"))
                        .setValue(ByteString.copyFrom(Base64.getDecoder().decode(value))));
            } catch (IllegalArgumentException e) {
                throw new RpcException("json: value of key \"" + string(item, "key") + "\" is not base64: " + e.getMessage());
            }
        }
        return r.build();
    }

    static JsonObject response(Response response) {
        JsonObject out = new JsonObject();
        if (response.getItemsCount() == 0) {
            return out;
        }
        JsonArray items = new JsonArray();
        for (Item item : response.getItemsList()) {
            JsonObject o = new JsonObject();
            if (!item.getKey().isEmpty()) {
                o.add("key", item.getKey());
            }
            if (!item.getValue().isEmpty()) {
                o.add("value", Base64.getEncoder().encodeToString(item.getValue().toByteArray()));
            }
            if (!item.getTimeout().isEmpty()) {
                o.add("timeout", item.getTimeout());
            }
            items.add(o);
        }
        return out.add("items", items);
    }

    private static String string(JsonObject o, String field) throws RpcException {
        JsonValue v = o.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw new RpcException("json: cannot unmarshal " + Args.kind(v) + " into Go struct field ." + field
                    + " of type string");
        }
        return v.asString();
    }
}
