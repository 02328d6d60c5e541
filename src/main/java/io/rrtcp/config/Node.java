package io.rrtcp.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One value of the parsed YAML tree with its dotted key path, so that every error and warning names its key.
 * A missing key and a key without a value ({@code key:}) both read as absent, as they do for viper.
 */
final class Node {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

    private final Path file;
    private final List<String> warnings;
    private final String path;
    private final Object value;
    private final boolean written;

    private Node(Path file, List<String> warnings, String path, Object value, boolean written) {
        this.file = file;
        this.warnings = warnings;
        this.path = path;
        this.value = value;
        this.written = written;
    }

    /** The document root; warnings found below it are appended to {@code warnings}. */
    static Node root(Object value, Path file, List<String> warnings) {
        return new Node(file, warnings, "", value, true);
    }

    String path() {
        return path;
    }

    /** The config file this value was read from. */
    Path file() {
        return file;
    }

    Object value() {
        return value;
    }

    boolean isAbsent() {
        return value == null;
    }

    /** True when the key appears in the file, even without a value. */
    boolean isWritten() {
        return written;
    }

    boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    boolean isList() {
        return value instanceof List<?>;
    }

    boolean isScalar() {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    /** The child under {@code key} (lower-case), absent when missing; fails when this node is not a map. */
    Node get(String key) {
        Node child = entries().get(key);
        return child != null ? child : new Node(file, warnings, childPath(key), null, false);
    }

    /** Map entries in file order with keys lower-cased, as viper stores them; none when absent. */
    Map<String, Node> entries() {
        return entries(key -> key.toLowerCase(Locale.ROOT));
    }

    /** Map entries with keys upper-cased, for environment variable names. */
    Map<String, Node> upperCaseEntries() {
        return entries(key -> key.toUpperCase(Locale.ROOT));
    }

    private Map<String, Node> entries(UnaryOperator<String> keyCase) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw error("must be a map, got " + shown());
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = keyCase.apply(keyText(entry.getKey()));
            if (entries.containsKey(key)) {
                throw error("duplicate key \"" + key + "\" (keys are case-insensitive)");
            }
            entries.put(key, new Node(file, warnings, childPath(key), entry.getValue(), true));
        }
        return entries;
    }

    /** List items, their paths indexed like {@code server.command[0]}; fails when this node is not a list. */
    List<Node> items() {
        if (!(value instanceof List<?> list)) {
            throw error("must be a list, got " + shown());
        }
        List<Node> items = new ArrayList<>(list.size());
        for (Object item : list) {
            items.add(new Node(file, warnings, path + "[" + items.size() + "]", item, true));
        }
        return items;
    }

    /** Warns about keys outside {@code known}: most likely typos, which upstream silently ignores. */
    void warnUnknownKeys(Collection<String> known) {
        entries().forEach((key, child) -> {
            if (!known.contains(key)) {
                child.warn("unknown key (ignored; check the spelling)");
            }
        });
    }

    /**
     * The value as text for string targets, with upstream's "weak" typing: numbers and booleans become their
     * literal text (floats as Go prints them, {@code 1.50} → {@code 1.5}).
     */
    String scalarText() {
        return switch (value) {
            case String text -> text;
            case Double number when number.isNaN() -> "NaN";
            case Double number when number.isInfinite() -> number > 0 ? "+Inf" : "-Inf";
            case Double number -> BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
            case Number number -> number.toString();
            case Boolean flag -> flag.toString();
            case null, default -> throw error("must be a string, got " + shown());
        };
    }

    /** The value as a whole number, also from a decimal string ({@code "2"}); null when it is not one. */
    Long weakInteger() {
        return switch (value) {
            case Integer number -> number.longValue();
            case Long number -> number;
            case BigInteger number when number.bitLength() < Long.SIZE -> number.longValue();
            case String text when DECIMAL.matcher(text).matches() && text.length() < 19 -> Long.parseLong(text);
            case null, default -> null;
        };
    }

    /** The value as a boolean, also from the strings Go's strconv.ParseBool accepts; null when it is not one. */
    Boolean weakBoolean() {
        return switch (value) {
            case Boolean flag -> flag;
            case Integer number when number == 0 || number == 1 -> number == 1;
            case String text when Set.of("1", "t", "T", "true", "TRUE", "True").contains(text) -> true;
            case String text when Set.of("0", "f", "F", "false", "FALSE", "False").contains(text) -> false;
            case null, default -> null;
        };
    }

    /** YAML's name of the value's type, e.g. {@code int} for {@code version: 3}. */
    String typeName() {
        return switch (value) {
            case null -> "null";
            case String ignored -> "string";
            case Integer ignored -> "int";
            case Long ignored -> "int";
            case BigInteger ignored -> "int";
            case Double ignored -> "float";
            case Boolean ignored -> "bool";
            case List<?> ignored -> "list";
            case Map<?, ?> ignored -> "map";
            case byte[] ignored -> "binary";
            default -> value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    /** The value as a message shows it: strings quoted, other scalars as written, collections by type. */
    String shown() {
        if (value instanceof String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + "\"";
        }
        if (value == null) {
            return "nothing";
        }
        return isScalar() ? scalarText() : "a " + typeName();
    }

    ConfigException error(String problem) {
        return new ConfigException(file, path, problem);
    }

    void warn(String problem) {
        warnings.add(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String keyText(Object key) {
        Node keyNode = new Node(file, warnings, path, key, true);
        if (key == null) {
            return "";
        }
        if (!keyNode.isScalar()) {
            throw error("map keys must be plain names, got " + keyNode.shown());
        }
        return keyNode.scalarText();
    }
}
