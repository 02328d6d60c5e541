package io.rrtcp.it;

import io.rrtcp.support.DebianPackages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code curl} (Debian package curl) against a loopback URL: status code and body, as a probe sees them. */
final class Curl {
    private static final Path CURL = DebianPackages.require("curl", "curl");

    /** One answer; code 0 when nothing answered (connection refused). */
    record Answer(int code, String body) {
    }

    private Curl() {
    }

    static Answer get(String url) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(CURL.toString(), "-s", "--max-time", "10", "-w", "\n%{http_code}", url))
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                throw new AssertionError("curl " + url + " did not finish");
            }
            int nl = out.lastIndexOf('\n');
            return new Answer(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, Math.max(nl, 0)));
        } finally {
            p.destroyForcibly();
        }
    }
}
