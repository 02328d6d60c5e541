package io.rrtcp.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real client program (openssl, python3, swaks) run to completion with some input, bounded in time. */
record ExternalCommand(int exitCode, String output) {
    static ExternalCommand run(Path dir, List<String> command, String stdin, Duration timeout) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output lost: " + e.getMessage() + ")";
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException clientLeftEarly) {
            // the program ended before reading its input; its output says why
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; output:\n"
                    + output.getNow("(none yet)"));
        }
        return new ExternalCommand(p.exitValue(), output.get(10, TimeUnit.SECONDS));
    }
}
