package io.rrtcp.ops;

import com.eclipsesource.json.JsonObject;

/**
 * A plugin's answer to a health or readiness check.
 *
 * @param ok      healthy (or ready)
 * @param why     what is wrong when not ok, empty when ok
 * @param details what the answer was based on (e.g. workers alive and ready, listeners accepting)
 */
public record PluginState(boolean ok, String why, JsonObject details) {
    public static PluginState ok(JsonObject details) {
        return new PluginState(true, "", details);
    }

    public static PluginState unavailable(String why, JsonObject details) {
        return new PluginState(false, why, details);
    }
}
