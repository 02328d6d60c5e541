package io.rrtcp.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code -o key.path=value}: sets one value in the raw YAML tree before validation, creating maps on the way. Keys
 * match case-insensitively (as viper's); the value is a string (weak typing turns {@code "4"} into a number where one is
 * expected) and may be quoted with {@code '…'}, {@code "…"} or {@code `…`}.
 */
final class Overrides {
    private Overrides() {
    }

    @SuppressWarnings("unchecked")
    static Object apply(Object tree, String override, Path file) {
        int eq = override.indexOf('=');
        String path = eq > 0 ? override.substring(0, eq).strip() : "";
        if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new ConfigException(file, "", "-o " + override + ": expected key.path=value, e.g. -o tcp.pool.num_workers=4");
        }
        Map<Object, Object> root = tree instanceof Map<?, ?> m ? (Map<Object, Object>) m : new LinkedHashMap<>();
        Map<Object, Object> at = root;
        String[] keys = path.split("\\.");
        for (int i = 0; i < keys.length - 1; i++) {
            Object key = existingKey(at, keys[i]);
            Object child = at.get(key);
            if (!(child instanceof Map<?, ?>)) {
                child = new LinkedHashMap<>();
                at.put(key, child);
            }
            at = (Map<Object, Object>) child;
        }
        at.put(existingKey(at, keys[keys.length - 1]), unquote(override.substring(eq + 1)));
        return root;
    }

    private static Object existingKey(Map<Object, Object> map, String key) {
        for (Object k : map.keySet()) {
            if (String.valueOf(k).toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return key;
    }

    private static String unquote(String v) {
        if (v.length() >= 2) {
            char q = v.charAt(0);
            if ((q == '\'' || q == '"' || q == '`') && v.charAt(v.length() - 1) == q) {
                return v.substring(1, v.length() - 1);
            }
        }
        return v;
    }
}
