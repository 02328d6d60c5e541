package io.rrtcp.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code GET /metrics} in the Prometheus text format, its samples by series (labels sorted by name). */
record Scrape(String text, Map<String, Double> samples) {
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Scrape of(InetSocketAddress metrics) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metrics.getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(normalized(line.substring(0, space)), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(r.body(), samples);
    }

    /**
     * The value of one series; fails when the series is absent, so that a renamed metric cannot pass as a zero.
     *
     * @param labels name, value, name, value, ...
     */
    double value(String name, String... labels) {
        String key = key(name, labels);
        Double v = samples.get(key);
        if (v == null) {
            throw new AssertionError("no series " + key + " in the scrape:\n" + text);
        }
        return v;
    }

    /** The series as {@link #key} writes it: the writer puts {@code le} last, this sorts every label by name. */
    private static String normalized(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        List<String> labels = new ArrayList<>();
        Matcher m = LABEL.matcher(series.substring(brace));
        while (m.find()) {
            labels.add(m.group(1));
            labels.add(m.group(2));
        }
        return key(series.substring(0, brace), labels.toArray(String[]::new));
    }

    static String key(String name, String... labels) {
        if (labels.length == 0) {
            return name;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        StringBuilder b = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }
}
