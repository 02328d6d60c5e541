package io.rrtcp.it;

import io.rrtcp.config.ConfigLoader;
import io.rrtcp.config.ConfigOptions;
import io.rrtcp.server.RrTcpServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the shipped examples ({@code examples/NAME/.rr.yaml} and its worker), run as a user runs it but on a free
 * loopback port, and the real client programs that talk to it.
 */
final class Example implements AutoCloseable {
    private final RrTcpServer server;
    private final String serverName;

    private Example(RrTcpServer server, String serverName) {
        this.server = server;
        this.serverName = serverName;
    }

    /** Starts {@code examples/<name>/.rr.yaml} with its server {@code serverName} moved to 127.0.0.1:0. */
    static Example start(String name, String serverName) throws Exception {
        Path dir = Path.of("examples", name).toAbsolutePath();
        ConfigOptions options = new ConfigOptions(List.of("tcp.servers." + serverName + ".addr=127.0.0.1:0"),
                System.getenv());
        return new Example(RrTcpServer.start(ConfigLoader.load(dir.resolve(".rr.yaml"), options), dir), serverName);
    }

    int port() {
        return server.addresses().get(serverName).getPort();
    }

    /** What a finished client program printed (stdout and stderr together) and its exit code. */
    record Run(int code, String output) {
    }

    /** Runs {@code command} to its end (killed after {@code timeout}), its output captured in {@code dir}. */
    static Run run(Path dir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "client", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + "; it printed:\n"
                    + Files.readString(output));
        }
        return new Run(p.exitValue(), Files.readString(output));
    }

    @Override
    public void close() {
        server.close();
    }
}
