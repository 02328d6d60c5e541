package io.rrtcp.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code .env} file: {@code NAME=value} lines, optional {@code export }, {@code #} comments, values optionally in
 * single quotes (literal) or double quotes ({@code \n}, {@code \"} and {@code \\} escapes).
 */
final class Dotenv {
    private Dotenv() {
    }

    static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot read dotenv file: " + e.getMessage());
        }
        return parse(text, file);
    }

    static Map<String, String> parse(String text, Path file) {
        Map<String, String> vars = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !line.substring(0, eq).strip().matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new ConfigException(file, "", "line " + lineNo + ": expected NAME=value, got \"" + raw + "\"");
            }
            vars.put(line.substring(0, eq).strip(), value(line.substring(eq + 1).strip()));
        }
        return vars;
    }

    private static String value(String v) {
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            String inner = v.substring(1, v.length() - 1);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    char n = inner.charAt(++i);
                    out.append(switch (n) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> n;
                    });
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        int comment = v.indexOf(" #");
        return comment >= 0 ? v.substring(0, comment).strip() : v;
    }
}
