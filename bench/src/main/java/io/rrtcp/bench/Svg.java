package io.rrtcp.bench;

import java.util.List;
import java.util.Locale;

/** A plain grouped bar chart as SVG, no dependencies. */
final class Svg {
    private static final String[] COLORS = {"#9aa5b1", "#2f7ed8"};

    private Svg() {
    }

    static String bars(String title, List<String> labels, List<double[]> values, String[] series) {
        double max = values.stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
        int rowHeight = 22;
        int left = 130;
        int width = 760;
        int plot = width - left - 120;
        int height = 60 + labels.size() * rowHeight;
        StringBuilder s = new StringBuilder()
                .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height))
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\">%s</text>%n", title));
        for (int k = 0; k < series.length; k++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"39\">%s</text>%n", left + k * 140, COLORS[k], left + 14 + k * 140, series[k]));
        }
        for (int i = 0; i < labels.size(); i++) {
            int y = 50 + i * rowHeight;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    left - 6, y + 14, labels.get(i)));
            double[] v = values.get(i);
            for (int k = 0; k < v.length; k++) {
                double w = v[k] / max * plot;
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"9\" fill=\"%s\"/>"
                        + "<text x=\"%.1f\" y=\"%d\">%,.0f</text>%n", left, y + 2 + k * 10, w, COLORS[k],
                        left + w + 4, y + 10 + k * 10, v[k]));
            }
        }
        return s.append("</svg>\n").toString();
    }
}
