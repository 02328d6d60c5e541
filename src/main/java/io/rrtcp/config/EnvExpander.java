package io.rrtcp.config;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code $NAME}, {@code ${NAME}} and {@code ${NAME:-default}} in config values, with Go's {@code os.Expand} scanning
 * (what upstream uses). Upstream quirks, decided one by one (spec §6.2):
 * <ul>
 *   <li>kept: an unset variable is empty; {@code $} at the end or before a non-name character stays; {@code ${}} and an
 *       unclosed {@code ${} are removed; {@code $$}, {@code $1}, {@code $?} are one-character names (usually empty);
 *       {@code ${UNSET:-def}} and {@code ${EMPTY:-def}} both give {@code def};</li>
 *   <li>fixed: upstream empties the whole value when it contains {@code :-} anywhere and any reference lacks
 *       {@code :-} ({@code ${SET}:${PORT:-6001}} → {@code ""}, {@code x:-y $SET} → {@code ""}); here every reference
 *       expands on its own ({@code val:6001}, {@code x:-y val});</li>
 *   <li>fixed: {@code ${UNSET:-a:-b}} gives the default {@code a:-b} (the first {@code :-} splits), not {@code ""};</li>
 *   <li>added: {@code \$} is not expanded (the backslash stays, so {@code server.command}'s shell splitting turns it
 *       into a literal {@code $}); upstream has no escape at all;</li>
 *   <li>kept with a warning: {@code ${SET:=def}} and other names that are not {@code [A-Za-z0-9_]+} expand to
 *       {@code ""} as upstream (no such variable), and the warning names the key.</li>
 * </ul>
 */
final class EnvExpander {
    private final Map<String, String> env;

    EnvExpander(Map<String, String> env) {
        this.env = env;
    }

    /** Expands {@code text}; {@code warn} receives a message for each unsupported reference. */
    String expand(String text, Consumer<String> warn) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append("\\$");
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            String rest = text.substring(i + 1);
            Name name = shellName(rest);
            if (name.text.isEmpty() && name.width == 0) {
                out.append('$'); // "$" not followed by a name: kept
            } else if (!name.text.isEmpty()) {
                out.append(lookup(name.text, warn));
            } // else: bad syntax ("${}", unclosed "${"): eaten, as Go does
            i += 1 + name.width;
        }
        return out.toString();
    }

    private String lookup(String name, Consumer<String> warn) {
        int split = name.indexOf(":-");
        if (split >= 0) {
            String value = env.getOrDefault(name.substring(0, split), "");
            return value.isEmpty() ? name.substring(split + 2) : value;
        }
        if (name.length() > 1 && !name.matches("[A-Za-z0-9_]+")) {
            warn.accept("${" + name + "} is not supported (only ${VAR} and ${VAR:-default}); it expands to \"\"");
        }
        return env.getOrDefault(name, "");
    }

    private record Name(String text, int width) {
    }

    /** Go's getShellName: the name after "$" and how many characters it spans. */
    private static Name shellName(String s) {
        if (s.charAt(0) == '{') {
            if (s.length() > 2 && isSpecial(s.charAt(1)) && s.charAt(2) == '}') {
                return new Name(s.substring(1, 2), 3);
            }
            for (int i = 1; i < s.length(); i++) {
                if (s.charAt(i) == '}') {
                    return i == 1 ? new Name("", 2) : new Name(s.substring(1, i), i + 1);
                }
            }
            return new Name("", 1);
        }
        if (isSpecial(s.charAt(0))) {
            return new Name(s.substring(0, 1), 1);
        }
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) && s.charAt(i) < 128 || s.charAt(i) == '_')) {
            i++;
        }
        return new Name(s.substring(0, i), i);
    }

    private static boolean isSpecial(char c) {
        return "*#$@!?-".indexOf(c) >= 0 || c >= '0' && c <= '9';
    }

    /** Expands every string in a raw YAML tree (map values and list items, not keys), in place. */
    @SuppressWarnings("unchecked")
    Object expandTree(Object node, String path, Consumer<String> warn) {
        if (node instanceof String s) {
            return expand(s, problem -> warn.accept((path.isEmpty() ? "" : path + ": ") + problem));
        }
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<Object, Object> e : ((Map<Object, Object>) map).entrySet()) {
                String key = String.valueOf(e.getKey());
                e.setValue(expandTree(e.getValue(), path.isEmpty() ? key : path + "." + key, warn));
            }
            return map;
        }
        if (node instanceof List<?> list) {
            List<Object> items = (List<Object>) list;
            for (int i = 0; i < items.size(); i++) {
                items.set(i, expandTree(items.get(i), path + "[" + i + "]", warn));
            }
        }
        return node;
    }
}
