package io.rrtcp.rpc;

import com.eclipsesource.json.JsonValue;

/** The JSON kind of a value as Go's encoding/json names it in "cannot unmarshal" errors. */
public final class JsonKind {
    private JsonKind() {
    }

    public static String of(JsonValue v) {
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
