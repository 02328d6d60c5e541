package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import io.rrtcp.support.Daemon;
import io.rrtcp.support.DebianPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exposition as Prometheus' own tools take it: {@code promtool check metrics} accepts it, and a real
 * {@code prometheus} started here scrapes rr-tcp, reports the target up and stores its series, including an
 * application counter a PHP worker declared and incremented over RPC.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PrometheusTest extends ServerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void promtoolAcceptsTheScrapeAndPrometheusScrapesRrTcpAndAWorkersCounter() throws Exception {
        Path promtool = DebianPackages.require("promtool", "prometheus");
        Path prometheus = DebianPackages.require("prometheus", "prometheus");
        server = TestServer.in(dir).server("main", "\\n").rpc("tcp://127.0.0.1:0")
                .section("metrics:\n  address: 127.0.0.1:0").start();
        InetSocketAddress metrics = server.server().opsAddresses().get("metrics");
        try (Client c = server.connect("main")) {
            assertEquals("hello\n", c.ask("hello\n"));
            assertEquals("counted\n", c.ask("metric jobs_done\n"), "the worker declared and added over RPC");
            assertEquals("counted\n", c.ask("metric jobs_done\n"), "a second declare is fine (upsert)");
        }
        Scrape scrape = Await.until(() -> Scrape.of(metrics),
                s -> s.value("rr_tcp_events_total", "server", "main", "event", "close") == 1, WAIT, "the CLOSE event");
        assertEquals(2, scrape.value("app_jobs_done_total", "server", "main"), scrape.text());

        Path exposition = dir.resolve("scrape.txt");
        Files.writeString(exposition, scrape.text());
        String lint = run(List.of(promtool.toString(), "check", "metrics"), exposition);
        System.out.println("promtool check metrics: exit 0, output: [" + lint + "]");

        int port = Daemon.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: rr-tcp
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(metrics.getPort()));
        try (Daemon prom = Daemon.start("prometheus", dir, List.of(prometheus.toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port))) {
            prom.awaitPort(port, WAIT);
            String api = "http://127.0.0.1:" + port + "/api/v1/";
            JsonObject target = Await.until(() -> firstTarget(api), t -> t != null && "up".equals(t.getString("health", "")),
                    WAIT, "the rr-tcp target to be up");
            System.out.println("prometheus target: " + target);
            JsonArray result = Await.until(() -> query(api, "rr_tcp_connections_total"), r -> !r.isEmpty(), WAIT,
                    "rr_tcp_connections_total in prometheus");
            System.out.println("prometheus query rr_tcp_connections_total: " + result);
            assertTrue(value(result) > 0, result.toString());
            JsonArray app = Await.until(() -> query(api, "app_jobs_done_total"), r -> !r.isEmpty(), WAIT,
                    "app_jobs_done_total in prometheus");
            assertEquals(2, value(app), app.toString());
        }
    }

    /** Runs a tool with a file on stdin; fails with its output unless it exits 0. */
    private static String run(List<String> command, Path stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(stdin.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " finished");
            assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
            return out.trim();
        } finally {
            p.destroyForcibly();
        }
    }

    private static JsonObject firstTarget(String api) throws Exception {
        Curl.Answer a = Curl.get(api + "targets");
        if (a.code() != 200) {
            return null;
        }
        JsonArray active = Json.parse(a.body()).asObject().get("data").asObject().get("activeTargets").asArray();
        return active.isEmpty() ? null : active.get(0).asObject();
    }

    private static JsonArray query(String api, String promql) throws Exception {
        Curl.Answer a = Curl.get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (a.code() != 200) {
            return new JsonArray();
        }
        return Json.parse(a.body()).asObject().get("data").asObject().get("result").asArray();
    }

    /** The value of the first vector sample: {"metric": {...}, "value": [time, "1"]}. */
    private static double value(JsonArray result) {
        return Double.parseDouble(result.get(0).asObject().get("value").asArray().get(1).asString());
    }
}
