package io.rrtcp.it;

import io.rrtcp.log.Log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Records the server's log lines (still echoing them to stderr) so tests can check what was logged. */
final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
                System.err.write(b, off, len);
            }
        };
        Log.setOutput(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    List<String> lines() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Waits (bounded) for a log line containing every one of {@code parts}, and returns it. */
    String await(Duration timeout, String... parts) throws Exception {
        List<String> found = Await.until(this::lines,
                ls -> ls.stream().anyMatch(l -> List.of(parts).stream().allMatch(l::contains)), timeout,
                "a log line with " + List.of(parts));
        return found.stream().filter(l -> List.of(parts).stream().allMatch(l::contains)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        Log.setOutput(System.err);
    }
}
