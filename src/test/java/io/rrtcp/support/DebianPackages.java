package io.rrtcp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes a real tool from a Debian package available to an integration test: when its command is missing and the test
 * runs as root with apt-get (CI on a fresh machine), the package is installed; otherwise the test fails with the
 * command to run. Tests never mock these tools.
 */
public final class DebianPackages {
    private static final Object LOCK = new Object();
    private static boolean updated;

    private DebianPackages() {
    }

    /** Returns the absolute path of {@code command}, installing {@code pkg} first when it is missing. */
    public static Path require(String command, String pkg) {
        synchronized (LOCK) {
            Path found = which(command);
            if (found != null) {
                return found;
            }
            if (!isRoot() || which("apt-get") == null) {
                throw new IllegalStateException("'" + command + "' is needed by this test; install it with: apt-get install " + pkg);
            }
            if (!updated) {
                run("apt-get", "update", "-qq");
                updated = true;
            }
            run("apt-get", "install", "-y", "-qq", pkg);
            found = which(command);
            if (found == null) {
                throw new IllegalStateException("installing package " + pkg + " did not provide '" + command + "'");
            }
            return found;
        }
    }

    /** The path of a command on PATH (or in the sbin folders, where Debian puts daemons), or null. */
    public static Path which(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
