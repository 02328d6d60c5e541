package io.rrtcp.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into argv the way a POSIX shell forms words, with quotes and backslashes but no expansions.
 * Upstream splits on commas and then on spaces (quirk P13), which breaks {@code php -d a=1,2 w.php}; we do not.
 */
final class ShellWords {
    private ShellWords() {
    }

    /**
     * @throws IllegalArgumentException when a quote is not closed
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false; // distinguishes an empty quoted word ('') from no word at all
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (isBlank(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '\n') {
                i += 2; // line continuation
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                i = singleQuoted(line, i, word);
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
                inWord = true;
            } else {
                word.append(c); // includes a trailing lone backslash, which sh keeps literally
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** Appends the literal text between the quote at {@code open} and its partner; returns the index after it. */
    private static int singleQuoted(String line, int open, StringBuilder word) {
        int close = line.indexOf('\'', open + 1);
        if (close < 0) {
            throw unterminated("single", line);
        }
        word.append(line, open + 1, close);
        return close + 1;
    }

    /** Inside double quotes a backslash only escapes {@code " \ $ `} and newline, as in POSIX sh. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') {
                    word.append(line.charAt(i + 1));
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw unterminated("double", line);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static IllegalArgumentException unterminated(String kind, String line) {
        return new IllegalArgumentException("unterminated " + kind + " quote in: " + line);
    }
}
