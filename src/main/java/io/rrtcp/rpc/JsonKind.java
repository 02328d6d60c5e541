package io.rrtcp.rpc;

import com.eclipsesource.json.JsonValue;

/** The JSON kind of a value as Go's encoding/json names it in "cannot unmarshal" errors, for other packages. */
public final class JsonKind {
    private JsonKind() {
    }

    public static String of(JsonValue v) {
        return Args.kind(v);
    }
}
