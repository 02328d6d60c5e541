package io.rrtcp.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with ASCII borders, upper-case headers and left-aligned cells, as older {@code rr} prints. */
final class Table {
    private static final int MAX_CELL = 150;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers).stream().map(String::toUpperCase).toList();
    }

    Table row(String... cells) {
        rows.add(List.of(cells).stream().map(c -> c.length() > MAX_CELL ? c.substring(0, MAX_CELL) : c).toList());
        return this;
    }

    String render() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        String border = border(width);
        out.append(border).append(line(headers, width)).append(border);
        rows.forEach(r -> out.append(line(r, width)));
        return out.append(border).toString();
    }

    private static String border(int[] width) {
        StringBuilder b = new StringBuilder("+");
        for (int w : width) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.append('\n').toString();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            b.append(' ').append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length())).append(" |");
        }
        return b.append('\n').toString();
    }
}
